import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchDateOf, batchNameOf } from '../../etl/src/loaders/guideline';
import { loadFile } from '../../etl/src/run';
import { useTestDatabase } from '../support/db';
import { etlOptions, expectRejected, fixtureDir, snapshot, writeCsv, writeXlsx } from '../support/etl';

const HEAD = ['序号', '项目名称', '服务产出', '价格构成', '加收项', '扩展项', '计价单位', '计价说明'];
const COMPOSITION = '所定价格涵盖评估、观察、护理操作、健康指导、记录等步骤所需的人力资源和基本物质资源消耗';
type Row = (string | number | null)[];
const NURSING: Row[] = [
  [1, '特级护理费', '对病情危重、需随时观察和实施抢救的患者提供的护理服务', COMPOSITION, null, null, '日', '含基础护理、病情观察'],
  [2, 'Ⅰ级护理费', '对病情趋向稳定的重症患者提供的Ⅰ级护理服务', COMPOSITION, null, null, '日', null],
  [3, '吸痰护理费', '清除患者呼吸道分泌物的护理服务', COMPOSITION, '经人工气道（加收）', null, '次', null],
];
const USAGE = '使用说明：1. 本指南价格项目按服务产出设立，“加收项”“扩展项”随主项目计价。';

describe('guideline loader', () => {
  const db = useTestDatabase();
  let dir: string;
  beforeAll(() => {
    dir = fixtureDir();
  });

  it('takes the batch name and date from the title rows', () => {
    expect(batchNameOf(['附件1', '护理类医疗服务价格项目立项指南（试行）'])).toBe('护理类医疗服务价格项目立项指南（试行）');
    expect(batchNameOf(['附件1：护理类医疗服务价格项目立项指南（试行）'])).toBe('护理类医疗服务价格项目立项指南（试行）');
    expect(batchDateOf(['护理类…', '国家医疗保障局 2024年8月'])).toBe('2024-08-01');
    expect(batchDateOf(['2024年11月15日印发'])).toBe('2024-11-15');
    expect(batchDateOf(['2024年13月'])).toBeNull();
  });

  it('loads an xlsx with merged title rows and a trailing 使用说明 row', async () => {
    const f = await writeXlsx(path.join(dir, 'nursing.xlsx'), [
      ['护理类医疗服务价格项目立项指南（试行）'],
      ['国家医疗保障局　2024年8月'],
      HEAD,
      ...NURSING,
      [USAGE],
    ], ['A1:H1', 'A2:H2', `A${NURSING.length + 4}:H${NURSING.length + 4}`]);
    const s = await loadFile(db().pool, f, etlOptions());
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect(s.kind).toBe('guideline');
    expect(s.rowsLoaded).toBe(3);
    expect(s.details).toMatchObject({ noteRows: 1 });
    const b = await db().pool.query(`select name, published_on::text d, issuer, batch_id from guideline_batch`);
    expect(b.rows).toEqual([{ name: '护理类医疗服务价格项目立项指南（试行）', d: '2024-08-01', issuer: '国家医疗保障局', batch_id: String(s.batchId) }]);
    const items = await db().pool.query(`select seq, name, unit, addons, pricing_note from guideline_item order by seq`);
    expect(items.rows).toEqual([
      { seq: 1, name: '特级护理费', unit: '日', addons: null, pricing_note: '含基础护理、病情观察' },
      { seq: 2, name: 'Ⅰ级护理费', unit: '日', addons: null, pricing_note: null },
      { seq: 3, name: '吸痰护理费', unit: '次', addons: '经人工气道（加收）', pricing_note: null },
    ]);
    const before = await snapshot(db().pool);
    expect((await loadFile(db().pool, f, etlOptions())).status).toBe('unchanged');
    expect(await snapshot(db().pool)).toEqual(before);
  });

  it('loads a GBK csv; --batch-date overrides the date of the title', async () => {
    const f = writeCsv(path.join(dir, 'acupuncture.csv'), [
      ['中医针法类医疗服务价格项目立项指南（试行）'],
      ['附件1　2024年11月'],
      HEAD,
      [1, '常规针法费', '运用毫针在穴位或特定部位进行针刺治疗，含舌针、鼻针、腹针、腕踝针、手针、面针、口针等针法', null, '儿童（加收）', null, '次', '每次治疗不论穴位多少计1次'],
      [2, '温针费', '针刺得气后在针柄上加艾炷或艾条温灸的治疗', null, null, null, '次', null],
      [USAGE],
    ], { encoding: 'gbk' });
    const s = await loadFile(db().pool, f, etlOptions({ batchDate: '2024-11-20' }));
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    const b = await db().pool.query(`select published_on::text d from guideline_batch where name = '中医针法类医疗服务价格项目立项指南（试行）'`);
    expect(b.rows).toEqual([{ d: '2024-11-20' }]);
  });

  it('a changed file replaces its batch and keeps the mappings of the items still there', async () => {
    const f = writeCsv(path.join(dir, 'replace.csv'), [['康复类价格项目立项指南'], HEAD,
      [1, '康复评定费', '康复评定', null, null, null, '次', null], [2, '运动疗法费', '运动疗法', null, null, null, '次', null]]);
    const first = await loadFile(db().pool, f, etlOptions());
    expect(first.status, JSON.stringify(first.errors)).toBe('loaded');
    const m = writeCsv(path.join(dir, 'replace-mapping.csv'), [
      ['序号', '立项指南', null, '原价格项目', null],
      [null, '项目名称', '项目类型', '项目编码', '项目名称'],
      [1, '康复评定费', '主项目', '340100001', '康复评定'],
      [2, '运动疗法费', '主项目', '340200001', '运动疗法'],
    ]);
    const ms = await loadFile(db().pool, m, etlOptions({ guidelineBatch: '康复类价格项目立项指南' }));
    expect(ms.status, JSON.stringify(ms.errors)).toBe('loaded');

    writeCsv(f, [['康复类价格项目立项指南'], HEAD, [1, '康复评定费', '康复评定（含报告）', null, null, null, '次', null]]);
    const second = await loadFile(db().pool, f, etlOptions());
    expect(second.status, JSON.stringify(second.errors)).toBe('loaded');
    expect(second.replacedBatchId).toBe(first.batchId);
    expect(second.details).toMatchObject({ mappingsKept: 1, mappingsDropped: 1 });
    const r = await db().pool.query(
      `select gi.name, gi.service_output, m.source_code, m.batch_id from guideline_item gi
         join guideline_batch gb on gb.id = gi.guideline_batch_id left join guideline_mapping m on m.guideline_item_id = gi.id
        where gb.name = '康复类价格项目立项指南'`,
    );
    expect(r.rows).toEqual([{ name: '康复评定费', service_output: '康复评定（含报告）', source_code: '340100001', batch_id: String(ms.batchId) }]);
  });

  describe('rejects malformed files and writes nothing', () => {
    const bad = (name: string, rows: Row[]) => writeCsv(path.join(dir, name), [['某类医疗服务价格项目立项指南（试行）'], HEAD, ...rows]);

    it('duplicate 项目名称', () =>
      expectRejected(db().pool, bad('dup-name.csv', [NURSING[0]!, [2, '特级护理费', '另一种说法', null, null, null, '日', null]]), {},
        /项目名称“特级护理费”重复（与第 3 行相同）/, 'dup-name.csv:4:2'));
    it('duplicate 序号', () =>
      expectRejected(db().pool, bad('dup-seq.csv', [NURSING[0]!, [1, 'Ⅰ级护理费', 'x', null, null, null, '日', null]]), {},
        /序号 1 重复（与第 3 行相同）/, 'dup-seq.csv:4:1'));
    it('序号 that is text', () =>
      expectRejected(db().pool, bad('seq-text.csv', [['一', '特级护理费', 'x', null, null, null, '日', null]]), {},
        /“序号”应为整数：一/, 'seq-text.csv:3:1'));
    it('blank 服务产出', () =>
      expectRejected(db().pool, bad('output.csv', [[1, '特级护理费', null, null, null, null, '日', null]]), {},
        /“服务产出”不能为空/, 'output.csv:3:3'));
    it('missing 计价单位 column', () =>
      expectRejected(db().pool, writeCsv(path.join(dir, 'no-unit.csv'), [HEAD.filter((h) => h !== '计价单位'), [1, '特级护理费', 'x', null, null, null, null]]),
        { kind: 'guideline' }, /缺少必需的列“计价单位”/, 'no-unit.csv:1'));
    it('truncated xlsx', async () => {
      const f = await writeXlsx(path.join(dir, 'truncated.xlsx'), [['护理类医疗服务价格项目立项指南（试行）'], HEAD, ...NURSING]);
      const bytes = fs.readFileSync(f);
      fs.writeFileSync(f, bytes.subarray(0, Math.floor(bytes.length / 2)));
      await expectRejected(db().pool, f, { kind: 'guideline' }, /xlsx 文件已损坏或不完整/, 'truncated.xlsx');
    });
    it('a batch name another file already loaded', () =>
      expectRejected(db().pool, writeCsv(path.join(dir, 'other-name.csv'), [['护理类医疗服务价格项目立项指南（试行）'], HEAD, NURSING[0]!]), {},
        /立项指南批次“护理类医疗服务价格项目立项指南（试行）”已由批次 #\d+（nursing\.xlsx）导入/, 'other-name.csv'));
  });
});
