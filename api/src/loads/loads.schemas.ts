import { z } from 'zod';
import { LOAD_PHASE_CODES, type LoadPhase } from '../../../etl/src/phases';

/** The kinds of file the loaders take (etl/src/loader.ts KINDS; a test keeps the two lists equal). */
export const UPLOAD_KINDS = ['catalogue', 'institutions', 'price-table', 'guideline', 'mapping', 'costs', 'volumes', 'indicators', 'round', 'reimbursement', 'insurance-policy'] as const;

/** Query of POST /api/loads/uploads: the CLI's flags (`npm run etl -- load`), `auto` for the CLI's detection. */
export const uploadQuerySchema = z
  .object({
    mode: z.enum(['dry-run', 'load']).default('dry-run'),
    kind: z.enum(['auto', ...UPLOAD_KINDS]).default('auto'),
    region: z.union([z.literal('auto'), z.string().regex(/^\d{6}$/, '应为6位行政区划代码 (a 6-digit region code)')]).default('auto'),
    skipInvalid: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
    effectiveDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '应为 YYYY-MM-DD').optional(),
    maxErrors: z.coerce.number().int().min(1).max(10_000).default(500),
  })
  .strict();
export type UploadQuery = z.infer<typeof uploadQuerySchema>;

/** Body of POST /api/loads/jobs/:id/load: load the files a dry run checked. */
export const loadCheckedSchema = z.object({ skipInvalid: z.boolean().default(false) }).strict();
export type LoadChecked = z.infer<typeof loadCheckedSchema>;

export const jobIdSchema = z.string().regex(/^[0-9a-f]{32}$/, '任务编号无效 (invalid job id)');
export const batchIdSchema = z.string().regex(/^[1-9][0-9]{0,15}$/, '批次号应为正整数 (batch id)').transform(Number);

export const issueSchema = z.object({
  file: z.string(),
  row: z.number().nullable(),
  column: z.string().nullable(),
  zh: z.string(),
  en: z.string(),
});
export type UploadIssue = z.infer<typeof issueSchema>;

/** The load summary of one file, as `npm run etl -- load --json` prints it. */
export const loadSummarySchema = z.object({
  file: z.string(),
  kind: z.enum(UPLOAD_KINDS).nullable(),
  status: z.enum(['loaded', 'unchanged', 'invalid', 'dry-run', 'failed']),
  batchId: z.number().nullable(),
  replacedBatchId: z.number().nullable(),
  region: z.string().nullable(),
  rowsRead: z.number(),
  rowsLoaded: z.number(),
  rowsRejected: z.number(),
  errorCount: z.number(),
  errors: z.array(issueSchema),
  warningCount: z.number(),
  warnings: z.array(issueSchema),
  rejectFile: z.string().nullable(),
  seconds: z.number(),
});
export type UploadSummary = z.infer<typeof loadSummarySchema>;

/** A phase of a file's load (etl/src/phases.ts): its code, labels and the seconds spent in it (so far, for the current one). */
export const loadPhaseSchema = z.object({
  code: z.enum(LOAD_PHASE_CODES as [LoadPhase, ...LoadPhase[]]),
  zh: z.string(),
  en: z.string(),
  seconds: z.number(),
});
export type UploadPhase = z.infer<typeof loadPhaseSchema>;

export const jobFileSchema = z.object({
  name: z.string(),
  size: z.number(),
  status: z.enum(['waiting', 'running', 'done']),
  /** rows read so far, the total when the reader knows it, rows/s and the seconds left at that rate */
  rowsRead: z.number(),
  totalRows: z.number().nullable(),
  rowsPerSecond: z.number(),
  etaSeconds: z.number().nullable(),
  /**
   * what the load does now (null while waiting and once done): reading the file (the row counts move), or a phase
   * after it where they do not (large-file mode: the checks and rollups in SQL), with the seconds spent in it so far
   */
  phase: loadPhaseSchema.nullable(),
  /** the phases passed, in order, with the seconds each took */
  phases: z.array(loadPhaseSchema),
  summary: loadSummarySchema.nullable(),
});

export const jobSchema = z.object({
  id: z.string(),
  mode: z.enum(['dry-run', 'load']),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  /** queued → checking/loading (the files one after another) → done */
  phase: z.enum(['queued', 'checking', 'loading', 'done']),
  kind: z.string(),
  region: z.string(),
  skipInvalid: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  seconds: z.number(),
  files: z.array(jobFileSchema),
  /** a dry run whose files are kept and may be loaded (POST /api/loads/jobs/:id/load) */
  loadable: z.boolean(),
  /** every file passed (no problem) */
  clean: z.boolean(),
  /** why the job failed (status failed) */
  error: z.string().nullable(),
});
export type UploadJob = z.infer<typeof jobSchema>;

export const uploadSettingsSchema = z.object({
  maxBytes: z.number(),
  maxFiles: z.number(),
  types: z.array(z.string()),
  kinds: z.array(z.object({ kind: z.string(), label: z.string() })),
  /** the regions the user may load into (null: every region) */
  regions: z.array(z.string()).nullable(),
});
export type UploadSettings = z.infer<typeof uploadSettingsSchema>;

export const loadBatchSchema = z.object({
  id: z.number(),
  kind: z.string(),
  fileName: z.string(),
  checksum: z.string(),
  fileSize: z.number(),
  regionCode: z.string().nullable(),
  status: z.enum(['loading', 'loaded', 'replaced', 'failed', 'removed']),
  rowsRead: z.number(),
  rowsLoaded: z.number(),
  rowsRejected: z.number(),
  origin: z.string(),
  source: z.string().nullable(),
  loadedBy: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** lineage: the batch this one replaced (a newer version of the same file), and the one that replaced it */
  replaces: z.number().nullable(),
  replacedBy: z.number().nullable(),
  removedBy: z.string().nullable(),
  removedAt: z.string().nullable(),
  /** loaded and within the user's regions: the user may remove it (when they may change data) */
  removable: z.boolean(),
});
export type LoadBatch = z.infer<typeof loadBatchSchema>;

export const removeResultSchema = z.object({
  batchId: z.number(),
  kind: z.string(),
  fileName: z.string(),
  regionCode: z.string().nullable(),
  rowsLoaded: z.number(),
  seconds: z.number(),
});
export type RemoveResult = z.infer<typeof removeResultSchema>;
