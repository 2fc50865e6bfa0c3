import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFile } from '../../etl/src/run';
import { useTestDatabase } from '../support/db';
import { etlOptions, expectRejected, fixtureDir, writeCsv, writeXlsx } from '../support/etl';

const HEAD = ['机构编码', '机构名称', '行政区划代码', '医院等级', '经营性质', '机构类别', '床位数'];
type Row = (string | number | null)[];

describe('institutions loader', () => {
  const db = useTestDatabase();
  let dir: string;
  beforeAll(() => {
    dir = fixtureDir();
  });

  const rowsOf = async (region: string) =>
    (
      await db().pool.query(
        `select code, name, hospital_level, is_public, type, beds, batch_id::int from institution where region_code = $1 order by code`,
        [region],
      )
    ).rows;

  it('loads an xlsx with title rows: levels (三级甲等 → 3), ownership, type and beds', async () => {
    const f = await writeXlsx(path.join(dir, 'tangshan.xlsx'), [
      ['唐山市医疗机构名单'],
      HEAD,
      ['H13020001', '唐山市工人医院', '130200', '三级甲等', '公立', '综合医院', 1800],
      ['H13020002', '唐山市中医医院', '130200', '三级', '公立', '中医医院', null],
      ['H13020003', '唐山某民营医院', '130200', '二级', '民营', '专科医院', 120],
      ['H13020004', '唐山市某社区卫生服务中心', '130200', '1', '公办', null, 40],
    ], ['A1:G1']);
    const s = await loadFile(db().pool, f, etlOptions());
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect(s.kind).toBe('institutions');
    expect(s.rowsLoaded).toBe(4);
    expect(s.region).toBe('130200');
    const b = s.batchId;
    expect(await rowsOf('130200')).toEqual([
      { code: 'H13020001', name: '唐山市工人医院', hospital_level: 3, is_public: true, type: '综合医院', beds: 1800, batch_id: b },
      { code: 'H13020002', name: '唐山市中医医院', hospital_level: 3, is_public: true, type: '中医医院', beds: null, batch_id: b },
      { code: 'H13020003', name: '唐山某民营医院', hospital_level: 2, is_public: false, type: '专科医院', beds: 120, batch_id: b },
      { code: 'H13020004', name: '唐山市某社区卫生服务中心', hospital_level: 1, is_public: true, type: null, beds: 40, batch_id: b },
    ]);
  });

  it('loads a GBK csv without a region column (--region) and with header variants', async () => {
    const f = writeCsv(path.join(dir, 'leshan.csv'), [
      ['医疗机构编码', '医疗机构名称', '等级', '所有制'],
      ['H51110001', '乐山市人民医院', '三级', '公立'],
      ['H51110002', '乐山某医院', '二级乙等', '非公立'],
    ], { encoding: 'gbk' });
    const s = await loadFile(db().pool, f, etlOptions({ region: '511100', kind: 'institutions' }));
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect((await rowsOf('511100')).map((r) => [r.code, r.name, r.hospital_level, r.is_public])).toEqual([
      ['H51110001', '乐山市人民医院', 3, true],
      ['H51110002', '乐山某医院', 2, false],
    ]);
  });

  describe('rejects malformed files and writes nothing', () => {
    const ok: Row = ['H32050001', '苏州市立医院', '320500', '三级', '公立', '综合医院', 1200];
    const bad = (name: string, rows: Row[]) => writeCsv(path.join(dir, name), [HEAD, ...rows]);
    const with_ = (i: number, v: string | number | null): Row => ok.map((x, j) => (j === i ? v : x));

    it('a level that does not exist (四级)', () =>
      expectRejected(db().pool, bad('level.csv', [with_(3, '四级')]), {}, /医院等级“四级”不存在（应为三级、二级或一级）/, 'level.csv:2:4'));
    it('an unknown ownership', () =>
      expectRejected(db().pool, bad('own.csv', [with_(4, '合资')]), {}, /经营性质“合资”无效（应为公立或非公立）/, 'own.csv:2:5'));
    it('a duplicate code', () =>
      expectRejected(db().pool, bad('dup.csv', [ok, with_(1, '另一家医院')]), {}, /机构编码 H32050001 重复（与第 2 行相同）/, 'dup.csv:3:1'));
    it('an unknown region', () =>
      expectRejected(db().pool, bad('region.csv', [with_(2, '320599')]), {}, /地区代码 320599 不存在/, 'region.csv:2:3'));
    it('a region code that is not six digits', () =>
      expectRejected(db().pool, bad('region6.csv', [with_(2, '3205')]), {}, /行政区划代码应为6位数字：3205/, 'region6.csv:2:3'));
    it('a blank name', () =>
      expectRejected(db().pool, bad('name.csv', [with_(1, null)]), {}, /“机构名称”不能为空/, 'name.csv:2:2'));
    it('beds that are not a whole number', () =>
      expectRejected(db().pool, bad('beds.csv', [with_(6, '12.5')]), {}, /“床位数”应为整数：12.5/, 'beds.csv:2:7'));
    it('a missing required column', () =>
      expectRejected(db().pool, writeCsv(path.join(dir, 'nocol.csv'), [HEAD.filter((h) => h !== '经营性质'), ok.filter((_, j) => j !== 4)]),
        { kind: 'institutions' }, /缺少必需的列“经营性质”/));
    it('an institution already loaded by another file', () =>
      expectRejected(db().pool, bad('again.csv', [['H13020001', '唐山市工人医院', '130200', '三级', '公立', null, null]]), {},
        /机构编码 H13020001 已由批次 #\d+ 导入/, 'again.csv:2:1'));
  });
});
