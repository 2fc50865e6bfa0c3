import fs from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import type { Logger } from 'pino';
import { formatIssue } from '../../../etl/src/issues';
import { loadPath } from '../../../etl/src/run';
import { AppConfig } from '../config/config';
import type { Role } from '../auth/access';
import { AuditRepository } from '../audit/audit.repository';
import { AuthRepository } from '../auth/auth.repository';
import { AuthService } from '../auth/auth.service';
import { createDataSource } from '../database/data-source';

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

/**
 * The demo's users, one per role (documented in the README; `npm start` prints them). Created once; a user an
 * administrator has changed since is left as it is. Only with the demo dataset (DEMO_DATA), never in production.
 */
export const DEMO_USERS: readonly { username: string; password: string; displayName: string; role: Role; regionCode: string | null; institutionOf?: string }[] = [
  { username: 'admin', password: 'admin2026', displayName: '演示管理员', role: 'admin', regionCode: null },
  { username: 'zhejiang', password: 'demo2026', displayName: '浙江省医保局价格处', role: 'pricing_officer', regionCode: '330000' },
  { username: 'suzhou', password: 'demo2026', displayName: '苏州市医保局价格处', role: 'analyst', regionCode: '320500' },
  { username: 'xiamen', password: 'demo2026', displayName: '厦门市医保局价格处', role: 'analyst', regionCode: '350200' },
  { username: 'sichuan-viewer', password: 'demo2026', displayName: '四川省（只读）', role: 'viewer', regionCode: '510000' },
  { username: 'suzhou-hospital', password: 'demo2026', displayName: '苏州市一家三级医院', role: 'hospital', regionCode: '320500', institutionOf: '320500' },
];

export async function seedDemoUsers(databaseUrl: string, config: AppConfig): Promise<void> {
  const ds = createDataSource(databaseUrl, 2);
  await ds.initialize();
  try {
    const repo = new AuthRepository(ds);
    const auth = new AuthService(repo, new AuditRepository(ds), config);
    for (const u of DEMO_USERS) {
      let institutionCode: string | null = null;
      if (u.institutionOf) {
        const rows: { code: string }[] = await ds.query(`select code from institution where region_code = $1 and hospital_level = 3 order by code limit 1`, [u.institutionOf]);
        if (!rows[0]) continue;
        institutionCode = rows[0].code;
      }
      await auth.ensureUser({ username: u.username, password: u.password, displayName: u.displayName, role: u.role, regionCode: u.regionCode, institutionCode }, 'demo');
    }
  } finally {
    await ds.destroy();
  }
}
