import { describe, expect, it } from 'vitest';
import { createDataSource, migrate, revertAll } from '../../api/src/database/data-source';
import { MIGRATIONS } from '../../api/src/database/migrations';
import { VolumeCoverage1763900000003 } from '../../api/src/database/migrations/1763900000003-volume-coverage';
import { ScenarioVersions1764500000000 } from '../../api/src/database/migrations/1764500000000-scenario-versions';
import { decodeVersionBody } from '../../api/src/database/scenario-version-body';
import { CATEGORIES, INDICATORS } from '../../api/src/domain/reference';
import { PRESETS } from '../../api/src/domain/triggers/presets';
import { useTestDatabase } from '../support/db';

const TABLES = [
  'app_user', 'audit_log', 'category', 'code_crosswalk', 'cost', 'guideline_batch', 'guideline_item',
  'guideline_mapping', 'hospital_quote', 'indicator', 'indicator_value', 'institution', 'item', 'load_batch', 'price',
  'region', 'region_item', 'reimbursement_rate', 'round', 'round_allocation', 'rule', 'rule_set', 'scenario',
  'scenario_change', 'volume', 'volume_annual_level', 'volume_coverage', 'data_change', 'insurance_policy', 'scenario_version',
];

describe('migrations on an empty database', () => {
  const db = useTestDatabase({ empty: true });

  async function tables(): Promise<string[]> {
    const r = await db().pool.query(
      `select table_name from information_schema.tables where table_schema = 'public' and table_type in ('BASE TABLE') order by 1`,
    );
    return r.rows.map((x) => x.table_name);
  }

  it('apply, create every table of the domain, seed reference rows, and roll back to nothing', async () => {
    const ds = createDataSource(db().url, 2);
    await ds.initialize();
    try {
      const applied = await migrate(ds);
      expect(applied).toEqual(MIGRATIONS.map((m) => m.name));
      const after = await tables();
      for (const t of TABLES) expect(after).toContain(t);
      expect(after).not.toContain('volume_annual_institution');
      // volume is partitioned (listed as a partitioned table, not a base table)
      const part = await db().pool.query(`select relkind from pg_class where relname = 'volume'`);
      expect(part.rows[0].relkind).toBe('p');

      const counts = await db().pool.query(`
        select (select count(*) from region where level = 1)::int as provinces,
               (select count(*) from region where level = 2)::int as cities,
               (select count(*) from region where pilot = 'city_2021')::int as pilot_cities,
               (select count(*) from region where pilot = 'province_2024')::int as pilot_provinces,
               (select name from region where code = '130200') as tangshan,
               (select count(*) from indicator)::int as indicators`);
      expect(counts.rows[0]).toMatchObject({ provinces: 31, cities: 342, pilot_cities: 5, pilot_provinces: 3, tangshan: '唐山市' });
      expect(counts.rows[0].indicators).toBeGreaterThanOrEqual(25);

      // a second run has nothing to do
      expect(await migrate(ds)).toEqual([]);

      expect(await revertAll(ds)).toBe(MIGRATIONS.length);
      expect((await tables()).filter((t) => t !== 'schema_migration')).toEqual([]);
      const staging = await db().pool.query(`select count(*)::int as n from information_schema.schemata where schema_name = 'staging'`);
      expect(staging.rows[0].n).toBe(0);

      // and apply again cleanly after the rollback
      expect(await migrate(ds)).toHaveLength(MIGRATIONS.length);
    } finally {
      await ds.destroy();
    }
  });
});

describe('schema rules', () => {
  const db = useTestDatabase();

  // Migrations carry frozen copies of the presets and the reference lists; when the domain's change, a new migration
  // must bring the database along, and this test fails until one does.
  it('holds the domain\'s current preset rule sets, categories and indicators after the last migration', async () => {
    const presets = await db().pool.query(`select definition from rule_set where is_preset order by id`);
    const byName = new Map(presets.rows.map((r) => [`${r.definition.name}|${r.definition.version}`, r.definition]));
    expect(presets.rows.length).toBe(Object.keys(PRESETS).length);
    for (const p of Object.values(PRESETS)) expect(byName.get(`${p.name}|${p.version}`)).toEqual(JSON.parse(JSON.stringify(p)));
    const cats = await db().pool.query(`select code, name_zh, name_en, family from category order by sort`);
    expect(cats.rows).toEqual(CATEGORIES.map((c) => ({ code: c.code, name_zh: c.name_zh, name_en: c.name_en, family: c.family })));
    const inds = await db().pool.query(`select code from indicator order by code`);
    expect(inds.rows.map((r) => r.code)).toEqual(INDICATORS.map((i) => i.code).sort());
  });

  it('stores money as integer fen and rejects malformed keys', async () => {
    const { pool } = db();
    const money = await pool.query(
      `select table_name, column_name, udt_name from information_schema.columns
        where table_schema = 'public' and column_name like '%\\_fen' escape '\\'`,
    );
    expect(money.rows.length).toBeGreaterThan(10);
    // bigint, or an array of bigint (the 大病保险 band edges of insurance_policy)
    for (const r of money.rows) expect(['int8', '_int8'], `${r.table_name}.${r.column_name}`).toContain(r.udt_name);

    await expect(pool.query(`insert into region (code, name, level) values ('1302', 'x', 2)`)).rejects.toThrow(/check/);
    await expect(
      pool.query(`insert into indicator_value (region_code, indicator_code, period, release_type, value, unit, source)
                  values ('130200', 'cpi_growth', '2024-13', 'final', 1, '%', 't')`),
    ).rejects.toThrow(/check/);
  });

  it('keeps 快报 and 公报 of the same period side by side', async () => {
    const { pool } = db();
    await pool.query(`insert into indicator_value (region_code, indicator_code, period, release_type, value, unit, source)
                      values ('000000', 'fund_income', '2022', 'express', 30697.72, '亿元', 'S1'),
                             ('000000', 'fund_income', '2022', 'final', 30922.17, '亿元', 'S2')`);
    const r = await pool.query(`select release_type, value from indicator_value where indicator_code = 'fund_income' order by 1`);
    expect(r.rows).toEqual([
      { release_type: 'express', value: '30697.72' },
      { release_type: 'final', value: '30922.17' },
    ]);
  });

  it('volume coverage: up() fills volume_coverage from the volume partitions, down() fills volume_annual_institution again', async () => {
    const { pool } = db();
    const batch = Number((await pool.query(`insert into load_batch (kind, file_name, checksum, file_size, status, loaded_by)
      values ('volumes', 'v.csv', repeat('a', 64), 1, 'loaded', 'test') returning id`)).rows[0].id);
    await pool.query(`create table volume_b${batch} (like volume)`);
    await pool.query(`insert into volume_b${batch} (region_code, institution_code, item_code, year, month, quantity, batch_id) values
      ('320500', 'H1', '110200001', 2023, 1, 10, ${batch}), ('320500', 'H1', '110200001', 2023, 2, 20, ${batch}),
      ('320500', 'H1', '220301001', 2023, 5, 3, ${batch}), ('320500', 'H2', '110200001', 2023, 0, 7, ${batch}),
      ('320500', 'H2', '110200001', 2022, 0, 6, ${batch})`);
    await pool.query(`alter table volume attach partition volume_b${batch} for values in (${batch})`);
    const ds = createDataSource(db().url, 1);
    await ds.initialize();
    const runner = ds.createQueryRunner();
    const rows = async (sql: string) => (await pool.query(sql)).rows;
    try {
      const m = new VolumeCoverage1763900000003();
      await m.down(runner);
      expect(await rows(`select institution_code, item_code, year, quantity::int, months from volume_annual_institution order by 1, 2, 3`)).toEqual([
        { institution_code: 'H1', item_code: '110200001', year: 2023, quantity: 30, months: 0b110 },
        { institution_code: 'H1', item_code: '220301001', year: 2023, quantity: 3, months: 1 << 5 },
        { institution_code: 'H2', item_code: '110200001', year: 2022, quantity: 6, months: 1 },
        { institution_code: 'H2', item_code: '110200001', year: 2023, quantity: 7, months: 1 },
      ]);
      expect(await rows(`select to_regclass('volume_coverage') as t`)).toEqual([{ t: null }]);
      await m.up(runner);
      expect(await rows(`select institution_code, year, batch_id::int, months from volume_coverage order by 1, 2`)).toEqual([
        { institution_code: 'H1', year: 2023, batch_id: batch, months: 0b100110 },
        { institution_code: 'H2', year: 2022, batch_id: batch, months: 1 },
        { institution_code: 'H2', year: 2023, batch_id: batch, months: 1 },
      ]);
      expect(await rows(`select to_regclass('volume_annual_institution') as t`)).toEqual([{ t: null }]);
    } finally {
      await runner.release();
      await ds.destroy();
    }
  });

  it('scenario versions: up() stores each existing scenario\'s change list as its current version', async () => {
    const { pool } = db();
    const round = Number((await pool.query(`insert into round (region_code, year, name, kind, status) values ('320500', 2025, '回填轮次', 'regular', 'scenarios') returning id`)).rows[0].id);
    const ids: number[] = [];
    for (const [name, version] of [['回填甲', 4], ['回填乙', 1]] as const) {
      ids.push(Number((await pool.query(
        `insert into scenario (round_id, region_code, name, method, version, params) values ($1, '320500', $2, 'manual', $3, '{"a": 1}') returning id`,
        [round, name, version],
      )).rows[0].id));
    }
    await pool.query(`insert into scenario_change (region_code, scenario_id, item_code, hospital_level, old_price_fen, new_price_fen, reason, source) values
      ('320500', $1, '110200001', 3, 1000, 1100, '劳务', 'manual'), ('320500', $1, '110200001', 2, 900, 950, null, null),
      ('320500', $1, '250101015', 3, 2000, 1800, null, 'a.xlsx:3')`, [ids[0]]);
    const ds = createDataSource(db().url, 1);
    await ds.initialize();
    const runner = ds.createQueryRunner();
    try {
      const m = new ScenarioVersions1764500000000();
      await m.down(runner);
      await m.up(runner);
      const v = (await pool.query(`select scenario_id::int as id, version, action, kind, body, row_count, user_id, name, params from scenario_version order by scenario_id`)).rows;
      expect(v.map(({ body: _b, ...x }) => x)).toEqual([
        { id: ids[0], version: 4, action: 'backfill', kind: 'full', row_count: 3, user_id: null, name: '回填甲', params: { a: 1 } },
        { id: ids[1], version: 1, action: 'backfill', kind: 'full', row_count: 0, user_id: null, name: '回填乙', params: { a: 1 } },
      ]);
      expect(await decodeVersionBody('full', v[0].body)).toEqual({
        kind: 'full',
        rows: [['110200001', 3, 1000, 1100, '劳务', 'manual'], ['110200001', 2, 900, 950, null, null], ['250101015', 3, 2000, 1800, null, 'a.xlsx:3']],
      });
      expect(await decodeVersionBody('full', v[1].body)).toEqual({ kind: 'full', rows: [] });
    } finally {
      await runner.release();
      await ds.destroy();
    }
  });

  it('carries the region code in the key of every fact table', async () => {
    const { pool } = db();
    const facts = ['price', 'cost', 'institution', 'region_item', 'indicator_value', 'scenario_change', 'round_allocation',
      'volume_annual_level', 'volume_coverage'];
    for (const t of facts) {
      const r = await pool.query(
        `select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
          where i.indrelid = $1::regclass and i.indisprimary`,
        [t],
      );
      expect(r.rows.map((x) => x.attname), t).toContain('region_code');
    }
  });
});
