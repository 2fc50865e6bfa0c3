import fs from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadPhase } from '../../etl/src/phases';
import { loadFile, LoadSummary } from '../../etl/src/run';
import { useTestDatabase } from '../support/db';
import { etlOptions, fixtureDir, snapshot, writeCsv } from '../support/etl';

// Large-file mode of the volumes loader (a memory budget too small for the aggregate): the same database state and
// the same issues (row, column, message) as memory mode.

const HEAD = ['机构编码', '项目编码', '年份', '月份', '服务量'];
const SZ = '320500';
const TS = '130200';
/** a budget no aggregate fits in: large-file mode whatever the file */
const LARGE = { memoryMB: 0 };
/**
 * large-file mode with a budget of 0.1 MB: enough for the level sums of the pass and for stretches of about 1,000
 * keys, so only the institution-years the pass could not clear are checked in SQL
 */
const LARGE_PASS = { memoryMB: 0.1 };
/** a budget every test file fits in: memory mode */
const MEMORY = { memoryMB: 64 };

type Cell = string | number | null;

/** The volume tables, with batches numbered by their order of loading instead of their ids. */
async function volumeState(pool: Pool): Promise<Record<string, string[]>> {
  const rows = async (sql: string) => (await pool.query<{ l: string }>(sql)).rows.map((r) => r.l);
  const rank = `(select count(*) from load_batch b where b.kind = 'volumes' and b.status = 'loaded' and b.id <= x.batch_id)`;
  return {
    volume: await rows(`select concat_ws(' ', region_code, institution_code, item_code, year, month, quantity, ${rank}) as l from volume x order by 1`),
    coverage: await rows(`select concat_ws(' ', region_code, year, institution_code, months, ${rank}) as l from volume_coverage x order by 1`),
    levels: await rows(`select concat_ws(' ', region_code, year, item_code, hospital_level, is_public, quantity) as l from volume_annual_level order by 1`),
  };
}

describe('volumes loader, large-file mode', () => {
  const a = useTestDatabase();
  const b = useTestDatabase();
  const c = useTestDatabase();
  let dir: string;
  const csv = (name: string, rows: Cell[][]) => writeCsv(path.join(dir, name), rows);

  async function reference(pool: Pool) {
    const load = async (f: string, o: Parameters<typeof etlOptions>[0]) => expect((await loadFile(pool, f, etlOptions(o))).status).toBe('loaded');
    await load(csv('institutions.csv', [
      ['机构编码', '机构名称', '行政区划代码', '医院等级', '经营性质'],
      ['H001', '苏州市立医院', SZ, '三级', '公立'], ['H002', '苏州明基医院', SZ, '三级', '非公立'], ['H003', '社区卫生服务中心', SZ, '一级', '公立'],
      ['T001', '唐山市工人医院', TS, '三级', '公立'],
    ]), { kind: 'institutions' });
    const head = ['项目编码', '项目名称', '计价单位', '价格（元）'];
    await load(csv('price-sz.csv', [head, ['110200001', '普通门诊诊察费', '次', 10], ['220301001', '彩色多普勒超声常规检查', '次', 70], ['120100001', '特级护理', '日', 150]]),
      { kind: 'price-table', region: SZ, effectiveDate: '2022-01-01' });
    await load(csv('price-ts.csv', [head, ['110200001', '普通门诊诊察费', '次', 8]]), { kind: 'price-table', region: TS, effectiveDate: '2022-01-01' });
  }

  // loaded first in both databases: the pair (苏州, 2020) then has data, so the next load checks overlaps and
  // recomputes that pair's rollup, and H001 2020 collides in volume_coverage (other items and months)
  const BASE: Cell[][] = [
    ['行政区划代码', ...HEAD],
    [SZ, 'H001', '110200001', 2020, 1, 5], [SZ, 'H001', '110200001', 2020, 2, 6], [SZ, 'H001', '110200001', 2020, 3, 7],
    [SZ, 'H002', '220301001', 2020, 0, 40], [TS, 'T001', '110200001', 2020, 0, 9],
  ];
  // a good file: months and whole years, two regions, new and existing pairs, an item of H001 2020 beside the base's
  const GOOD: Cell[][] = [
    ['行政区划代码', ...HEAD],
    [SZ, 'H001', '110200001', 2020, 4, 8], [SZ, 'H001', '220301001', 2020, 1, 3], [SZ, 'H001', '220301001', 2020, 2, 4],
    [SZ, 'H003', '120100001', 2020, 0, 11],
    [SZ, 'H001', '110200001', 2021, 0, 100], [SZ, 'H002', '110200001', 2021, 0, 50], [SZ, 'H003', '110200001', 2021, 0, 5],
    [SZ, 'H003', '220301001', 2021, 6, 2], [SZ, 'H003', '220301001', 2021, 7, 3], [SZ, 'H002', '120100001', 2021, 12, 1],
    [TS, 'T001', '110200001', 2021, 3, 70], [TS, 'T001', '110200001', 2021, 4, 71], [TS, 'T001', '110200001', 2019, 0, 700],
  ];

  beforeAll(async () => {
    dir = fixtureDir();
    for (const db of [a, b, c]) {
      await reference(db().pool);
      const s = await loadFile(db().pool, csv('base.csv', BASE), etlOptions(MEMORY));
      expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    }
  });
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loads a good file into the same volume, volume_coverage and volume_annual_level as memory mode', async () => {
    const f = csv('good.csv', GOOD);
    const phases: Record<'memory' | 'large' | 'pass', (LoadPhase | null)[]> = { memory: [], large: [], pass: [] };
    const m = await loadFile(a().pool, f, etlOptions({ ...MEMORY, onPhase: (p) => phases.memory.push(p) }));
    expect(m.status, JSON.stringify(m.errors)).toBe('loaded');
    expect(m.details).toMatchObject({ mode: 'memory', memoryBudgetMB: 64 });
    expect(typeof m.details?.aggregateMB).toBe('number');
    const l = await loadFile(b().pool, f, etlOptions({ ...LARGE, onPhase: (p) => phases.large.push(p) }));
    expect(l.status, JSON.stringify(l.errors)).toBe('loaded');
    // the progress says what runs: in large-file mode the GROUP BY of the partition after the reading, and the level
    // rollup from `volume` in both (the pair 苏州 2020 had data); null once the load is over
    expect(phases.memory).toEqual(['checksum', 'read', 'overlap', 'write', 'rollup', 'commit', 'analyze', null]);
    expect(phases.large).toEqual(['checksum', 'read', 'aggregate', 'overlap', 'write', 'rollup', 'commit', 'analyze', null]);
    // with room for stretches and level sums: H002 2021 comes back after H003's rows (rows 7 and 11), the one
    // institution-year of seven checked in SQL; the rollup of the new pairs comes from the pass, 苏州 2020 from `volume`
    const p = await loadFile(c().pool, f, etlOptions({ ...LARGE_PASS, onPhase: (x) => phases.pass.push(x) }));
    expect(p.status, JSON.stringify(p.errors)).toBe('loaded');
    expect(p.details).toMatchObject({ mode: 'large-file', checkedInSql: 1, institutionYears: 7, levelRollup: 'pass' });
    expect([p.rowsRead, p.rowsLoaded]).toEqual([m.rowsRead, m.rowsLoaded]);
    expect(phases.pass).toEqual(['checksum', 'read', 'aggregate', 'overlap', 'write', 'rollup', 'commit', 'analyze', null]);
    expect(l.details).toMatchObject({ mode: 'large-file', aggregateMB: null, path: 'fast' });
    expect([l.rowsRead, l.rowsLoaded]).toEqual([m.rowsRead, m.rowsLoaded]);
    const sa = await volumeState(a().pool);
    expect(await volumeState(b().pool)).toEqual(sa);
    expect(await volumeState(c().pool)).toEqual(sa);
    // and the state is what the two files hold (hand-summed): the base's months of H001 110200001 2020 plus month 4
    expect(sa.levels).toContain(`${SZ} 2020 110200001 3 t 26`);
    expect(sa.levels).toContain(`${SZ} 2021 110200001 3 t 100`);
    expect(sa.levels).toContain(`${SZ} 2021 110200001 3 f 50`);
    expect(sa.levels).toContain(`${TS} 2021 110200001 3 t 141`);
    expect(sa.levels).toContain(`${TS} 2019 110200001 3 t 700`);
    expect(sa.coverage).toContain(`${SZ} 2020 H001 ${(1 << 1) | (1 << 2) | (1 << 4)} 2`);
    expect(sa.coverage).toContain(`${SZ} 2020 H001 ${(1 << 1) | (1 << 2) | (1 << 3)} 1`);
    expect(sa.volume).toHaveLength(BASE.length - 1 + GOOD.length - 1);
  });

  it('loads a file of the slow path (quoted cells) into the same state as memory mode', async () => {
    const rows: Cell[][] = [HEAD, ['H001', '110200001', 2018, 1, 5], ['H001', '110200001', 2018, 2, 6], ['H002', '"220301001"', 2018, 0, 1]];
    // a quoted cell: the general reader
    const f = path.join(dir, 'quoted.csv');
    fs.writeFileSync(f, rows.map((r) => r.join(',')).join('\n') + '\n');
    const m = await loadFile(a().pool, f, etlOptions({ ...MEMORY, region: SZ }));
    expect(m.status, JSON.stringify(m.errors)).toBe('loaded');
    const l = await loadFile(b().pool, f, etlOptions({ ...LARGE, region: SZ }));
    expect(l.status, JSON.stringify(l.errors)).toBe('loaded');
    expect(l.details).toMatchObject({ mode: 'large-file', path: 'slow' });
    expect(await volumeState(b().pool)).toEqual(await volumeState(a().pool));
    // every institution-year in one stretch and clear: no SQL on the partition at all (the pair 苏州 2018 is new)
    const phases: (LoadPhase | null)[] = [];
    const p = await loadFile(c().pool, f, etlOptions({ ...LARGE_PASS, region: SZ, onPhase: (x) => phases.push(x) }));
    expect(p.status, JSON.stringify(p.errors)).toBe('loaded');
    expect(p.details).toMatchObject({ mode: 'large-file', path: 'slow', checkedInSql: 0, institutionYears: 2, levelRollup: 'pass' });
    expect(phases).toEqual(['checksum', 'read', 'overlap', 'write', 'commit', 'analyze', null]);
    expect(await volumeState(c().pool)).toEqual(await volumeState(a().pool));
  });

  /** the phases of the last large-file load of sameIssues */
  let largePhases: (LoadPhase | null)[] = [];

  /** Loads a bad file in both modes into database a: the same issues, nothing written by either. */
  async function sameIssues(name: string, rows: Cell[][]): Promise<string[]> {
    const f = csv(name, rows);
    const pool = a().pool;
    const before = await snapshot(pool);
    const run = async (o: Parameters<typeof etlOptions>[0]): Promise<LoadSummary> => {
      const s = await loadFile(pool, f, etlOptions({ region: SZ, ...o }));
      expect(s.status).toBe('invalid');
      expect(await snapshot(pool)).toEqual(before);
      return s;
    };
    const m = await run(MEMORY);
    largePhases = [];
    const l = await run({ ...LARGE, onPhase: (p) => largePhases.push(p) });
    const p = await run(LARGE_PASS);
    const issues = (s: LoadSummary) => s.errors.map((i) => `${i.row}:${i.column}: ${i.zh} (${i.en})`).sort();
    expect(issues(l)).toEqual(issues(m));
    expect(issues(p)).toEqual(issues(m));
    expect([l.errorCount, l.rowsRejected]).toEqual([m.errorCount, m.rowsRejected]);
    expect([p.errorCount, p.rowsRejected]).toEqual([m.errorCount, m.rowsRejected]);
    return issues(m);
  }

  it('reports the same repeated months, naming the earlier row, and writes nothing', async () => {
    const issues = await sameIssues('dup.csv', [
      HEAD, ['H001', '110200001', 2022, 1, 5], ['H002', '110200001', 2022, 1, 5], ['H001', '110200001', 2022, 1, 6],
      ['H002', '110200001', 2022, 2, 5], ['H002', '110200001', 2022, 2, 7], ['H003', 'X9', 2022, 1, 1],
    ]);
    expect(issues).toEqual([
      '4:4: 重复的行：机构 H001 项目 110200001 2022年1月与第 2 行相同 (duplicate row: same institution, item and period as row 2)',
      '6:4: 重复的行：机构 H002 项目 110200001 2022年2月在前面已出现 (duplicate row: same institution, item and period as an earlier row)',
      expect.stringMatching(/^7:2: 项目编码 X9 不在地区 320500/),
    ]);
    // the rows of the repeated months come from a second reading of the file; a refused file is not written
    expect(largePhases).toEqual(['checksum', 'read', 'aggregate', 'rescan', 'overlap', null]);
  });

  it('reports the same whole-year totals beside months, both ways round, and writes nothing', async () => {
    const issues = await sameIssues('whole-year.csv', [
      HEAD, ['H003', '110200001', 2022, 3, 5], ['H003', '110200001', 2022, 0, 50], ['H001', '220301001', 2022, 0, 9],
      ['H001', '220301001', 2022, 5, 1], ['H001', '220301001', 2022, 6, 1],
    ]);
    expect(issues).toEqual([
      '3:4: 统计期间重叠：机构 H003 项目 110200001 2022年全年与第 2 行的月度数据重叠 (overlapping period: a whole-year total and monthly figures for the same institution, item and year (row 2))',
      '5:4: 统计期间重叠：机构 H001 项目 220301001 2022年5月与第 4 行的全年合计重叠 (overlapping period: a whole-year total and monthly figures for the same institution, item and year (row 4))',
      '6:4: 统计期间重叠：机构 H001 项目 220301001 2022年6月与第 4 行的全年合计重叠 (overlapping period: a whole-year total and monthly figures for the same institution, item and year (row 4))',
    ]);
  });

  it('reports the same overlap with an already-loaded batch, at the first row of the key, and writes nothing', async () => {
    const base = (await a().pool.query<{ id: string }>(`select id from load_batch where file_name = 'base.csv'`)).rows[0].id;
    const issues = await sameIssues('overlap.csv', [
      HEAD, ['H001', '120100001', 2020, 5, 1], ['H001', '110200001', 2020, 5, 1], ['H001', '110200001', 2020, 2, 9], ['H002', '220301001', 2020, 3, 2],
    ]);
    expect(issues).toEqual([
      `3:4: 统计期间重叠：机构 H001 项目 110200001 2020年2月、5月的服务量与已由批次 #${base}（base.csv）导入的1月、2月、3月数据重叠 (overlapping period: volumes of institution H001, item 110200001, 2020 already loaded by batch ${base})`,
      `5:4: 统计期间重叠：机构 H002 项目 220301001 2020年3月的服务量与已由批次 #${base}（base.csv）导入的全年数据重叠 (overlapping period: volumes of institution H002, item 220301001, 2020 already loaded by batch ${base})`,
    ]);
  });

  it('reports the same sum beyond 2^53', async () => {
    const issues = await sameIssues('huge.csv', [
      HEAD, ['H001', '110200001', 2023, 1, 5_000_000_000_000_000], ['H001', '110200001', 2023, 2, 5_000_000_000_000_000],
      ['H001', '110200001', 2023, 3, 1],
    ]);
    expect(issues).toEqual(['null:5: 服务量合计超出可精确计算的范围（2 行） (a sum of quantities exceeds 2^53)']);
    expect(largePhases).toEqual(['checksum', 'read', 'aggregate', 'running-sum', 'overlap', null]);
  });

  it('counts the same rejected rows as memory mode when more problems are found than listed', async () => {
    const f = csv('many.csv', [
      HEAD, ['H001', '110200001', 2022, 1, 5], ['H001', '110200001', 2022, 1, 6], ['H001', '110200001', 2022, 1, 7], ['H003', 'X9', 2022, 1, 1],
    ]);
    const run = (o: Parameters<typeof etlOptions>[0]) => loadFile(a().pool, f, etlOptions({ region: SZ, maxErrors: 1, ...o }));
    const m = await run(MEMORY);
    const l = await run(LARGE);
    const p = await run(LARGE_PASS);
    // rows 3 and 4 repeat row 2's month, row 5 has an unknown item: three rows refused, one problem listed
    expect([m.status, m.errorCount, m.rowsRejected, m.errors.length]).toEqual(['invalid', 3, 3, 1]);
    expect([l.status, l.errorCount, l.rowsRejected, l.errors.length]).toEqual(['invalid', 3, 3, 1]);
    expect([p.status, p.errorCount, p.rowsRejected, p.errors.length]).toEqual(['invalid', 3, 3, 1]);
  });

  it('with --skip-invalid loads the same rows as memory mode, reports the same problems and writes the same tables', async () => {
    const base = (await a().pool.query<{ id: string }>(`select id from load_batch where file_name = 'base.csv'`)).rows[0].id;
    const f = csv('skip.csv', [
      HEAD,
      ['H001', '110200001', 2025, 1, 10], ['H001', '110200001', 2025, 2, 20], // rows 2, 3: kept
      ['H001', '110200001', 2025, 1, 11], // 4: month 1 again (row 2)
      ['H001', '110200001', 2025, 0, 100], // 5: a whole-year total beside months
      ['H001', '220301001', 2025, 3, 5], // 6: kept
      ['H002', '110200001', 2025, 0, 300], // 7: kept, a whole-year total first
      ['H002', '110200001', 2025, 5, 7], // 8: a month beside it
      ['H002', '110200001', 2025, 0, 301], // 9: the whole year again (row 7)
      ['H003', '120100001', 2025, 4, 9], // 10: kept
      ['H003', 'X9', 2025, 4, 1], // 11: unknown item
      ['H003', '120100001', 2025, 6, -3], // 12: negative
      ['H009', '120100001', 2025, 6, 3], // 13: unknown institution
      ['H001', '110200001', 2020, 2, 8], ['H001', '110200001', 2020, 7, 9], // 14, 15: month 2 loaded by base.csv: the key is left out
      ['H002', '220301001', 2020, 3, 2], // 16: base.csv has the whole year
      ['H003', '110200001', 2025, 0, 50], // 17: kept
      ['H003', '110200001', 2025, 0, 50], // 18: the same row again
    ]);
    const issues = (s: LoadSummary) => s.errors.map((i) => `${i.row}:${i.column}: ${i.zh}`).sort();
    // a dry run first: the same problems and counts, nothing written
    const before = await snapshot(a().pool);
    const dm = await loadFile(a().pool, f, etlOptions({ ...MEMORY, region: SZ, skipInvalid: true, dryRun: true }));
    const dl = await loadFile(a().pool, f, etlOptions({ ...LARGE, region: SZ, skipInvalid: true, dryRun: true }));
    expect(await snapshot(a().pool)).toEqual(before);
    expect(dm.status).toBe('dry-run');
    expect([dl.status, dl.rowsRead, dl.rowsLoaded, dl.rowsRejected, dl.errorCount]).toEqual([dm.status, dm.rowsRead, dm.rowsLoaded, dm.rowsRejected, dm.errorCount]);
    expect(issues(dl)).toEqual(issues(dm));

    const phases: (LoadPhase | null)[] = [];
    const m = await loadFile(a().pool, f, etlOptions({ ...MEMORY, region: SZ, skipInvalid: true }));
    const l = await loadFile(b().pool, f, etlOptions({ ...LARGE, region: SZ, skipInvalid: true, onPhase: (p) => phases.push(p) }));
    expect(m.status, JSON.stringify(m.errors)).toBe('loaded');
    expect(l.status, JSON.stringify(l.errors)).toBe('loaded');
    expect(l.details).toMatchObject({ mode: 'large-file' });
    // 17 rows read; rows 2, 3, 6, 7, 10 and 17 load; the ten problems are at rows 4, 5, 8, 9, 11, 12, 13, 18 and at the
    // first row of the two keys that overlap base.csv (14, 16), whose rows 14–16 are all left out
    expect([m.rowsRead, m.rowsLoaded, m.rowsRejected, m.errorCount]).toEqual([17, 6, 10, 10]);
    expect([l.rowsRead, l.rowsLoaded, l.rowsRejected, l.errorCount]).toEqual([17, 6, 10, 10]);
    expect(issues(l)).toEqual(issues(m));
    expect(issues(m).map((i) => Number(i.split(':')[0]))).toEqual([4, 5, 8, 9, 11, 12, 13, 14, 16, 18].sort());
    expect(issues(m)).toContain(`14:4: 统计期间重叠：机构 H001 项目 110200001 2020年2月、7月的服务量与已由批次 #${base}（base.csv）导入的1月、2月、3月数据重叠`);
    expect(phases).toEqual(['checksum', 'read', 'aggregate', 'rescan', 'drop-invalid', 'overlap', 'rescan', 'write', 'rollup', 'commit', 'analyze', null]);

    // with room for stretches: the three institution-years of 2025 with refused rows (H003's rows also come back at
    // row 17) are checked in SQL; rows were deleted, so the rollup comes from `volume`
    const p = await loadFile(c().pool, f, etlOptions({ ...LARGE_PASS, region: SZ, skipInvalid: true }));
    expect(p.status, JSON.stringify(p.errors)).toBe('loaded');
    expect(p.details).toMatchObject({ mode: 'large-file', checkedInSql: 3, levelRollup: 'sql' });
    expect([p.rowsRead, p.rowsLoaded, p.rowsRejected, p.errorCount]).toEqual([17, 6, 10, 10]);
    expect(issues(p)).toEqual(issues(m));

    const sa = await volumeState(a().pool);
    expect(await volumeState(b().pool)).toEqual(sa);
    expect(await volumeState(c().pool)).toEqual(sa);
    const batch = 4; // base, good, quoted, skip
    expect(sa.volume.filter((r) => r.endsWith(` ${batch}`))).toEqual([
      `${SZ} H001 110200001 2025 1 10 ${batch}`, `${SZ} H001 110200001 2025 2 20 ${batch}`, `${SZ} H001 220301001 2025 3 5 ${batch}`,
      `${SZ} H002 110200001 2025 0 300 ${batch}`, `${SZ} H003 110200001 2025 0 50 ${batch}`, `${SZ} H003 120100001 2025 4 9 ${batch}`,
    ]);
    // the months of the rows kept: not the whole year of row 5 beside H001's months, nor month 5 of row 8 beside H002's whole year
    expect(sa.coverage.filter((r) => r.endsWith(` ${batch}`))).toEqual([
      `${SZ} 2025 H001 ${(1 << 1) | (1 << 2) | (1 << 3)} ${batch}`, `${SZ} 2025 H002 1 ${batch}`, `${SZ} 2025 H003 ${1 | (1 << 4)} ${batch}`,
    ]);
    expect(sa.levels.filter((r) => r.startsWith(`${SZ} 2025 `))).toEqual([
      `${SZ} 2025 110200001 1 t 50`, `${SZ} 2025 110200001 3 f 300`, `${SZ} 2025 110200001 3 t 30`, `${SZ} 2025 120100001 1 t 9`, `${SZ} 2025 220301001 3 t 5`,
    ]);
  });

  it('a dry run in large-file mode checks the file and writes nothing', async () => {
    const pool = b().pool;
    const before = await snapshot(pool);
    const s = await loadFile(pool, csv('dry.csv', [HEAD, ['H001', '110200001', 2016, 0, 5], ['H001', '110200001', 2016, 0, 6]]), etlOptions({ ...LARGE, region: SZ, dryRun: true }));
    expect(s.errors.map((i) => `${i.row}: ${i.zh}`)).toEqual(['3: 重复的行：机构 H001 项目 110200001 2016年全年与第 2 行相同']);
    expect(await snapshot(pool)).toEqual(before);
  });
});
