import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatIssue } from '../../etl/src/issues';
import { volumesLoader } from '../../etl/src/loaders/volumes';
import { loadFile, sha256File } from '../../etl/src/run';
import { LIMITS } from '../../etl/src/volumes/rollup';
import { useTestDatabase } from '../support/db';
import { etlOptions, expectRejected, fixtureDir, snapshot, writeCsv } from '../support/etl';

const ROOT = path.resolve(__dirname, '../..');
const HEAD = ['机构编码', '项目编码', '年份', '月份', '服务量'];
const SZ = '320500';
const XM = '350200';
const TS = '130200';

type Cell = string | number | null;

describe('volumes loader', () => {
  const db = useTestDatabase();
  let dir: string;
  const q = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => (await db().pool.query(sql, params)).rows as T[];
  const load = (file: string, o: Parameters<typeof etlOptions>[0] = {}) => loadFile(db().pool, file, etlOptions(o));
  const csv = (name: string, rows: Cell[][], opts?: Parameters<typeof writeCsv>[2]) => writeCsv(path.join(dir, name), rows, opts);
  /** the volume rows of a region and year summed per institution and item, as `institution item quantity months` lines */
  const annual = async (region: string, year: number) =>
    (await q<{ l: string }>(`select institution_code || ' ' || item_code || ' ' || sum(quantity) || ' ' || bit_or(1 << month::int) as l from volume
       where region_code = $1 and year = $2 group by institution_code, item_code order by institution_code, item_code`, [region, year])).map((r) => r.l);
  /** volume_coverage of a region and year as `institution #batch months` lines */
  const coverage = async (region: string, year: number) =>
    (await q<{ l: string }>(`select institution_code || ' #' || batch_id || ' ' || months as l from volume_coverage
       where region_code = $1 and year = $2 order by institution_code, batch_id`, [region, year])).map((r) => r.l);
  const levels = async (region: string, year: number) =>
    (await q<{ l: string }>(`select item_code || ' L' || hospital_level || (case when is_public then ' 公立 ' else ' 非公立 ' end) || quantity as l
       from volume_annual_level where region_code = $1 and year = $2 order by item_code, hospital_level desc, is_public desc`, [region, year])).map((r) => r.l);
  let big: { file: string; batchId: number; phases: unknown } | undefined;
  const partitions = async () => (await q<{ relname: string }>(`select relname from pg_class where relname like 'volume\\_b%' order by 1`)).map((r) => r.relname);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true }); // the kill test's file is 75 MB
  });

  beforeAll(async () => {
    dir = fixtureDir();
    const inst = csv('institutions.csv', [
      ['机构编码', '机构名称', '行政区划代码', '医院等级', '经营性质'],
      ['H001', '苏州市立医院', SZ, '三级', '公立'],
      ['H002', '苏州明基医院', SZ, '三级', '非公立'],
      ['H003', '苏州市姑苏区社区卫生服务中心', SZ, '一级', '公立'],
      ['T001', '唐山市工人医院', TS, '三级', '公立'],
    ]);
    expect((await load(inst, { kind: 'institutions' })).status).toBe('loaded');
    const priceHead = ['项目编码', '项目名称', '计价单位', '价格（元）'];
    const sz = csv('price-sz.csv', [priceHead, ['110200001', '普通门诊诊察费', '次', 10], ['220301001', '彩色多普勒超声常规检查', '次', 70], ['120100001', '特级护理', '日', 150]]);
    expect((await load(sz, { kind: 'price-table', region: SZ, effectiveDate: '2022-01-01' })).status).toBe('loaded');
    const ts = csv('price-ts.csv', [priceHead, ['110200001', '普通门诊诊察费', '次', 8]]);
    expect((await load(ts, { kind: 'price-table', region: TS, effectiveDate: '2022-01-01' })).status).toBe('loaded');
    // one item of the national catalogue only
    const cat = csv('catalogue.csv', [['项目编码', '项目名称', '计价单位'], ['310100001', '脑电图', '次']]);
    const c = await load(cat, { kind: 'catalogue' });
    expect(c.status, JSON.stringify(c.errors)).toBe('loaded');
  });

  it('loads a UTF-8 csv (BOM, no region column, whole-year rows) on the fast path and builds the rollups', async () => {
    const f = csv('sz-2022.csv', [
      HEAD,
      ['H001', '110200001', 2022, 0, 1000],
      ['H001', '220301001', 2022, 0, 300],
      ['H002', '110200001', 2022, 0, 500],
      ['H003', '110200001', 2022, null, 200], // blank month: the whole year
      ['H003', '310100001', 2022, 0, 7], // national catalogue item
    ], { bom: true });
    const s = await load(f, { region: SZ });
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect(s).toMatchObject({ kind: 'volumes', rowsRead: 5, rowsLoaded: 5, region: SZ });
    expect(s.details).toMatchObject({ path: 'fast', fallback: null });
    expect(await partitions()).toEqual([`volume_b${s.batchId}`]);
    const v = await q(`select count(*)::int as n, sum(quantity)::int as q from volume where batch_id = $1`, [s.batchId]);
    expect(v).toEqual([{ n: 5, q: 2007 }]);
    expect(await annual(SZ, 2022)).toEqual(['H001 110200001 1000 1', 'H001 220301001 300 1', 'H002 110200001 500 1', 'H003 110200001 200 1', 'H003 310100001 7 1']);
    expect(await levels(SZ, 2022)).toEqual(['110200001 L3 公立 1000', '110200001 L3 非公立 500', '110200001 L1 公立 200', '220301001 L3 公立 300', '310100001 L1 公立 7']);
    expect(await coverage(SZ, 2022)).toEqual([`H001 #${s.batchId} 1`, `H002 #${s.batchId} 1`, `H003 #${s.batchId} 1`]);

    // the same file again: unchanged, nothing written
    const before = await snapshot(db().pool);
    const again = await load(f, { region: SZ });
    expect(again.status).toBe('unchanged');
    expect(await snapshot(db().pool)).toEqual(before);
  });

  it('loads a GBK csv with a region column and monthly rows for two regions', async () => {
    const f = csv('monthly-2023.csv', [
      ['行政区划代码', '机构编码', '项目编码', '年度', '月份', '服务人次'],
      [SZ, 'H001', '110200001', 2023, 1, 90],
      [SZ, 'H001', '110200001', 2023, 2, 70],
      [SZ, 'H001', '110200001', 2023, 3, 100],
      [SZ, 'H003', '120100001', 2023, 1, 4],
      [TS, 'T001', '110200001', 2023, 1, 55],
      [TS, 'T001', '110200001', 2023, 12, 60],
    ], { encoding: 'gbk' });
    const s = await load(f);
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect(s.rowsLoaded).toBe(6);
    expect(s.region).toBeNull();
    expect(await annual(SZ, 2023)).toEqual(['H001 110200001 260 14', 'H003 120100001 4 2']);
    expect(await annual(TS, 2023)).toEqual([`T001 110200001 115 ${(1 << 1) | (1 << 12)}`]);
    expect(await levels(TS, 2023)).toEqual(['110200001 L3 公立 115']);
    expect(await coverage(SZ, 2023)).toEqual([`H001 #${s.batchId} 14`, `H003 #${s.batchId} 2`]);
    // the rest of the year arrives in a second file: the months merge
    const g = csv('monthly-2023-apr.csv', [HEAD, ['H001', '110200001', 2023, 4, 80]]);
    const s2 = await load(g, { region: SZ });
    expect(s2.status, JSON.stringify(s2.errors)).toBe('loaded');
    expect(await annual(SZ, 2023)).toEqual(['H001 110200001 340 30', 'H003 120100001 4 2']);
    expect(await levels(SZ, 2023)).toEqual(['110200001 L3 公立 340', '120100001 L1 公立 4']);
    expect(await coverage(SZ, 2023)).toEqual([`H001 #${s.batchId} 14`, `H001 #${s2.batchId} 16`, `H003 #${s.batchId} 2`]);
  });

  it('loads an Arrow IPC file (slow path)', async () => {
    const t = tableFromArrays({
      行政区划代码: [SZ, SZ, TS],
      机构编码: ['H001', 'H002', 'T001'],
      项目编码: ['220301001', '220301001', '110200001'],
      年份: Int16Array.from([2024, 2024, 2024]),
      月份: Int8Array.from([0, 0, 0]),
      服务量: BigInt64Array.from([12n, 8n, 3n]),
    });
    const f = path.join(dir, 'v2024.arrow');
    fs.writeFileSync(f, tableToIPC(t, 'file'));
    const s = await load(f, { kind: 'volumes' });
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect(s.details).toMatchObject({ path: 'slow' });
    expect(s.rowsLoaded).toBe(3);
    expect(await annual(SZ, 2024)).toEqual(['H001 220301001 12 1', 'H002 220301001 8 1']);
    expect(await levels(SZ, 2024)).toEqual(['220301001 L3 公立 12', '220301001 L3 非公立 8']);
    expect(await annual(TS, 2024)).toEqual(['T001 110200001 3 1']);
  });

  it('loads a Parquet file (slow path, two row groups), and rejects a truncated one writing nothing', async () => {
    const buf = parquetWriteBuffer({
      columnData: [
        { name: '行政区划代码', data: [SZ, SZ, TS], type: 'STRING' },
        { name: '机构编码', data: ['H001', 'H002', 'T001'], type: 'STRING' },
        { name: '项目编码', data: ['310100001', '310100001', '310100001'], type: 'STRING' },
        { name: '年份', data: [2021, 2021, 2021], type: 'INT32' },
        { name: '月份', data: [0, 0, 0], type: 'INT32' },
        { name: '服务量', data: [21n, 5n, 4n], type: 'INT64' },
      ],
      rowGroupSize: 2,
    });
    const f = path.join(dir, 'v2021.parquet');
    fs.writeFileSync(f, Buffer.from(buf));
    const cut = path.join(dir, 'v2021-cut.parquet');
    fs.writeFileSync(cut, Buffer.from(buf).subarray(0, Math.floor(buf.byteLength / 2)));
    await expectRejected(db().pool, cut, { kind: 'volumes' }, /Parquet 文件已损坏或不完整/, 'v2021-cut.parquet');

    const s = await load(f);
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect(s.kind).toBe('volumes');
    expect(s.details).toMatchObject({ path: 'slow' });
    expect(s.rowsLoaded).toBe(3);
    expect(await annual(SZ, 2021)).toEqual(['H001 310100001 21 1', 'H002 310100001 5 1']);
    expect(await annual(TS, 2021)).toEqual(['T001 310100001 4 1']);
  });

  it('falls back to the general reader on a quoted cell met after the fast path has started', async () => {
    // 2,880 rows (≈ 80 kB, more than the 64 kB looked at before choosing the path), one quoted cell near the end
    const rows: Cell[][] = [HEAD];
    let total = 0;
    for (let year = 1990; year < 2010; year++) {
      for (const inst of ['H001', 'H002', 'H003']) {
        for (const item of ['110200001', '220301001', '120100001', '310100001']) {
          for (let m = 1; m <= 12; m++) {
            rows.push([inst, item, year, m, m + year - 1990]);
            total += m + year - 1990;
          }
        }
      }
    }
    const f = csv('quoted.csv', rows);
    fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('H003,310100001,2009,12,', '"H003",310100001,2009,12,'));
    const s = await load(f, { region: SZ });
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect(s.details).toMatchObject({ path: 'slow', fallback: 'quoted cells at row 2881' });
    expect(s.rowsLoaded).toBe(2880);
    const r = await q(`select count(*)::int as n, sum(q)::int as q, min(m) as lo, max(m) as hi
      from (select sum(quantity) as q, bit_or(1 << month::int) as m from volume where region_code = $1 and year between 1990 and 2009
             group by institution_code, item_code, year) k`, [SZ]);
    expect(r).toEqual([{ n: 240, q: total, lo: 0b1111111111110, hi: 0b1111111111110 }]);
    const c = await q(`select count(*)::int as n, min(months) as lo, max(months) as hi from volume_coverage where batch_id = $1`, [s.batchId]);
    expect(c).toEqual([{ n: 60, lo: 0b1111111111110, hi: 0b1111111111110 }]);
  });

  it('rejects a row in GBK in a UTF-8 file on the fast path, naming it, even with --skip-invalid', async () => {
    const f = path.join(dir, 'mixed-encoding.csv');
    fs.writeFileSync(f, Buffer.concat([
      Buffer.from(`${HEAD.join(',')}\nH001,110200001,2021,1,50\n`),
      iconv.encode('H001,110200001,2021,2,50\u3000\n', 'gbk'), // an ideographic space after the figure, in GBK
      Buffer.from('H001,110200001,2021,3,50\n'),
    ]));
    for (const skipInvalid of [false, true]) {
      const s = await expectRejected(db().pool, f, { region: SZ, skipInvalid }, /该行不是有效的 UTF-8 文本（可能是 GBK 编码）/, 'mixed-encoding.csv:3');
      expect(s.details).toMatchObject({ path: 'fast' });
      expect(s.errors.map(formatIssue)).toEqual([`${f}:3: 该行不是有效的 UTF-8 文本（可能是 GBK 编码），而文件按 UTF-8 读取：请将整个文件另存为 UTF-8（整个文件未导入） ` +
        '(the row is not valid UTF-8 (probably GBK) in a file read as UTF-8: save the whole file as UTF-8 (the file was not loaded))']);
    }
  });

  it('reads CRLF line endings and normalises spaces and 2022.0 on the fast path', async () => {
    const text = ['机构编码,项目编码,年份,月份,服务量', 'H001,120100001,2020,0,5', ' H002 ,120100001,2020.0,,6', 'H003,120100001,2020,0,7', ''].join('\r\n');
    const f = path.join(dir, 'crlf-2020.csv');
    fs.writeFileSync(f, text);
    const s = await load(f, { region: SZ });
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect(s.details).toMatchObject({ path: 'fast' });
    expect(await annual(SZ, 2020)).toEqual(['H001 120100001 5 1', 'H002 120100001 6 1', 'H003 120100001 7 1']);
  });

  it('takes the slow path for extra columns; a missing month column means whole years; a blank region cell takes --region', async () => {
    const f = csv('extra-2014.csv', [
      ['行政区划代码', '机构编码', '机构名称', '项目编码', '年份', '服务量'],
      [SZ, 'H001', '苏州市立医院', '110200001', 2014, 11],
      [null, 'H002', '苏州明基医院', '110200001', 2014, 12],
    ]);
    const s = await load(f, { region: SZ, kind: 'volumes' });
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect(s.details).toMatchObject({ path: 'slow', fallback: 'columns other than the volume columns' });
    expect(await annual(SZ, 2014)).toEqual(['H001 110200001 11 1', 'H002 110200001 12 1']);
    // the same on the fast path
    const g = csv('nomonth-2013.csv', [['行政区划代码', '机构编码', '项目编码', '年份', '服务量'], [SZ, 'H001', '110200001', 2013, 21], [null, 'H002', '110200001', 2013, 22]]);
    const t = await load(g, { region: SZ, kind: 'volumes' });
    expect(t.status, JSON.stringify(t.errors)).toBe('loaded');
    expect(t.details).toMatchObject({ path: 'fast' });
    expect(await annual(SZ, 2013)).toEqual(['H001 110200001 21 1', 'H002 110200001 22 1']);
    expect(await q(`select region_code, month from volume where batch_id = $1 order by institution_code`, [t.batchId])).toEqual([
      { region_code: SZ, month: 0 }, { region_code: SZ, month: 0 },
    ]);
  });

  it('replaces the batch of a changed file: old partition dropped, rollups rebuilt', async () => {
    const f = csv('ts-2019.csv', [HEAD, ['T001', '110200001', 2019, 0, 100]]);
    const first = await load(f, { region: TS });
    expect(first.status, JSON.stringify(first.errors)).toBe('loaded');
    expect(await annual(TS, 2019)).toEqual(['T001 110200001 100 1']);
    csv('ts-2019.csv', [HEAD, ['T001', '110200001', 2019, 1, 40], ['T001', '110200001', 2019, 2, 45]]);
    const second = await load(f, { region: TS });
    expect(second.status, JSON.stringify(second.errors)).toBe('loaded');
    expect(second.replacedBatchId).toBe(first.batchId);
    const parts = await partitions();
    expect(parts).toContain(`volume_b${second.batchId}`);
    expect(parts).not.toContain(`volume_b${first.batchId}`);
    expect(await annual(TS, 2019)).toEqual(['T001 110200001 85 6']);
    expect(await levels(TS, 2019)).toEqual(['110200001 L3 公立 85']);
    expect(await coverage(TS, 2019)).toEqual([`T001 #${second.batchId} 6`]);
    expect(await q(`select count(*)::int as n from volume where region_code = $1 and year = 2019`, [TS])).toEqual([{ n: 2 }]);
  });

  describe('overlapping periods, found through volume_coverage', () => {
    const o = { region: SZ };

    it('checks an institution-year that collides item by item, and names the batch holding the overlapping months', async () => {
      const a = await load(csv('cov-a.csv', [
        HEAD, ['H001', '110200001', 2012, 1, 5], ['H001', '110200001', 2012, 2, 5], ['H001', '110200001', 2012, 3, 5], ['H001', '220301001', 2012, 5, 1],
      ]), o);
      expect(a.status, JSON.stringify(a.errors)).toBe('loaded');
      const b = await load(csv('cov-b.csv', [HEAD, ['H001', '110200001', 2012, 6, 7]]), o);
      expect(b.status, JSON.stringify(b.errors)).toBe('loaded');
      expect(await coverage(SZ, 2012)).toEqual([`H001 #${a.batchId} ${0b101110}`, `H001 #${b.batchId} ${1 << 6}`]);
      // month 2 of item 110200001 is held by cov-a.csv (cov-b.csv, a later batch of the same item, holds month 6 only);
      // month 2 of item 220301001 is new
      const c = await expectRejected(db().pool, csv('cov-c.csv', [HEAD, ['H001', '220301001', 2012, 2, 1], ['H001', '110200001', 2012, 2, 9]]), o,
        new RegExp(`统计期间重叠：机构 H001 项目 110200001 2012年2月的服务量与已由批次 #${a.batchId}（cov-a.csv）导入的1月、2月、3月数据重叠`), 'cov-c.csv:3:4');
      expect(c.errorCount).toBe(1);
      // a whole-year total against the month 5 of the same item
      await expectRejected(db().pool, csv('cov-d.csv', [HEAD, ['H001', '220301001', 2012, 0, 12]]), o,
        new RegExp(`统计期间重叠：机构 H001 项目 220301001 2012年全年的服务量与已由批次 #${a.batchId}（cov-a.csv）导入的5月数据重叠`), 'cov-d.csv:2:4');
    });

    it('the same institution and period for another item is no overlap: files split by item load side by side', async () => {
      const a = await load(csv('items-a.csv', [HEAD, ['H002', '110200001', 2011, 0, 40], ['H003', '110200001', 2011, 0, 4]]), o);
      expect(a.status, JSON.stringify(a.errors)).toBe('loaded');
      const b = await load(csv('items-b.csv', [HEAD, ['H002', '220301001', 2011, 0, 30], ['H002', '120100001', 2011, 0, 3], ['H003', '310100001', 2011, 0, 2]]), o);
      expect(b.status, JSON.stringify(b.errors)).toBe('loaded');
      expect(b.rowsLoaded).toBe(3);
      // monthly figures of another item beside a whole-year total
      const c = await load(csv('items-c.csv', [HEAD, ['H003', '120100001', 2011, 3, 1]]), o);
      expect(c.status, JSON.stringify(c.errors)).toBe('loaded');
      expect(await annual(SZ, 2011)).toEqual([
        'H002 110200001 40 1', 'H002 120100001 3 1', 'H002 220301001 30 1', 'H003 110200001 4 1', 'H003 120100001 1 8', 'H003 310100001 2 1',
      ]);
      expect(await levels(SZ, 2011)).toEqual([
        '110200001 L3 非公立 40', '110200001 L1 公立 4', '120100001 L3 非公立 3', '120100001 L1 公立 1', '220301001 L3 非公立 30', '310100001 L1 公立 2',
      ]);
      expect(await coverage(SZ, 2011)).toEqual([
        `H002 #${a.batchId} 1`, `H002 #${b.batchId} 1`, `H003 #${a.batchId} 1`, `H003 #${b.batchId} 1`, `H003 #${c.batchId} 8`,
      ]);
    });

    it('removing a batch drops its coverage rows and recomputes the level rollup from the batches that remain', async () => {
      const f = csv('rm-a.csv', [HEAD, ['H001', '110200001', 2010, 1, 10], ['H003', '110200001', 2010, 1, 1]]);
      const a = await load(f, o);
      expect(a.status, JSON.stringify(a.errors)).toBe('loaded');
      const b = await load(csv('rm-b.csv', [HEAD, ['H001', '110200001', 2010, 2, 20], ['H001', '220301001', 2010, 2, 5]]), o);
      expect(b.status, JSON.stringify(b.errors)).toBe('loaded');
      expect(await levels(SZ, 2010)).toEqual(['110200001 L3 公立 30', '110200001 L1 公立 1', '220301001 L3 公立 5']);
      expect(await coverage(SZ, 2010)).toEqual([`H001 #${a.batchId} 2`, `H001 #${b.batchId} 4`, `H003 #${a.batchId} 2`]);

      const c = await db().pool.connect();
      const rows = async (sql: string) => (await c.query<{ l: string }>(sql, [SZ])).rows.map((r) => r.l);
      const levelsIn = () => rows(`select item_code || ' L' || hospital_level || ' ' || quantity as l from volume_annual_level
        where region_code = $1 and year = 2010 order by item_code, hospital_level desc`);
      const coverageIn = () => rows(`select institution_code || ' #' || batch_id || ' ' || months as l from volume_coverage
        where region_code = $1 and year = 2010 order by institution_code, batch_id`);
      try {
        await c.query('begin');
        await volumesLoader.remove(c, b.batchId!);
        expect(await levelsIn()).toEqual(['110200001 L3 10', '110200001 L1 1']);
        expect(await coverageIn()).toEqual([`H001 #${a.batchId} 2`, `H003 #${a.batchId} 2`]);
        expect((await c.query(`select to_regclass($1) as t`, [`volume_b${b.batchId}`])).rows).toEqual([{ t: null }]);
        // the last batch of the pair: nothing left
        await volumesLoader.remove(c, a.batchId!);
        expect(await levelsIn()).toEqual([]);
        expect(await coverageIn()).toEqual([]);
      } finally {
        await c.query('rollback');
        c.release();
      }
      expect(await levels(SZ, 2010)).toEqual(['110200001 L3 公立 30', '110200001 L1 公立 1', '220301001 L3 公立 5']);

      // a changed file replaces its batch the same way
      csv('rm-a.csv', [HEAD, ['H003', '110200001', 2010, 1, 3]]);
      const a2 = await load(f, o);
      expect(a2.status, JSON.stringify(a2.errors)).toBe('loaded');
      expect(a2.replacedBatchId).toBe(a.batchId);
      expect(await levels(SZ, 2010)).toEqual(['110200001 L3 公立 20', '110200001 L1 公立 3', '220301001 L3 公立 5']);
      expect(await coverage(SZ, 2010)).toEqual([`H001 #${b.batchId} 4`, `H003 #${a2.batchId} 2`]);
    });
  });

  describe('rejects malformed files and writes nothing', () => {
    const o = { region: SZ };
    it('unknown item code', () =>
      expectRejected(db().pool, csv('item.csv', [HEAD, ['H001', '110200001', 2018, 0, 1], ['H001', '999999999', 2018, 0, 5]]), o,
        /项目编码 999999999 不在地区 320500 的价格表或国家项目目录中/, 'item.csv:3:2'));
    it('unknown institution', () =>
      expectRejected(db().pool, csv('inst.csv', [HEAD, ['T001', '110200001', 2018, 0, 5]]), o, /机构编码 T001 不存在：地区 320500 未导入该医疗机构/, 'inst.csv:2:1'));
    it('text in quantity', () =>
      expectRejected(db().pool, csv('text.csv', [HEAD, ['H001', '110200001', 2018, 0, 'abc']]), o, /“服务量”应为整数：abc/, 'text.csv:2:5'));
    it('negative quantity', () =>
      expectRejected(db().pool, csv('neg.csv', [HEAD, ['H001', '110200001', 2018, 0, -5]]), o, /“服务量”不能为负数：-5/, 'neg.csv:2:5'));
    it('month 13', () =>
      expectRejected(db().pool, csv('m13.csv', [HEAD, ['H001', '110200001', 2018, 13, 5]]), o, /“月份”超出范围 0–12：13/, 'm13.csv:2:4'));
    it('year out of range', () =>
      expectRejected(db().pool, csv('y.csv', [HEAD, ['H001', '110200001', 1890, 0, 5]]), o, /“年份”超出范围 1990–2100：1890/, 'y.csv:2:3'));
    it('duplicate row', () =>
      expectRejected(db().pool, csv('dup.csv', [HEAD, ['H001', '110200001', 2018, 3, 5], ['H001', '110200001', 2018, 4, 5], ['H001', '110200001', 2018, 3, 6]]), o,
        /重复的行：机构 H001 项目 110200001 2018年3月/, 'dup.csv:4:4'));
    it('duplicate whole-year row names the first row', () =>
      expectRejected(db().pool, csv('dup0.csv', [HEAD, ['H001', '110200001', 2018, 0, 5], ['H001', '110200001', 2018, 0, 5]]), o,
        /重复的行：.*与第 2 行相同/, 'dup0.csv:3:4'));
    it('whole-year total next to monthly figures in one file', () =>
      expectRejected(db().pool, csv('mix.csv', [HEAD, ['H001', '110200001', 2018, 5, 5], ['H001', '110200001', 2018, 0, 60]]), o,
        /统计期间重叠：.*与第 2 行的月度数据重叠/, 'mix.csv:3:4'));
    it('overlapping period with another file', async () => {
      const a = await load(csv('period-a.csv', [HEAD, ['H002', '220301001', 2017, 3, 5], ['H002', '220301001', 2017, 4, 5]]), o);
      expect(a.status, JSON.stringify(a.errors)).toBe('loaded');
      await expectRejected(db().pool, csv('period-b.csv', [HEAD, ['H002', '120100001', 2017, 4, 1], ['H002', '220301001', 2017, 4, 9]]), o,
        new RegExp(`统计期间重叠：机构 H002 项目 220301001 2017年4月的服务量与已由批次 #${a.batchId}（period-a.csv）导入的3月、4月数据重叠`), 'period-b.csv:3:4');
      // a whole-year total against monthly data already loaded
      await expectRejected(db().pool, csv('period-c.csv', [HEAD, ['H002', '220301001', 2017, 0, 100]]), o, /统计期间重叠/, 'period-c.csv:2:4');
    });
    it('missing required column', () =>
      expectRejected(db().pool, csv('nocol.csv', [HEAD.filter((h) => h !== '服务量'), ['H001', '110200001', 2018, 0]]), { ...o, kind: 'volumes' },
        /缺少必需的列“服务量”/, 'nocol.csv:1'));
    it('no region column and no --region', () =>
      expectRejected(db().pool, csv('noregion.csv', [HEAD, ['H001', '110200001', 2018, 0, 5]]), { kind: 'volumes' }, /缺少地区/, 'noregion.csv:1'));
    it('empty file', () => {
      fs.writeFileSync(path.join(dir, 'empty.csv'), '');
      return expectRejected(db().pool, path.join(dir, 'empty.csv'), { ...o, kind: 'volumes' }, /文件为空/, 'empty.csv');
    });
    it('wrong encoding (UTF-16)', () => {
      const f = path.join(dir, 'utf16.csv');
      fs.writeFileSync(f, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${HEAD.join(',')}\nH001,110200001,2018,0,5\n`, 'utf16le')]));
      return expectRejected(db().pool, f, { ...o, kind: 'volumes' }, /文件编码无法识别.*UTF-16/, 'utf16.csv');
    });
    it('an error inside the slow path (quoted file)', () =>
      expectRejected(db().pool, csv('q.csv', [HEAD, ['H001', '110200001', 2018, 0, 5], ['"H001"', '110200001', 2018, 14, 5]]), o, /“月份”超出范围 0–12：14/, 'q.csv:3:4'));
  });

  it('loads a header-only file as an empty batch', async () => {
    const f = csv('header-only.csv', [HEAD]);
    const s = await load(f, { region: SZ });
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect(s.rowsRead).toBe(0);
    expect(s.rowsLoaded).toBe(0);
    expect(await q(`select count(*)::int as n from volume where batch_id = $1`, [s.batchId])).toEqual([{ n: 0 }]);
  });

  it('--skip-invalid loads the valid rows and reports the others', async () => {
    const a = await load(csv('skip-a.csv', [HEAD, ['H003', '110200001', 2016, 1, 10]]), { region: SZ });
    expect(a.status).toBe('loaded');
    const f = csv('skip-b.csv', [
      HEAD,
      ['H003', '110200001', 2016, 2, 20],
      ['H003', '110200001', 2016, 1, 11], // overlaps skip-a.csv
      ['H003', '999999999', 2016, 1, 5], // unknown item
      ['H003', '120100001', 2016, 1, 'x'], // not a number
      ['H003', '120100001', 2016, 2, 3],
    ]);
    const s = await load(f, { region: SZ, skipInvalid: true });
    expect(s.status).toBe('loaded');
    expect(s.rowsRejected).toBe(3);
    expect(s.errors.map(formatIssue).map((t) => t.split(': ')[0])).toEqual([expect.stringMatching(/skip-b.csv:4:2$/), expect.stringMatching(/skip-b.csv:5:5$/), expect.stringMatching(/skip-b.csv:2:4$/)]);
    // the key that overlaps is left out whole (its month 2 row too)
    expect(s.rowsLoaded).toBe(1);
    expect(await annual(SZ, 2016)).toEqual(['H003 110200001 10 2', 'H003 120100001 3 4']);
    fs.rmSync(`${f}.rejects.csv`, { force: true });
  });

  it('a dry run validates and writes nothing', async () => {
    const before = await snapshot(db().pool);
    const s = await load(csv('dry.csv', [HEAD, ['H001', '110200001', 2015, 0, 1]]), { region: SZ, dryRun: true });
    expect(s.status).toBe('dry-run');
    expect(await snapshot(db().pool)).toEqual(before);
  });

  it('a killed load leaves nothing behind, and the next load succeeds', { timeout: 300_000 }, async () => {
    // 2,000 institutions × 100 items × 12 months = 2.4M rows, in a region of its own (厦门)
    const insts = Array.from({ length: 2000 }, (_, i) => `XM${String(i + 1).padStart(5, '0')}`);
    const items = Array.from({ length: 100 }, (_, i) => `4${String(i + 1).padStart(8, '0')}`);
    const i1 = await load(csv('xm-institutions.csv', [['机构编码', '机构名称', '医院等级', '经营性质'], ...insts.map((c, i) => [c, `厦门第${i + 1}医院`, i % 3 === 0 ? '三级' : '二级', '公立'])]),
      { kind: 'institutions', region: XM });
    expect(i1.status, JSON.stringify(i1.errors)).toBe('loaded');
    const p1 = await load(csv('xm-prices.csv', [['项目编码', '项目名称', '计价单位', '价格（元）'], ...items.map((c, i) => [c, `项目${i + 1}`, '次', 10])]),
      { kind: 'price-table', region: XM, effectiveDate: '2022-01-01' });
    expect(p1.status, JSON.stringify(p1.errors)).toBe('loaded');
    const f = path.join(dir, 'big.csv');
    const out = fs.createWriteStream(f);
    out.write('机构编码,项目编码,年份,月份,服务量\n');
    for (const inst of insts) {
      let chunk = '';
      for (const item of items) for (let m = 1; m <= 12; m++) chunk += `${inst},${item},2022,${m},${(inst.length * 31 + m * 7) % 500}\n`;
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise((r) => out.end(r));

    const before = await snapshot(db().pool);
    const child = spawn(process.execPath, ['scripts/run.mjs', 'etl/src/cli.ts', 'load', f, '--region', XM, '--json'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: db().url },
      detached: true, // its own process group: run.mjs and the compiled CLI it starts die together
      stdio: 'ignore',
    });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      // wait for the CLI (after its build) to be streaming rows into the batch's partition
      const deadline = Date.now() + 240_000;
      for (;;) {
        const a = await q(`select 1 from pg_stat_activity where datname = $1 and state = 'active' and query ilike 'copy volume_b%'`, [db().name]);
        if (a.length > 0) break;
        if (Date.now() > deadline) throw new Error('the CLI never started copying');
        if (child.exitCode !== null) throw new Error(`the CLI exited first (code ${child.exitCode})`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const copied = await q<{ n: string }>(`select tuples_processed::text as n from pg_stat_progress_copy p join pg_database d on d.oid = p.datid where d.datname = $1`, [db().name]);
      expect(copied.length).toBe(1);
    } finally {
      process.kill(-child.pid!, 'SIGKILL');
    }
    await exited;
    // the server notices the dead connection, aborts its transaction and drops what it created
    const deadline = Date.now() + 30_000;
    for (;;) {
      const a = await q(`select 1 from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() and query ilike 'copy volume_b%' and state <> 'idle'`, [db().name]);
      if (a.length === 0) break;
      if (Date.now() > deadline) throw new Error('the killed load is still running');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await snapshot(db().pool)).toEqual(before);

    const s = await load(f, { region: XM });
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect(s.rowsLoaded).toBe(2_400_000);
    expect(s.details).toMatchObject({ path: 'fast' });
    const sum = await q(`select count(*)::int as n, sum(quantity)::bigint::text as q from volume_annual_level where region_code = $1 and year = 2022`, [XM]);
    const perInst = [...Array(12).keys()].reduce((t, m) => t + ((7 * 31 + (m + 1) * 7) % 500), 0);
    // 100 items × two levels, all public
    expect(sum).toEqual([{ n: 200, q: String(perInst * 200_000) }]);
    const c = await q(`select count(*)::int as n, bit_and(months) as m, bit_or(months) as o from volume_coverage where region_code = $1 and year = 2022`, [XM]);
    expect(c).toEqual([{ n: 2000, m: 0b1111111111110, o: 0b1111111111110 }]);
    big = { file: f, batchId: s.batchId!, phases: s.details?.phases };
  });

  it('a large file gets its checksum while it loads; loaded again it is unchanged, also when only the checksum tells', { timeout: 120_000 }, async () => {
    expect(big, 'the previous test loads the file').toBeDefined();
    const { file, batchId } = big!;
    // no batch of the same name or size existed: the checksum came from the load's own reads
    expect(big!.phases).toContainEqual(expect.objectContaining({ name: 'checksum (during the load)' }));
    expect(await q(`select checksum from load_batch where id = $1`, [batchId])).toEqual([{ checksum: await sha256File(file) }]);
    // the same name: checked up front
    const again = await load(file, { region: XM });
    expect(again).toMatchObject({ status: 'unchanged', batchId, rowsRead: 0 });
    // a loaded batch of another name and size with the same checksum is found at the end: rolled back, unchanged
    await q(`update load_batch set file_name = 'elsewhere.csv', file_size = 1 where id = $1`, [batchId]);
    const before = await snapshot(db().pool);
    const late = await load(file, { region: XM });
    expect(late).toMatchObject({ status: 'unchanged', batchId, rowsLoaded: 0, errorCount: 0 });
    expect(await snapshot(db().pool)).toEqual(before);
  });
});

describe('volumes loader, a first load into an empty volume_annual_level', () => {
  const HEAD5 = ['机构编码', '项目编码', '年份', '月份', '服务量'];
  let dir: string;
  const limits = { ...LIMITS };

  /** A database of its own with three institutions and three priced items of 苏州. */
  function emptyDatabase() {
    const db = useTestDatabase();
    const q = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => (await db().pool.query(sql, params)).rows as T[];
    const load = (file: string, o: Parameters<typeof etlOptions>[0] = {}) => loadFile(db().pool, file, etlOptions(o));
    beforeAll(async () => {
      const inst = writeCsv(path.join(dir, 'institutions.csv'), [
        ['机构编码', '机构名称', '行政区划代码', '医院等级', '经营性质'],
        ['H001', '苏州市立医院', SZ, '三级', '公立'], ['H002', '苏州明基医院', SZ, '三级', '非公立'], ['H003', '社区卫生服务中心', SZ, '一级', '公立'],
      ]);
      expect((await load(inst, { kind: 'institutions' })).status).toBe('loaded');
      const prices = writeCsv(path.join(dir, 'price.csv'), [['项目编码', '项目名称', '计价单位', '价格（元）'],
        ['110200001', '普通门诊诊察费', '次', 10], ['220301001', '彩色多普勒超声常规检查', '次', 70], ['120100001', '特级护理', '日', 150]]);
      expect((await load(prices, { kind: 'price-table', region: SZ, effectiveDate: '2022-01-01' })).status).toBe('loaded');
    });
    const levels = async (year: number) =>
      (await q<{ l: string }>(`select item_code || ' L' || hospital_level || (case when is_public then ' 公立 ' else ' 非公立 ' end) || quantity as l
         from volume_annual_level where region_code = $1 and year = $2 order by item_code, hospital_level desc, is_public desc`, [SZ, year])).map((r) => r.l);
    const primaryKey = async () =>
      q(`select conname, pg_get_constraintdef(oid) as def from pg_constraint where conrelid = 'volume_annual_level'::regclass and contype = 'p'`);
    /** the key's index: a new one once it has been built again */
    const keyIndex = async () => (await q<{ oid: number }>(`select 'volume_annual_level_pkey'::regclass::oid::int as oid`))[0].oid;
    return { db, load, levels, primaryKey, keyIndex };
  }
  const FILE_2022: Cell[][] = [
    HEAD5, ['H001', '110200001', 2022, 1, 10], ['H001', '110200001', 2022, 2, 11], ['H002', '110200001', 2022, 0, 5],
    ['H003', '110200001', 2022, 0, 2], ['H003', '220301001', 2022, 3, 4], ['H001', '120100001', 2022, 0, 6],
  ];
  const LEVELS_2022 = ['110200001 L3 公立 21', '110200001 L3 非公立 5', '110200001 L1 公立 2', '120100001 L3 公立 6', '220301001 L1 公立 4'];
  const PKEY = [{ conname: 'volume_annual_level_pkey', def: 'PRIMARY KEY (region_code, year, item_code, hospital_level, is_public)' }];

  beforeAll(() => {
    dir = fixtureDir();
  });
  afterAll(() => {
    Object.assign(LIMITS, limits);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('builds the primary key after the rows', () => {
    const t = emptyDatabase();
    it('and sums the aggregate when the pass gave its sums up; the next load keeps the key and uses the sums of its pass', async () => {
      LIMITS.rebuildKeys = 1;
      LIMITS.sumCells = 1;
      const index = await t.keyIndex();
      const s = await t.load(writeCsv(path.join(dir, 'first-2022.csv'), FILE_2022), { region: SZ });
      expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
      expect(await t.levels(2022)).toEqual(LEVELS_2022);
      expect(await t.primaryKey()).toEqual(PKEY);
      const rebuilt = await t.keyIndex();
      expect(rebuilt).not.toBe(index);
      LIMITS.sumCells = limits.sumCells;
      const s2 = await t.load(writeCsv(path.join(dir, 'second-2021.csv'), [HEAD5, ['H002', '220301001', 2021, 0, 8], ['H001', '220301001', 2021, 0, 9]]), { region: SZ });
      expect(s2.status, JSON.stringify(s2.errors)).toBe('loaded');
      expect(await t.levels(2021)).toEqual(['220301001 L3 公立 9', '220301001 L3 非公立 8']);
      expect(await t.levels(2022)).toEqual(LEVELS_2022);
      expect(await t.keyIndex()).toBe(rebuilt);
    });
  });

  describe('keeps the primary key while another transaction reads the table', () => {
    const t = emptyDatabase();
    it('writes the rows through the key instead (the lock is not waited for)', async () => {
      LIMITS.rebuildKeys = 1;
      const index = await t.keyIndex();
      const reader = await t.db().pool.connect();
      try {
        await reader.query('begin');
        await reader.query('select count(*) from volume_annual_level');
        const s = await t.load(writeCsv(path.join(dir, 'read-2022.csv'), FILE_2022), { region: SZ });
        expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
      } finally {
        await reader.query('rollback');
        reader.release();
      }
      expect(await t.levels(2022)).toEqual(LEVELS_2022);
      expect(await t.keyIndex()).toBe(index);
    });
  });
});
