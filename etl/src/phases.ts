/**
 * The phases of a load, as its progress reports them (LoadOptions.onPhase): a stable code and its labels. A load goes
 * through them in this order, skipping those it has no work for (rescan comes once more, after overlap, when keys that
 * overlap loaded data are to be listed); most loaders report only checksum, read, commit and analyze. The volumes
 * loader reports the work after its pass over the file too, where no row count moves: in large-file mode most of it
 * runs in SQL on the batch's partition (etl/README.md).
 */
export const LOAD_PHASES = {
  /** sha256 of the file, before anything is written (a large volume file: during its reading) */
  checksum: { zh: '计算校验和', en: 'computing the checksum' },
  /** the rows of the file, checked and written (the only phase with a row count) */
  read: { zh: '读取文件', en: 'reading the file' },
  /** large-file mode: GROUP BY over the partition for repeated periods and sums */
  aggregate: { zh: '汇总（数据库中）', en: 'aggregating in the database' },
  /** large-file mode: the file read again for the rows of the problems to list */
  rescan: { zh: '再次读取文件，定位问题行', en: 'reading the file again for the rows of the problems' },
  /** --skip-invalid in large-file mode: the rows of repeated periods memory mode would have left out, deleted */
  'drop-invalid': { zh: '剔除无效行（数据库中）', en: 'dropping invalid rows in the database' },
  /** large-file mode: the running sums of the keys whose total passes 2^53 */
  'running-sum': { zh: '校验累计值（数据库中）', en: 'checking running sums in the database' },
  /** the periods of the file against those already loaded */
  overlap: { zh: '核对已导入的期间', en: 'checking periods against loaded data' },
  /** the batch's partition attached, its coverage and (memory mode) its level rollup written */
  write: { zh: '写入', en: 'writing' },
  /** the level rollup recomputed in SQL (large-file mode, or pairs that had data) */
  rollup: { zh: '汇总分级服务量（数据库中）', en: 'level rollup in the database' },
  commit: { zh: '提交', en: 'committing' },
  /** statistics of the tables written, after the commit */
  analyze: { zh: '分析统计', en: 'updating statistics' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type LoadPhase = keyof typeof LOAD_PHASES;

export const LOAD_PHASE_CODES = Object.keys(LOAD_PHASES) as LoadPhase[];
