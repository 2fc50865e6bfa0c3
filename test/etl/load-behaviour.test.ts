import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatIssue } from '../../etl/src/issues';
import { exitCode } from '../../etl/src/report';
import { loadFile } from '../../etl/src/run';
import { useTestDatabase } from '../support/db';
import { etlOptions, expectRejected, fixtureDir, snapshot, writeCsv, writeXlsx } from '../support/etl';

const PRICE_HEAD = ['序号', '项目编码', '项目名称', '计价单位', '三级医院价格（元）', '二级医院价格（元）', '一级医院价格（元）', '执行日期'];
const COST_HEAD = ['年度', '行政区划代码', '机构编码', '项目编码', '项目名称', '人员经费（元）', '卫生材料费（元）', '固定资产折旧（元）', '其他费用（元）', '单位成本（元）'];
const INST_HEAD = ['机构编码', '机构名称', '行政区划代码', '医院等级', '经营性质', '机构类别'];
const ROUND_HEAD = ['序号', '行政区划代码', '项目编码', '项目名称', '计价单位', '三级原价（元）', '二级原价（元）', '一级原价（元）',
  '三级新价（元）', '二级新价（元）', '一级新价（元）', '执行日期'];

/** Tables whose rows carry the batch that loaded them. */
const LINEAGE_TABLES = ['institution', 'region_item', 'price', 'cost', 'round'];

/** Rows whose batch_id does not point to a load_batch in status 'loaded'. */
async function orphanRows(pool: Pool): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of LINEAGE_TABLES) {
    const r = await pool.query(
      `select count(*)::int as n from ${t} x left join load_batch b on b.id = x.batch_id where b.id is null or b.status <> 'loaded'`,
    );
    out[t] = r.rows[0].n;
  }
  return out;
}
const NO_ORPHANS = Object.fromEntries(LINEAGE_TABLES.map((t) => [t, 0]));

describe('load behaviour', () => {
  const db = useTestDatabase();
  let dir: string;

  beforeAll(async () => {
    dir = fixtureDir();
    const pool = db().pool;
    const prices = writeCsv(path.join(dir, 'prices-350200.csv'), [
      PRICE_HEAD,
      [1, '210300001', 'X线计算机体层(CT)平扫', '次', 180, 160, 140, '2022-01-01'],
      [2, '120100002', '特级护理', '日', 100, 90, 80, '2022-01-01'],
      [3, '110200001', '普通门诊诊察费', '次', 10, 8, 6, '2022-01-01'],
    ]);
    const s = await loadFile(pool, prices, etlOptions({ region: '350200' }));
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    const inst = writeCsv(path.join(dir, 'inst-350200.csv'), [INST_HEAD, ['H35020001', '厦门大学附属第一医院', '350200', '三级', '公立', '综合医院']]);
    expect((await loadFile(pool, inst, etlOptions())).status).toBe('loaded');
  });

  const costRow = (item: string, labour: string, total: string, inst: string | null = null) =>
    [2023, '350200', inst, item, null, labour, '1.00', '2.00', '3.00', total];

  describe('idempotency and replacement', () => {
    it('loading the same file again changes nothing (same checksum → unchanged)', async () => {
      const pool = db().pool;
      const f = writeCsv(path.join(dir, 'costs-same.csv'), [COST_HEAD, costRow('210300001', '10.00', '16.00')]);
      const first = await loadFile(pool, f, etlOptions());
      expect(first.status, JSON.stringify(first.errors)).toBe('loaded');
      const before = await snapshot(pool);
      const again = await loadFile(pool, f, etlOptions());
      expect(again.status).toBe('unchanged');
      expect(again.batchId).toBe(first.batchId);
      expect(await snapshot(pool)).toEqual(before);
      // a copy under another name has the same checksum: also unchanged
      const copy = path.join(dir, 'costs-same-copy.csv');
      fs.copyFileSync(f, copy);
      expect((await loadFile(pool, copy, etlOptions())).status).toBe('unchanged');
      expect(await snapshot(pool)).toEqual(before);
    });

    it('a changed costs file replaces the rows of its previous batch', async () => {
      const pool = db().pool;
      const f = writeCsv(path.join(dir, 'costs-replace.csv'), [
        COST_HEAD, costRow('120100002', '50.00', '56.00'), costRow('110200001', '5.00', '11.00'),
      ]);
      const first = await loadFile(pool, f, etlOptions());
      expect(first.status, JSON.stringify(first.errors)).toBe('loaded');
      writeCsv(f, [COST_HEAD, costRow('120100002', '60.00', '66.00'), costRow('120100002', '70.00', '76.00', 'H35020001')]);
      const second = await loadFile(pool, f, etlOptions());
      expect(second.status, JSON.stringify(second.errors)).toBe('loaded');
      expect(second.replacedBatchId).toBe(first.batchId);
      const rows = await pool.query(
        `select institution_code, item_code, unit_cost_fen::int as fen, batch_id::int as b from cost
          where item_code in ('120100002', '110200001') order by item_code, institution_code`,
      );
      expect(rows.rows).toEqual([
        { institution_code: '', item_code: '120100002', fen: 6600, b: second.batchId },
        { institution_code: 'H35020001', item_code: '120100002', fen: 7600, b: second.batchId },
      ]);
      const b = await pool.query(`select status, replaced_by::int as by from load_batch where id = $1`, [first.batchId]);
      expect(b.rows[0]).toEqual({ status: 'replaced', by: second.batchId });
      expect(await orphanRows(pool)).toEqual(NO_ORPHANS);
    });

    it('a changed round file replaces its round, scenario, changes and prices', async () => {
      const pool = db().pool;
      const f = writeCsv(path.join(dir, 'round-2023.csv'), [
        ['厦门市2023年医疗服务价格调整项目表'],
        ROUND_HEAD,
        [1, '350200', '210300001', 'CT平扫', '次', 180, 160, 140, 135, 120, 105, '2023-01-01'],
        [2, '350200', '120100002', '特级护理', '日', 100, 90, 80, 150, 130, 110, '2023-01-01'],
      ]);
      const first = await loadFile(pool, f, etlOptions());
      expect(first.status, JSON.stringify(first.errors)).toBe('loaded');
      const firstRound = (first.details as { roundId: number }).roundId;
      writeCsv(f, [
        ['厦门市2023年医疗服务价格调整项目表（修订）'],
        ROUND_HEAD,
        [1, '350200', '210300001', 'CT平扫', '次', 180, 160, 140, 150, 130, 110, '2023-01-01'],
      ]);
      const second = await loadFile(pool, f, etlOptions());
      expect(second.status, JSON.stringify(second.errors)).toBe('loaded');
      expect(second.replacedBatchId).toBe(first.batchId);
      expect((await pool.query(`select 1 from round where id = $1`, [firstRound])).rowCount).toBe(0);
      expect((await pool.query(`select 1 from scenario where round_id = $1`, [firstRound])).rowCount).toBe(0);
      const rounds = await pool.query(`select name, batch_id::int as b from round where region_code = '350200'`);
      expect(rounds.rows).toEqual([{ name: '厦门市2023年医疗服务价格调整项目表（修订）', b: second.batchId }]);
      const changes = await pool.query(`select count(*)::int as n from scenario_change where region_code = '350200'`);
      expect(changes.rows[0].n).toBe(3);
      const p = await pool.query(
        `select item_code, hospital_level, price_fen::int as fen, batch_id::int as b from price
          where region_code = '350200' and valid_from = '2023-01-01' order by item_code, hospital_level desc`,
      );
      expect(p.rows).toEqual([
        { item_code: '210300001', hospital_level: 3, fen: 15000, b: second.batchId },
        { item_code: '210300001', hospital_level: 2, fen: 13000, b: second.batchId },
        { item_code: '210300001', hospital_level: 1, fen: 11000, b: second.batchId },
      ]);
      expect(await orphanRows(pool)).toEqual(NO_ORPHANS);
    });

    it('a replacement that is invalid keeps the previous batch', async () => {
      const pool = db().pool;
      const f = writeCsv(path.join(dir, 'costs-keep.csv'), [COST_HEAD, costRow('210300001', '10.00', '16.00', 'H35020001')]);
      const first = await loadFile(pool, f, etlOptions());
      expect(first.status, JSON.stringify(first.errors)).toBe('loaded');
      writeCsv(f, [COST_HEAD, costRow('210300001', '10.00', '99.00', 'H35020001')]);
      await expectRejected(pool, f, {}, /单位成本 99.00 元/, 'costs-keep.csv:2:10');
      const b = await pool.query(`select status from load_batch where id = $1`, [first.batchId]);
      expect(b.rows[0].status).toBe('loaded');
    });
  });

  describe('--dry-run and --skip-invalid', () => {
    it('--dry-run validates and writes nothing', async () => {
      const pool = db().pool;
      const f = writeCsv(path.join(dir, 'costs-dry.csv'), [COST_HEAD, costRow('110200001', '1.00', '7.00')]);
      const before = await snapshot(pool);
      const s = await loadFile(pool, f, etlOptions({ dryRun: true }));
      expect(s.status, JSON.stringify(s.errors)).toBe('dry-run');
      expect(s.rowsRead).toBe(1);
      expect(s.batchId).toBeNull();
      expect(await snapshot(pool)).toEqual(before);
      // and the same file loads afterwards (the dry run did not record it)
      expect((await loadFile(pool, f, etlOptions())).status).toBe('loaded');
    });

    it('--dry-run of an invalid file reports the problems', async () => {
      const pool = db().pool;
      const f = writeCsv(path.join(dir, 'costs-dry-bad.csv'), [COST_HEAD, costRow('110200001', '-1.00', '5.00')]);
      const before = await snapshot(pool);
      const s = await loadFile(pool, f, etlOptions({ dryRun: true }));
      expect(s.status).toBe('invalid');
      expect(s.errors.map(formatIssue).join('\n')).toMatch(/“人员经费（元）”不能为负数/);
      expect(await snapshot(pool)).toEqual(before);
    });

    it('--skip-invalid loads the valid rows and writes the reject file', async () => {
      const pool = db().pool;
      const f = writeCsv(path.join(dir, 'costs-skip.csv'), [
        COST_HEAD,
        [2024, '350200', null, '210300001', null, '10.00', '1.00', '2.00', '3.00', '16.00'],
        [2024, '350200', null, '999999999', null, '10.00', '1.00', '2.00', '3.00', '16.00'],
        [2024, '350200', 'H35029999', '120100002', null, '10.00', '1.00', '2.00', '3.00', '16.00'],
        [2024, '350200', null, '110200001', null, '10.00', '1.00', '2.00', '3.00', '17.00'],
        [2024, '350200', null, '120100002', null, '10.00', '1.00', '2.00', '3.00', '16.00'],
      ]);
      const s = await loadFile(pool, f, etlOptions({ skipInvalid: true }));
      expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
      expect(s.rowsRead).toBe(5);
      expect(s.rowsLoaded).toBe(2);
      expect(s.rowsRejected).toBe(3);
      expect(s.rejectFile).toBe(f + '.rejects.csv');
      const rejects = fs.readFileSync(s.rejectFile!, 'utf8');
      expect(rejects.split('\n').filter((l) => l !== '')).toHaveLength(4);
      expect(rejects).toMatch(/^\uFEFF行,列,问题,problem/);
      expect(rejects).toMatch(/3,"4","项目编码 999999999 不在地区 350200 的价格项目中/);
      expect(rejects).toMatch(/4,"3","机构编码 H35029999 不是地区 350200 已导入的医疗机构/);
      expect(rejects).toMatch(/5,"10","单位成本 17.00 元/);
      const rows = await pool.query(`select item_code, batch_id::int as b from cost where year = 2024 order by item_code`);
      expect(rows.rows).toEqual([{ item_code: '120100002', b: s.batchId }, { item_code: '210300001', b: s.batchId }]);
      const batch = await pool.query(`select rows_read, rows_loaded, rows_rejected, jsonb_array_length(errors) as e from load_batch where id = $1`, [s.batchId]);
      expect(batch.rows[0]).toEqual({ rows_read: 5, rows_loaded: 2, rows_rejected: 3, e: 3 });
    });

    it('--skip-invalid on a round file loads the valid rows', async () => {
      const pool = db().pool;
      const f = writeCsv(path.join(dir, 'round-skip.csv'), [
        ROUND_HEAD,
        [1, '350200', '110200001', '普通门诊诊察费', '次', 10, 8, 6, 12, 10, 8, '2026-01-01'],
        [2, '350200', '120100002', '特级护理', '日', 1, 90, 80, 160, 140, 120, '2026-01-01'], // 原价 mismatch (the revised 2023 round left it at 100)
      ]);
      const s = await loadFile(pool, f, etlOptions({ skipInvalid: true }));
      expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
      expect(s.rowsLoaded).toBe(1);
      expect(s.rowsRejected).toBe(1);
      expect(fs.readFileSync(s.rejectFile!, 'utf8')).toMatch(/3,"6","三级原价 1.00 元与执行日期前一天（2025-12-31）的现行价格 100.00 元不符（项目 120100002，2022-01-01 起执行）/);
      const p = await pool.query(`select item_code from price where batch_id = $1 order by 1`, [s.batchId]);
      expect(p.rows.map((r) => r.item_code)).toEqual(['110200001', '110200001', '110200001']);
    });
  });

  describe('kind detection from the header (no --kind)', () => {
    const detect = async (file: string, region?: string) => {
      const s = await loadFile(db().pool, file, etlOptions({ region, dryRun: true }));
      expect(s.status, JSON.stringify(s.errors)).toBe('dry-run');
      return s.kind;
    };

    it('price-table', async () => {
      const f = writeCsv(path.join(dir, 'k-price.csv'), [PRICE_HEAD, [1, '110200002', '专家门诊诊察费', '次', 30, 25, 20, '2022-01-01']]);
      expect(await detect(f, '350200')).toBe('price-table');
    });
    it('price-table with a merged two-level price header', async () => {
      const f = await writeXlsx(path.join(dir, 'k-price.xlsx'), [
        ['序号', '项目编码', '项目名称', '计价单位', '价格（元）', null, null, '执行日期'],
        [null, null, null, null, '三级', '二级', '一级', null],
        [1, '110200002', '专家门诊诊察费', '次', 30, 25, 20, '2022-01-01'],
      ], ['A1:A2', 'B1:B2', 'C1:C2', 'D1:D2', 'E1:G1', 'H1:H2']);
      expect(await detect(f, '350200')).toBe('price-table');
    });
    it('institutions', async () => {
      const f = writeCsv(path.join(dir, 'k-inst.csv'), [INST_HEAD, ['H35020002', '厦门市中医院', '350200', '三级', '公立', '中医医院']]);
      expect(await detect(f)).toBe('institutions');
    });
    it('costs', async () => {
      const f = writeCsv(path.join(dir, 'k-costs.csv'), [COST_HEAD, [2020, '350200', null, '210300001', 'CT', '10.00', '1.00', '2.00', '3.00', '16.00']]);
      expect(await detect(f)).toBe('costs');
    });
    it('round (flat header)', async () => {
      const f = writeCsv(path.join(dir, 'k-round.csv'), [['厦门市2027年医疗服务价格调整项目表'], ROUND_HEAD,
        [1, '350200', '110200001', '普通门诊诊察费', '次', 12, 10, 8, 15, 12, 10, '2027-01-01']]);
      expect(await detect(f)).toBe('round');
    });
    it('round (two-level xlsx header)', async () => {
      const f = await writeXlsx(path.join(dir, 'k-round.xlsx'), [
        ['厦门市2027年医疗服务价格调整项目表'],
        ['序号', '项目编码', '项目名称', '计价单位', '原价（元）', null, null, '新价（元）', null, null, '执行日期'],
        [null, null, null, null, '三级', '二级', '一级', '三级', '二级', '一级', null],
        [1, '110200001', '普通门诊诊察费', '次', 12, 10, 8, 15, 12, 10, '2027-01-01'],
      ], ['A1:K1', 'A2:A3', 'B2:B3', 'C2:C3', 'D2:D3', 'E2:G2', 'H2:J2', 'K2:K3']);
      expect(await detect(f, '350200')).toBe('round');
    });
    it('a header that fits no kind', () =>
      expectRejected(db().pool, writeCsv(path.join(dir, 'k-none.csv'), [['项目编码', '备注', '其他'], ['110200001', 'x', 'y']]), {},
        /无法根据表头判断文件类型，请用 --kind 指定/, 'k-none.csv:1'));
  });

  describe('files that cannot be read', () => {
    it('a file that does not exist', () =>
      expectRejected(db().pool, path.join(dir, 'no-such-file.csv'), {}, /文件不存在或无法读取/));
    it('a folder instead of a file', () => expectRejected(db().pool, dir, { kind: 'costs' }, /不是文件/));
    it('an empty file', () => {
      const f = path.join(dir, 'empty.csv');
      fs.writeFileSync(f, '');
      return expectRejected(db().pool, f, { kind: 'costs' }, /文件为空/);
    });
    it('a file of blank lines', () => {
      const f = path.join(dir, 'blank.csv');
      fs.writeFileSync(f, '\n\n  \n');
      return expectRejected(db().pool, f, {}, /文件为空/);
    });
    it('a truncated xlsx', async () => {
      const full = await writeXlsx(path.join(dir, 'full.xlsx'), [COST_HEAD, [2023, '350200', null, '210300001', 'CT', 10, 1, 2, 3, 16]]);
      const bytes = fs.readFileSync(full);
      const f = path.join(dir, 'truncated.xlsx');
      fs.writeFileSync(f, bytes.subarray(0, Math.floor(bytes.length / 2)));
      await expectRejected(db().pool, f, { kind: 'costs' }, /xlsx 文件已损坏或不完整/);
    });
    it('a UTF-8 csv with a row in GBK: the row is named, nothing is written, with --skip-invalid too', async () => {
      const f = path.join(dir, 'mixed-gbk.csv');
      fs.writeFileSync(f, Buffer.concat([
        Buffer.from(`${PRICE_HEAD.join(',')}\n1,110200002,专家门诊诊察费,次,30,25,20,2024-01-01\n`),
        iconv.encode('2,120100003,一级护理,日,30,25,20,2024-01-01\n', 'gbk'),
        Buffer.from('3,220301001,彩色多普勒超声常规检查,次,70,60,50,2024-01-01\n'),
      ]));
      for (const skipInvalid of [false, true]) {
        const s = await expectRejected(db().pool, f, { region: '350200', skipInvalid }, /该行不是有效的 UTF-8 文本（可能是 GBK 编码）/, 'mixed-gbk.csv:3');
        expect(s.errors.map(formatIssue)).toEqual([`${f}:3: 该行不是有效的 UTF-8 文本（可能是 GBK 编码），而文件按 UTF-8 读取：请将整个文件另存为 UTF-8（整个文件未导入） ` +
          '(the row is not valid UTF-8 (probably GBK) in a file read as UTF-8: save the whole file as UTF-8 (the file was not loaded))']);
      }
    });
    it('GBK rows far into a UTF-8 csv (past the sample its encoding is detected from) are each named', async () => {
      const f = path.join(dir, 'mixed-late.csv');
      const utf8Rows = Array.from({ length: 1500 }, (_, i) => [i + 1, `3302${String(i).padStart(5, '0')}`, `中医针刺治疗第${i}项`, '次', 30, 25, 20, '2024-01-01'].join(','));
      fs.writeFileSync(f, Buffer.concat([
        Buffer.from([PRICE_HEAD.join(','), ...utf8Rows, ''].join('\n')),
        iconv.encode('1501,430000001,普通针刺,次,30,25,20,2024-01-01\n', 'gbk'),
        Buffer.from('1502,430000002,温针,次,30,25,20,2024-01-01\n'),
        iconv.encode('1503,430000003,电针,次,30,25,20,2024-01-01\n', 'gbk'),
      ]));
      expect(fs.statSync(f).size).toBeGreaterThan(64 * 1024);
      const s = await expectRejected(db().pool, f, { region: '350200' }, /该行不是有效的 UTF-8 文本/, 'mixed-late.csv:1502');
      expect(s.errors.map((e) => e.row)).toEqual([1502, 1504]);
      expect(s.errorCount).toBe(2);
    });
    it('a GBK row whose bytes happen to be valid UTF-8 (洗胃 reads as ϴθ) is named with its column; a whole-GBK file still loads', async () => {
      const row = '2023,350200,,121000001,洗胃,48.89,6.01,5.75,27.75,88.40\n';
      const f = path.join(dir, 'costs-lookalike.csv');
      fs.writeFileSync(f, Buffer.concat([
        Buffer.from(`${COST_HEAD.join(',')}\n${costRow('210300001', '10.00', '16.00').join(',')}\n`),
        iconv.encode(row, 'gbk'),
      ]));
      expect(isUtf8(fs.readFileSync(f))).toBe(true);
      for (const skipInvalid of [false, true]) {
        const s = await expectRejected(db().pool, f, { skipInvalid }, /应是 GBK 编码的“洗胃”/, 'costs-lookalike.csv:3:5');
        expect(exitCode([s], skipInvalid)).toBe(1);
        expect(s.errors.map(formatIssue)).toEqual([`${f}:3:5: 该单元格按 UTF-8 读作“ϴθ”，应是 GBK 编码的“洗胃”，而文件按 UTF-8 读取：` +
          '请将整个文件另存为 UTF-8（整个文件未导入） (the cell reads "ϴθ" as UTF-8 but is GBK text ("洗胃") in a file read as UTF-8: ' +
          'save the whole file as UTF-8 (the file was not loaded))']);
      }
      // a file all in GBK with the same name: read as GBK, loaded with the name as written
      const whole = writeCsv(path.join(dir, 'prices-gbk.csv'), [PRICE_HEAD, [1, '121000001', '洗胃', '次', 90, 80, 70, '2024-06-01']], { encoding: 'gbk' });
      const ok = await loadFile(db().pool, whole, etlOptions({ region: '350200' }));
      expect(ok.status, JSON.stringify(ok.errors)).toBe('loaded');
      expect(exitCode([ok], false)).toBe(0);
      const name = await db().pool.query(`select name from region_item where region_code = '350200' and item_code = '121000001'`);
      expect(name.rows).toEqual([{ name: '洗胃' }]);
    });
    it('a header-only costs file loads nothing', async () => {
      const s = await loadFile(db().pool, writeCsv(path.join(dir, 'costs-header-only.csv'), [COST_HEAD]), etlOptions());
      expect(s.status).toBe('loaded');
      expect(s.rowsLoaded).toBe(0);
    });
  });
});
