import type { PoolClient } from 'pg';
import type { ColumnSpec, HeaderColumn, SourceTable } from './read';
import { CellParser } from './parse';
import { IssueCollector } from './issues';
import type { LoadPhase } from './phases';

export const KINDS = ['catalogue', 'institutions', 'price-table', 'guideline', 'mapping', 'costs', 'volumes', 'indicators', 'round', 'reimbursement', 'insurance-policy'] as const;
export type Kind = (typeof KINDS)[number];

export const KIND_LABEL: Record<Kind, string> = {
  catalogue: '项目目录（技术规范）',
  institutions: '医疗机构',
  'price-table': '价格表',
  guideline: '立项指南',
  mapping: '映射关系表',
  costs: '项目成本',
  volumes: '服务量',
  indicators: '指标',
  round: '历史调价项目表',
  reimbursement: '医保支付比例表',
  'insurance-policy': '医保待遇政策表',
};

export interface LoadOptions {
  kind?: Kind;
  region?: string;
  dryRun: boolean;
  skipInvalid: boolean;
  maxErrors: number;
  /**
   * The most the volumes loader's in-memory aggregate may take, in MB; absent: no limit (fastest). A file whose
   * aggregate would take more is loaded in large-file mode (etl/README.md): the same checks and rollups, in SQL.
   */
  memoryMB?: number;
  effectiveDate?: string;
  batchDate?: string;
  guidelineBatch?: string;
  origin: 'real' | 'generated' | 'user';
  source?: string;
  user: string;
  /**
   * The only regions the file may write (an upload by a user of some regions); null or absent: any region. A file
   * with rows of another region is refused whole, like any other problem of the whole file.
   */
  regions?: readonly string[] | null;
  /** kinds the caller may not load (for a user of some regions: the national files); such a file is refused whole */
  forbiddenKinds?: readonly Kind[];
  /** the signed-in user's id and the request id, when the API runs the load for an upload (the audit record) */
  userId?: number | null;
  requestId?: string | null;
  /** rows done so far, and the total when known */
  onProgress?: (rows: number, total: number | null) => void;
  /**
   * the phase the load enters (phases.ts), so that progress can say what runs while no row count moves; null once the
   * load of the file is over (whatever its outcome)
   */
  onPhase?: (phase: LoadPhase | null) => void;
}

export interface LoadContext<K extends string = string> {
  db: PoolClient;
  file: string;
  table: SourceTable;
  cols: Partial<Record<K, HeaderColumn>>;
  issues: IssueCollector;
  parse: CellParser;
  options: LoadOptions;
  batchId: number;
  fileSize: number;
  /**
   * The file's sha256, or null when it is not known yet (Loader.checksumWhileLoading, a large file): the loader may
   * then compute it on the bytes it reads and return it as LoaderResult.checksum, else it is computed after the load.
   */
  checksum: string | null;
}

export interface LoaderResult {
  rowsRead: number;
  rowsLoaded: number;
  /** the single region of the file, when it has one */
  regionCode?: string | null;
  /** sha256 of the whole file, when LoadContext.checksum was null and the loader read every byte of it */
  checksum?: string;
  details?: Record<string, unknown>;
}

export interface Loader<K extends string = string> {
  kind: Kind;
  columns: readonly ColumnSpec<K>[];
  headerRows?: 1 | 2 | 'auto';
  /** whether the loader can compute the file's checksum while it reads it (LoadContext.checksum) */
  checksumWhileLoading?: boolean;
  /**
   * The tables a load of this kind writes, analysed after its commit so that the first query after a load plans on
   * current statistics (autovacuum would get there later; a national volume file is millions of rows).
   */
  analyze: (batchId: number) => readonly string[];
  /** Removes the rows of a batch being replaced by a newer version of the same file. */
  remove(db: PoolClient, batchId: number): Promise<void>;
  load(ctx: LoadContext<K>): Promise<LoaderResult>;
}

/** Cell reference for a column: its letter/number and label, for messages. */
export function refOf(col: HeaderColumn | undefined, row: number): { row: number; column: string; label: string } {
  return { row, column: col?.letter ?? String((col?.index ?? 0) + 1), label: col?.label ?? '' };
}

/** The cell value of a column in a row (null when the column is absent). */
export function cell(cells: (string | null)[], col: HeaderColumn | undefined): string | null {
  return col ? (cells[col.index] ?? null) : null;
}
