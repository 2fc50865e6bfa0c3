// Unit tests of the generator's small parts, and a tiny run of the benchmark scale.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from './random';
import { formatYuan, nicePrice, parseYuan } from './money';
import { decodeBytes, encodeText, parseCsv, csvText } from './csv';
import { normalizeZipTimestamps, xlsxBytes } from './writers';
import { splitMonths } from './volumes';
import { parseCli } from './cli';
import { writeBulk } from './bulk';
import { readCatalogueReference } from './reference';
import { readCsvTable, col } from './readback';

describe('random', () => {
  it('gives the same numbers for the same seed and label, different ones otherwise', () => {
    const a = new Rng(7).fork('x');
    const b = new Rng(7).fork('x');
    const c = new Rng(7).fork('y');
    const sa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(sa);
    expect(sa.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe('money', () => {
  it('formats and parses 元 with at most two decimals', () => {
    expect(formatYuan(7000)).toBe('70');
    expect(formatYuan(1250)).toBe('12.5');
    expect(formatYuan(1235)).toBe('12.35');
    expect(formatYuan(5)).toBe('0.05');
    expect(formatYuan(-1205)).toBe('-12.05');
    for (const fen of [0, 1, 10, 99, 100, 12345, 1000000]) expect(parseYuan(formatYuan(fen))).toBe(fen);
    expect(() => parseYuan('1.234')).toThrow();
  });

  it('rounds to table granularity', () => {
    expect(nicePrice(12_345)).toBe(12_300);
    expect(nicePrice(1_234)).toBe(1_250);
    expect(nicePrice(123)).toBe(120);
    expect(nicePrice(3)).toBe(10);
  });
});

describe('csv', () => {
  it('quotes, parses and round-trips GBK', () => {
    const rows = [['项目编码', '项目名称'], ['120100003', 'Ⅰ级护理，"日"'], ['250304003', '血清γ-谷氨酰基转移酶测定（GGT）']];
    const text = csvText(rows, '\r\n');
    expect(parseCsv(text)).toEqual(rows);
    const gbk = encodeText(text, 'gbk');
    expect(decodeBytes(gbk)).toEqual({ text, encoding: 'gbk' });
    expect(decodeBytes(encodeText(text, 'utf8-bom'))).toEqual({ text, encoding: 'utf8-bom' });
    expect(() => encodeText('😀', 'gbk')).toThrow();
  });
});

describe('xlsx', () => {
  it('gives identical bytes for identical content at different times', async () => {
    const spec = { sheetName: 's', titleRows: ['标题', '（演示数据）'], columns: [{ header: '项目编码', text: true }, { header: '三级', group: '价格（元）' }, { header: '二级', group: '价格（元）' }], rows: [['110200001', 20, 18]] };
    const a = await xlsxBytes(spec);
    await new Promise((r) => setTimeout(r, 2100));
    const b = await xlsxBytes(spec);
    expect(a.equals(b)).toBe(true);
    expect(normalizeZipTimestamps(Buffer.from(a)).equals(a)).toBe(true);
  }, 20_000);
});

describe('volumes', () => {
  it('splits a year over 12 months exactly', () => {
    const r = new Rng(1);
    for (const total of [0, 1, 11, 12, 13, 1000, 987_654]) {
      const m = splitMonths(total, r);
      expect(m).toHaveLength(12);
      expect(m.reduce((s, x) => s + x, 0)).toBe(total);
      expect(m.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
    }
  });
});

describe('reference', () => {
  it('reads the chapter-A catalogue and its crosswalk', () => {
    const ref = readCatalogueReference();
    expect(ref.specItems).toHaveLength(167);
    const rescue = ref.specItems.find((s) => s.code === 'ABMA0001');
    expect(rescue?.codes2001).toEqual(['120200001', '120200002', '120200003']);
    expect(ref.specItems.find((s) => s.code === 'ACAD0001')?.hrValue).toBe('92.7');
    expect(ref.legacyItems.find((l) => l.code === '120100002')?.name).toBe('特级护理');
    expect(ref.legacyItems.find((l) => l.code === '110500001')?.code2023).toBeUndefined();
  });
});

describe('cli', () => {
  it('parses flags and rejects bad ones with a bilingual message', () => {
    expect(parseCli(['--scale', 'demo', '--out', 'x', '--seed', '5'])).toMatchObject({ scale: 'demo', seed: 5 });
    expect(parseCli(['--help'])).toBe('help');
    expect(() => parseCli(['--scale', 'city'])).toThrow(/取值无效.*invalid --scale/);
    expect(() => parseCli(['--out', 'x'])).toThrow(/缺少 --scale/);
    expect(() => parseCli(['--scale', 'demo', '--seed', '-1'])).toThrow(/--seed/);
    expect(() => parseCli(['--scale', 'demo', '--bogus'])).toThrow(/参数错误/);
  });
});

describe('benchmark scale (tiny run)', () => {
  it('writes integer-looking volume rows that reference existing regions, institutions and items', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mspr-bulk-'));
    try {
      const summary = await writeBulk({ scale: 'province', outDir: dir, seed: 3, institutionCounts: [1, 1, 1] });
      expect(summary.items).toBe(10_000);
      expect(summary.volumeRows).toBe(2 * (8000 + 5000 + 2000));
      const inst = readCsvTable(path.join(dir, 'institutions.csv'));
      const insts = new Map(inst.rows.map((r) => [r[col(inst, '机构编码')], r[col(inst, '行政区划代码')]]));
      const price = readCsvTable(path.join(dir, 'price-tables', 'price-table-330000.csv'));
      const items = new Set(price.rows.map((r) => r[col(price, '项目编码')]));
      expect(items.size).toBe(10_000);
      const lines = fs.readFileSync(path.join(dir, 'volumes.csv'), 'utf8').trimEnd().split('\n');
      expect(lines[0]).toBe('行政区划代码,机构编码,项目编码,年份,月份,服务量');
      expect(lines.length - 1).toBe(summary.volumeRows);
      for (const line of lines.slice(1)) {
        const [region, institution, item, year, month, qty] = line.split(',');
        expect(line).toMatch(/^\d{6},\d{10},\d{9},20\d\d,\d+,\d+$/);
        expect(insts.get(institution)).toBe(region);
        expect(items.has(item)).toBe(true);
        expect(year === '2022' || year === '2023').toBe(true);
        expect(month).toBe('0');
        expect(Number(qty)).toBeGreaterThan(0);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
