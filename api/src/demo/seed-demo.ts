import fs from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import type { Logger } from 'pino';
import { formatIssue } from '../../../etl/src/issues';
import { loadPath } from '../../../etl/src/run';
import { AppConfig } from '../config/config';

/**
 * Loads the demo dataset (data/demo, in the official file layouts) through the ETL loaders on the first start, when
 * no file has been loaded yet. A file that fails is logged with its problems; the app starts anyway.
 */
export async function seedDemoData(databaseUrl: string, config: AppConfig, logger: Logger): Promise<void> {
  const dir = path.join(config.projectRoot, 'data', 'demo');
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) return;
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  try {
    const r = await pool.query('select count(*)::int as n from load_batch');
    if (r.rows[0].n > 0) return;
    const t0 = Date.now();
    process.stdout.write('首次启动：正在导入演示数据 (first start: loading the demo dataset) …\n');
    const summaries = await loadPath(pool, dir, { dryRun: false, skipInvalid: false, maxErrors: 20, origin: 'generated', user: 'demo' });
    let rows = 0;
    for (const s of summaries) {
      rows += s.rowsLoaded;
      if (s.status === 'loaded' || s.status === 'unchanged') {
        logger.info({ file: path.basename(s.file), kind: s.kind, rows: s.rowsLoaded, batch: s.batchId }, 'demo file loaded');
      } else {
        logger.error({ file: path.basename(s.file), kind: s.kind, errors: s.errors.map(formatIssue) }, 'demo file not loaded');
      }
    }
    const failed = summaries.filter((s) => s.status !== 'loaded' && s.status !== 'unchanged').length;
    process.stdout.write(
      `演示数据已导入：${summaries.length - failed}/${summaries.length} 个文件，${rows} 行，${((Date.now() - t0) / 1000).toFixed(1)} 秒` +
        (failed ? `（${failed} 个文件未导入，详见日志）` : '') + '\n',
    );
  } finally {
    await pool.end();
  }
}
