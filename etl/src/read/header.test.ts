import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchColumns, normalizeHeader, type ColumnSpec } from './header';
import type { HeaderColumn } from './types';

/** Columns from labels; `a/b` is a two-level column. */
function cols(...labels: string[]): { columns: HeaderColumn[] } {
  return {
    columns: labels.map((label, index) => ({ index, path: label.split('/'), label, letter: String(index + 1) })),
  };
}

function letters<K extends string>(m: { columns: Partial<Record<K, HeaderColumn>> }): Record<string, number> {
  return Object.fromEntries(Object.entries<HeaderColumn | undefined>(m.columns).map(([k, c]) => [k, c!.index]));
}

const PRICE_SPEC: ColumnSpec[] = [
  { key: 'seq', names: ['序号'] },
  { key: 'code', names: ['项目编码', '编码'], required: true },
  { key: 'name', names: ['项目名称'], required: true },
  { key: 'content', names: ['项目内涵', '服务产出'] },
  { key: 'unit', names: ['计价单位', '单位'] },
  { key: 'price', names: ['价格（元）', '价格'] },
  { key: 'price3', group: ['价格（元）', '价格', '收费标准（元）'], names: ['三级医院价格（元）', '三级价格', '三级', '三级医院'] },
  { key: 'price2', group: ['价格（元）', '价格', '收费标准（元）'], names: ['二级医院价格（元）', '二级价格', '二级', '二级医院'] },
  { key: 'price1', group: ['价格（元）', '价格', '收费标准（元）'], names: ['一级医院价格（元）', '一级价格', '一级', '一级医院'] },
  { key: 'note', names: ['计价说明', '说明', '备注'] },
  { key: 'payment', names: ['医保支付类别', '支付类别', '医保类别'] },
  { key: 'region', names: ['行政区划代码', '地区代码'] },
  { key: 'effective', names: ['执行日期', '生效日期'] },
];

/** Characters seen in header cells: CJK, ASCII, full-width forms, brackets, all kinds of spaces. */
const headerChar = fc.oneof(
  fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCodePoint(c)),
  fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCodePoint(c)),
  fc.integer({ min: 0xff01, max: 0xff5e }).map((c) => String.fromCodePoint(c)),
  fc.constantFrom('（', '）', '【', '】', '、', '\u3000', '\u00a0', '\n', '\r', '\t', '\u200b', '\ufeff', '㎡', 'Ⅲ', '①'),
);

describe('normalizeHeader', () => {
  it('unifies widths, brackets, spaces, line breaks and case', () => {
    expect(normalizeHeader(' 价格 (元) ')).toBe('价格（元）');
    expect(normalizeHeader('价格（元）')).toBe('价格（元）');
    expect(normalizeHeader('三级医院\n价格\r\n（元）')).toBe('三级医院价格（元）');
    expect(normalizeHeader('项\u3000目\u00a0编\t码\u200b')).toBe('项目编码');
    expect(normalizeHeader('ＮＨＳＡ编码')).toBe('nhsa编码');
    expect(normalizeHeader('２０２３年版')).toBe('2023年版');
    expect(normalizeHeader('')).toBe('');
    expect(normalizeHeader(null)).toBe('');
  });

  it('is idempotent and removes all whitespace', () => {
    fc.assert(
      fc.property(fc.string({ unit: headerChar }), (s) => {
        const n = normalizeHeader(s);
        expect(normalizeHeader(n)).toBe(n);
        expect(/\s/u.test(n)).toBe(false);
        expect(/[()]/.test(n)).toBe(false);
      }),
    );
  });

  it('ignores inserted whitespace and bracket width', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('价', '格', '（', '）', '(', ')', '三', '级', 'A', 'b'), { minLength: 1, maxLength: 12 }),
        fc.array(fc.constantFrom(' ', '\n', '\u3000', '\t', ''), { minLength: 13, maxLength: 13 }),
        (chars, spaces) => {
          const plain = chars.join('');
          const spaced = chars.map((c, i) => spaces[i] + c).join('') + spaces[12];
          const swapped = plain.replace(/（/g, '(').replace(/）/g, ')');
          expect(normalizeHeader(spaced)).toBe(normalizeHeader(plain));
          expect(normalizeHeader(swapped)).toBe(normalizeHeader(plain));
        },
      ),
    );
  });
});

describe('matchColumns', () => {
  it('matches a flat price table with per-level price columns', () => {
    const m = matchColumns(
      cols('序号', '项目编码', '项目名称', '项目内涵', '计价单位', '三级医院价格(元)', '二级医院价格（元）', '一级医院价格（元）', '计价说明'),
      PRICE_SPEC,
    );
    expect(letters(m)).toEqual({ seq: 0, code: 1, name: 2, content: 3, unit: 4, price3: 5, price2: 6, price1: 7, note: 8 });
    expect(m.missing).toEqual([]);
    expect(m.duplicates).toEqual([]);
  });

  it('matches short flat variants (三级价格, 三级) without a group', () => {
    expect(letters(matchColumns(cols('编码', '项目名称', '三级价格', '二级价格', '一级价格'), PRICE_SPEC))).toEqual({
      code: 0,
      name: 1,
      price3: 2,
      price2: 3,
      price1: 4,
    });
    expect(letters(matchColumns(cols('项目编码', '项目名称', '三级', '二级', '一级'), PRICE_SPEC))).toEqual({
      code: 0,
      name: 1,
      price3: 2,
      price2: 3,
      price1: 4,
    });
  });

  it('never lets the generic 价格 take a level column', () => {
    // labels not listed among the names: only the group+name combination tells them apart
    const m = matchColumns(cols('项目编码', '项目名称', '三级医院价格', '二级医院收费标准（元）', '价格(元)'), PRICE_SPEC);
    expect(letters(m)).toEqual({ code: 0, name: 1, price3: 2, price2: 3, price: 4 });
    const flat = matchColumns(cols('项目编码', '项目名称', '三级医院价格（元）'), PRICE_SPEC);
    expect(flat.columns.price).toBeUndefined();
    expect(flat.columns.price3?.index).toBe(2);
  });

  it('takes a single price column as the generic price', () => {
    const m = matchColumns(cols('项目编码', '项目名称', '计价单位', '价格（元）'), PRICE_SPEC);
    expect(letters(m)).toEqual({ code: 0, name: 1, unit: 2, price: 3 });
  });

  it('matches two-level columns by group and sub-label', () => {
    const m = matchColumns(
      cols('项目编码', '项目名称', '价格（元）/三级', '价格（元）/二级', '价格（元）/一级', '计价单位'),
      PRICE_SPEC,
    );
    expect(letters(m)).toEqual({ code: 0, name: 1, price3: 2, price2: 3, price1: 4, unit: 5 });
    expect(m.columns.price).toBeUndefined();
    expect(m.duplicates).toEqual([]);
  });

  it('accepts group variants and sub-labels that are flat names', () => {
    const m = matchColumns(cols('项目编码', '项目名称', '收费标准(元)/三级医院', '收费标准(元)/二级医院价格（元）', '收费标准(元)/一级'), PRICE_SPEC);
    expect(letters(m)).toEqual({ code: 0, name: 1, price3: 2, price2: 3, price1: 4 });
  });

  it('requires the group of a grouped spec on a two-level column', () => {
    const spec: ColumnSpec[] = [
      { key: 'guideName', group: ['立项指南'], names: ['项目名称'], required: true },
      { key: 'oldCode', group: ['原价格项目'], names: ['项目编码'] },
      { key: 'oldName', group: ['原价格项目'], names: ['项目名称'] },
      { key: 'nhsaCode', group: ['医保医疗服务项目'], names: ['项目编码'] },
    ];
    const m = matchColumns(cols('序号', '医保医疗服务项目/项目编码', '医保医疗服务项目/项目名称', '原价格项目/项目编码'), spec);
    expect(letters(m)).toEqual({ oldCode: 3, nhsaCode: 1 });
    expect(m.missing).toEqual(['guideName']);
  });

  it('judges columns under an unknown group label by their sub-label', () => {
    const m = matchColumns(
      cols('填报单位：苏州市/项目编码', '填报单位：苏州市/项目名称', '金额单位/三级医院价格（元）', '金额单位/二级'),
      PRICE_SPEC,
    );
    expect(letters(m)).toEqual({ code: 0, name: 1, price3: 2, price2: 3 });
  });

  it('tells old and new prices apart (round files)', () => {
    const spec: ColumnSpec[] = [
      { key: 'old3', group: ['原价（元）', '原价'], names: ['三级'] },
      { key: 'old2', group: ['原价（元）', '原价'], names: ['二级'] },
      { key: 'new3', group: ['新价（元）', '新价'], names: ['三级'] },
      { key: 'new2', group: ['新价（元）', '新价'], names: ['二级'] },
    ];
    expect(letters(matchColumns(cols('三级新价（元）', '二级新价（元）', '三级原价（元）', '二级原价（元）'), spec))).toEqual({
      new3: 0,
      new2: 1,
      old3: 2,
      old2: 3,
    });
    expect(letters(matchColumns(cols('原价（元）/三级', '原价（元）/二级', '新价（元）/三级', '新价（元）/二级'), spec))).toEqual({
      old3: 0,
      old2: 1,
      new3: 2,
      new2: 3,
    });
    // only the new prices present: the old ones are not taken from them
    const m = matchColumns(cols('三级新价（元）', '二级新价（元）'), spec);
    expect(letters(m)).toEqual({ new3: 0, new2: 1 });
  });

  it('prefers exact labels over contained variants and earlier variants over later ones', () => {
    const spec: ColumnSpec[] = [
      { key: 'regionName', names: ['地区名称', '地区'] },
      { key: 'region', names: ['行政区划代码', '地区代码'] },
      { key: 'note', names: ['计价说明', '说明', '备注'] },
    ];
    // 地区 is contained in 地区代码, but that column describes the region code better
    expect(letters(matchColumns(cols('地区代码', '备注'), spec))).toEqual({ region: 0, note: 1 });
    const both = matchColumns(cols('备注', '计价说明'), spec);
    expect(letters(both)).toEqual({ note: 1 });
    expect(both.duplicates).toEqual([]);
  });

  it('matches costs with and without the unit in brackets', () => {
    const spec: ColumnSpec[] = [
      { key: 'labour', names: ['人员经费（元）', '人员经费'], required: true },
      { key: 'material', names: ['卫生材料费（元）', '卫生材料费', '材料费'], required: true },
      { key: 'depreciation', names: ['固定资产折旧（元）', '固定资产折旧', '折旧费'], required: true },
      { key: 'other', names: ['其他费用（元）', '其他费用'], required: true },
      { key: 'total', names: ['单位成本（元）', '单位成本', '成本合计'], required: true },
    ];
    const m = matchColumns(cols('人员经费', '卫生材料费(元)', '折旧费（万元）', '其他费用 （元）', '成本合计'), spec);
    expect(letters(m)).toEqual({ labour: 0, material: 1, depreciation: 2, other: 3, total: 4 });
    expect(m.missing).toEqual([]);
  });

  it('reports missing required keys only', () => {
    const m = matchColumns(cols('项目名称', '计价单位'), PRICE_SPEC);
    expect(m.missing).toEqual(['code']);
    expect(m.columns.note).toBeUndefined();
  });

  it('reports keys with two equally good columns and keeps the leftmost', () => {
    const m = matchColumns(cols('项目编码', '项目名称', '项目编码', '计价单位'), PRICE_SPEC);
    expect(m.duplicates).toEqual(['code']);
    expect(m.columns.code?.index).toBe(0);
    const spaced = matchColumns(cols('项目 名称', '项目名称(1)', '项目名称'), [{ key: 'name', names: ['项目名称'] }]);
    expect(spaced.duplicates).toEqual(['name']);
    expect(spaced.columns.name?.index).toBe(0);
    // a two-level header with the same sub-label under two groups, matched without a group
    const two = matchColumns(cols('立项指南/项目名称', '原价格项目/项目名称'), [{ key: 'name', names: ['项目名称'] }]);
    expect(two.duplicates).toEqual(['name']);
  });

  it('treats entries with the same key as alternatives', () => {
    const spec: ColumnSpec[] = [
      { key: 'price3', group: ['价格（元）'], names: ['三级'] },
      { key: 'price3', names: ['三级医院价格（元）'] },
      { key: 'code', names: ['项目编码'], required: true },
    ];
    expect(letters(matchColumns(cols('项目编码', '价格（元）/三级'), spec))).toEqual({ code: 0, price3: 1 });
    const flat = matchColumns(cols('项目编码', '三级医院价格（元）'), spec);
    expect(letters(flat)).toEqual({ code: 0, price3: 1 });
    expect(flat.duplicates).toEqual([]);
  });

  it('assigns each column to at most one key', () => {
    const labels = ['序号', '项目编码', '编码', '项目名称', '价格', '三级', '价格（元）/二级', '单位', '计价单位', '说明', '备注'];
    fc.assert(
      fc.property(fc.shuffledSubarray(labels), (picked) => {
        const m = matchColumns(cols(...picked), PRICE_SPEC);
        const used = Object.values<HeaderColumn | undefined>(m.columns).map((c) => c!.index);
        expect(new Set(used).size).toBe(used.length);
        if (picked.includes('项目编码')) expect(m.columns.code?.label).toBe('项目编码');
        if (picked.includes('计价单位')) expect(m.columns.unit?.label).toBe('计价单位');
      }),
    );
  });
});
