import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { removeBatch, RemoveError } from '../../etl/src/remove';
import { loadFile } from '../../etl/src/run';
import { useTestDatabase } from '../support/db';
import { etlOptions, fixtureDir, snapshot, writeCsv } from '../support/etl';

const ROOT = path.resolve(__dirname, '../..');
const XM = '350200';
const actor = { userId: null, actor: 'tester', requestId: null };

describe('removal of a load batch (npm run etl -- remove)', () => {
  const db = useTestDatabase();
  let dir: string;
  const ids: Record<string, number> = {};
  const count = async (sql: string, params: unknown[] = []) => Number((await db().pool.query(sql, params)).rows[0].n);

  beforeAll(async () => {
    dir = fixtureDir();
    const files: [string, string, (string | number)[][], Record<string, string>][] = [
      ['prices', 'xm-prices.csv', [['项目编码', '项目名称', '计价单位', '三级医院价格（元）', '二级医院价格（元）', '一级医院价格（元）'], ['110200001', '普通门诊诊查费', '次', 10, 8, 6], ['120100001', '特级护理', '日', 150, 130, 110]], { effectiveDate: '2023-01-01' }],
      ['institutions', 'xm-institutions.csv', [['机构编码', '机构名称', '行政区划代码', '医院等级', '经营性质'], ['H001', '厦门市第一医院', XM, '三级', '公立'], ['H002', '厦门市社区医院', XM, '一级', '公立']], {}],
      ['volumes', 'xm-volumes.csv', [['机构编码', '项目编码', '年份', '月份', '服务量'], ['H001', '110200001', 2023, 0, 1000], ['H001', '120100001', 2023, 0, 50], ['H002', '110200001', 2023, 0, 300]], {}],
    ];
    for (const [key, name, rows, o] of files) {
      const s = await loadFile(db().pool, writeCsv(path.join(dir, name), rows), etlOptions({ region: XM, ...o }));
      expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
      ids[key] = s.batchId!;
    }
  });

  it('refuses, changing nothing, to remove institutions that loaded volumes belong to, and a batch outside the caller\'s regions', async () => {
    const before = await snapshot(db().pool);
    const refused = await removeBatch(db().pool, ids.institutions!, { actor }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RemoveError);
    expect((refused as RemoveError).code).toBe('LOAD.BATCH_IN_USE');
    expect((refused as RemoveError).message).toMatch(/服务量/);
    const outside = await removeBatch(db().pool, ids.volumes!, { actor, regions: ['320500'] }).catch((e: unknown) => e);
    expect((outside as RemoveError).code).toBe('LOAD.BATCH_NOT_FOUND');
    expect(await snapshot(db().pool)).toEqual(before);
    expect(await count(`select count(*)::int as n from audit_log where action = 'load.remove'`)).toBe(0);
  });

  it('removes a volume batch (its partition, coverage and rollups) through the command line, then the institutions', async () => {
    expect(await count(`select count(*)::int as n from volume_annual_level where region_code = $1`, [XM])).toBeGreaterThan(0);
    const cli = spawnSync(process.execPath, ['scripts/run.mjs', 'etl/src/cli.ts', 'remove', String(ids.volumes), '--json', '--user', '运维人员'], {
      cwd: ROOT, env: { ...process.env, DATABASE_URL: db().url }, encoding: 'utf8', timeout: 240_000,
    });
    expect(cli.status, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ batchId: ids.volumes, kind: 'volumes', fileName: 'xm-volumes.csv', rowsLoaded: 3 });
    expect(await count(`select count(*)::int as n from volume_annual_level where region_code = $1`, [XM])).toBe(0);
    expect(await count(`select count(*)::int as n from volume_coverage where batch_id = $1`, [ids.volumes])).toBe(0);
    expect(await count(`select count(*)::int as n from pg_class where relname = $1`, [`volume_b${ids.volumes}`])).toBe(0);
    const b = (await db().pool.query(`select status, removed_by from load_batch where id = $1`, [ids.volumes])).rows[0];
    expect(b).toEqual({ status: 'removed', removed_by: '运维人员' });
    expect((await db().pool.query(`select actor, entity, entity_id from audit_log where action = 'load.remove'`)).rows).toEqual([{ actor: '运维人员', entity: 'load_batch', entity_id: String(ids.volumes) }]);

    // a second removal and an unknown batch: refused with their own codes (exit code 1)
    const again = spawnSync(process.execPath, ['scripts/run.mjs', 'etl/src/cli.ts', 'remove', String(ids.volumes)], { cwd: ROOT, env: { ...process.env, DATABASE_URL: db().url }, encoding: 'utf8', timeout: 240_000 });
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/已删除/);

    // the institutions are free now: removed, the prices untouched
    const prices = await count(`select count(*)::int as n from price where region_code = $1`, [XM]);
    const r = await removeBatch(db().pool, ids.institutions!, { actor });
    expect(r.rowsLoaded).toBe(2);
    expect(await count(`select count(*)::int as n from institution where region_code = $1`, [XM])).toBe(0);
    expect(await count(`select count(*)::int as n from price where region_code = $1`, [XM])).toBe(prices);
    // the price table: its prices and the items no other price uses
    await removeBatch(db().pool, ids.prices!, { actor });
    expect(await count(`select count(*)::int as n from price where region_code = $1`, [XM])).toBe(0);
    expect(await count(`select count(*)::int as n from region_item where region_code = $1`, [XM])).toBe(0);
  });
});
