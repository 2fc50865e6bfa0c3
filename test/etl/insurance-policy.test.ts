import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFile } from '../../etl/src/run';
import { useTestDatabase } from '../support/db';
import { etlOptions, expectRejected, fixtureDir, snapshot, writeCsv } from '../support/etl';

/** The sample files of test/fixtures/insurance-policy (README there says what each one holds). */
const FIXTURES = path.resolve(__dirname, '../fixtures/insurance-policy');
const fixture = (name: string) => path.join(FIXTURES, name);

describe('insurance-policy loader (医保待遇政策表)', () => {
  const db = useTestDatabase();
  let dir: string;
  beforeAll(() => {
    dir = fixtureDir();
  });
  const policies = async (region: string) =>
    (await db().pool.query(
      `select scheme, valid_from::text as d, inpatient_deductible_3_fen::int as d3, inpatient_deductible_2_fen::int as d2, inpatient_deductible_1_fen::int as d1,
              inpatient_rate_3::text as r3, inpatient_rate_2::text as r2, inpatient_rate_1::text as r1, inpatient_ceiling_fen::int as ceiling,
              outpatient_deductible_fen::int as od, outpatient_rate::text as orate, outpatient_ceiling_fen::int as oc,
              critical_threshold_fen::int as ct, critical_band_from_fen::int[] as cfrom, critical_band_rate::text[] as crate, critical_ceiling_fen::int as cc,
              assisted_critical_threshold_fen::int as act, assisted_critical_rate_uplift::text as up, assisted_critical_no_ceiling as nc,
              assistance_deductible_fen::int as ad, assistance_rate::text as ar, assistance_ceiling_fen::int as ac,
              huiminbao_deductible_fen::int as hd, huiminbao_rate::text as hr, huiminbao_ceiling_fen::int as hc, batch_id is not null as batched
         from insurance_policy where region_code = $1 order by scheme desc, valid_from`,
      [region],
    )).rows;

  it('loads the flat CSV sample: amounts in fen, rates as exact decimals, 大病保险 bands from 0; a reload changes nothing', async () => {
    const s = await loadFile(db().pool, fixture('policy-good.csv'), etlOptions());
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect(s.kind).toBe('insurance-policy');
    expect(s.rowsLoaded).toBe(3);
    const suzhou = await policies('320500');
    expect(suzhou).toEqual([
      {
        scheme: 'resident', d: '2022-01-01', d3: 100_000, d2: 60_000, d1: 30_000, r3: '0.5640', r2: '0.7080', r1: '0.8240', ceiling: 20_000_000,
        od: 10_000, orate: '0.5000', oc: 50_000, ct: 1_500_000, cfrom: [0, 10_000_000], crate: ['0.6000', '0.7000'], cc: 40_000_000,
        act: 750_000, up: '0.0500', nc: true, ad: 0, ar: '0.7000', ac: 6_000_000, hd: 2_000_000, hr: '0.8000', hc: 100_000_000, batched: true,
      },
      {
        scheme: 'employee', d: '2022-01-01', d3: 80_000, d2: 50_000, d1: 20_000, r3: '0.8500', r2: '0.9000', r1: '0.9500', ceiling: 40_000_000,
        od: null, orate: null, oc: null, ct: 2_000_000, cfrom: [0], crate: ['0.6000'], cc: null,
        act: 1_000_000, up: '0.0500', nc: false, ad: 0, ar: '0.7000', ac: 6_000_000, hd: null, hr: null, hc: null, batched: true,
      },
    ]);
    // 唐山: no 住院报销比例 (the 医保支付比例表 applies), three 大病 bands
    expect((await policies('130200'))[0]).toMatchObject({ r3: null, r2: null, r1: null, cfrom: [0, 10_000_000, 30_000_000], crate: ['0.6000', '0.7000', '0.8000'] });
    const again = await loadFile(db().pool, fixture('policy-good.csv'), etlOptions());
    expect(again.status).toBe('unchanged');
  });

  it('loads an xlsx with a merged two-level header (住院起付线 / 住院报销比例 over 三级 / 二级 / 一级) and the GBK sample', async () => {
    const x = await loadFile(db().pool, fixture('policy-good.xlsx'), etlOptions());
    expect(x.status, JSON.stringify(x.errors)).toBe('loaded');
    expect((await policies('350200'))[0]).toMatchObject({
      scheme: 'resident', d: '2023-01-01', d3: 120_000, d2: 70_000, d1: 30_000, r3: '0.5500', r2: '0.7000', r1: '0.8500', ceiling: 25_000_000,
      ct: 1_500_000, cfrom: [0, 10_000_000], crate: ['0.6000', '0.7000'], act: 1_500_000, up: '0.0000', nc: false, ad: 0, ar: '0.7000', ac: 6_000_000,
    });
    // the GBK file holds 唐山 again, already loaded from another file: refused
    await expectRejected(db().pool, fixture('policy-good-gbk.csv'), {}, /130200 城乡居民医保 自 2022-01-01 起的待遇政策已由批次 #\d+（policy-good\.csv）导入/, 'policy-good-gbk.csv:2:27');
  });

  it('replaces the rows of its previous batch when the same file changes', async () => {
    const f = path.join(dir, 'leshan-policy.csv');
    // the GBK sample as 乐山's
    const text = iconv.decode(fs.readFileSync(fixture('policy-good-gbk.csv')), 'gbk').replace(/130200,唐山市/g, '511100,乐山市');
    writeCsv(f, text.trim().split('\n').map((l) => l.split(',')), { encoding: 'gbk' });
    expect((await loadFile(db().pool, f, etlOptions())).status).toBe('loaded');
    writeCsv(f, text.replace(',150000,', ',180000,').trim().split('\n').map((l) => l.split(',')), { encoding: 'gbk' });
    const s = await loadFile(db().pool, f, etlOptions());
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect(s.replacedBatchId).not.toBeNull();
    expect((await policies('511100')).map((p) => p.ceiling)).toEqual([18_000_000]);
  });

  const bad: [string, RegExp, string | undefined, Record<string, string>?][] = [
    ['bad-rate-over-100.csv', /“大病保险报销比例（%）”应在 0–100（%）之间：60；120/, 'bad-rate-over-100.csv:2:16'],
    ['bad-band-count.csv', /“大病保险报销比例（%）”应比分段点多一个比例（1 个分段点，1 个比例）/, 'bad-band-count.csv:2:16'],
    ['bad-breakpoints-order.csv', /“大病保险分段点（元）”的分段点应为正数且从小到大：300000；100000/, 'bad-breakpoints-order.csv:2:15'],
    ['bad-deductible-text.csv', /“二级医院住院起付线（元）”不是有效金额/, 'bad-deductible-text.csv:2:5'],
    ['bad-huiminbao-incomplete.csv', /惠民保的起付线、报销比例和年度限额应都填写或都留空：缺少“惠民保报销比例（%）”/, 'bad-huiminbao-incomplete.csv:2:25'],
    ['bad-rates-incomplete.csv', /住院报销比例应三个等级都填写，或都留空/, 'bad-rates-incomplete.csv:2:9'],
    ['bad-unknown-region.csv', /地区代码 999999 不存在/, 'bad-unknown-region.csv:2:1'],
    ['bad-duplicate.csv', /130200 城乡居民医保 2022-01-01 的待遇政策重复（与第 2 行相同）/, 'bad-duplicate.csv:3:27'],
    ['bad-scheme.csv', /险种“商业保险”无效/, 'bad-scheme.csv:2:3'],
    ['bad-negative-limit.csv', /“医疗救助年度限额（元）”不能为负数/, 'bad-negative-limit.csv:2:23'],
    ['bad-date.csv', /“执行日期”不是有效日期：2024-02-30/, 'bad-date.csv:2:27'],
    ['bad-yes-no.csv', /“救助对象大病保险取消封顶线”应为“是”或“否”：也许/, 'bad-yes-no.csv:2:20'],
    ['bad-missing-column.csv', /缺少必需的列“大病保险起付线（元）”/, 'bad-missing-column.csv:1', { kind: 'insurance-policy' }],
    ['bad-level-4.csv', /医院等级“四级”不存在/, 'bad-level-4.csv:1:28'],
  ];
  for (const [file, message, place, opts] of bad) {
    it(`rejects ${file} at its place and writes nothing`, async () => {
      await expectRejected(db().pool, fixture(file), opts ?? {}, message, place);
    });
  }

  it('without a 执行日期 column needs --effective-date; with --skip-invalid loads the valid rows only', async () => {
    const rows = fs.readFileSync(fixture('policy-good.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    const noDate = writeCsv(path.join(dir, 'no-date.csv'), rows.map((r) => r.slice(0, -1)));
    await expectRejected(db().pool, noDate, { skipInvalid: true }, /缺少“执行日期”列/);
    const before = await snapshot(db().pool);
    const s = await loadFile(db().pool, noDate, etlOptions({ effectiveDate: '2025-01-01' }));
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect(await snapshot(db().pool)).not.toEqual(before);
    expect((await policies('320500')).map((p) => `${p.scheme} ${p.d}`)).toEqual(['resident 2022-01-01', 'resident 2025-01-01', 'employee 2022-01-01', 'employee 2025-01-01']);

    const mixed = writeCsv(path.join(dir, 'mixed.csv'), [rows[0], rows[1].map((v, i) => (i === 0 ? '360700' : i === 26 ? '2026-01-01' : v)), rows[1].map((v, i) => (i === 0 ? '360700' : i === 26 ? '2026-01-01' : i === 21 ? '170' : v))]);
    const partial = await loadFile(db().pool, mixed, etlOptions({ skipInvalid: true }));
    // the second row carries a 医疗救助比例 of 170%: rejected, the first loads
    expect(partial.status).toBe('loaded');
    expect(partial.rowsLoaded).toBe(1);
    expect(partial.rowsRejected).toBe(1);
    expect((await policies('360700')).map((p) => p.ar)).toEqual(['0.7000']);
  });
});
