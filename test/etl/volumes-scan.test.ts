import { describe, expect, it } from 'vitest';
import { formatIssue, IssueCollector } from '../../etl/src/issues';
import type { HeaderColumn } from '../../etl/src/read';
import { copyErrorPlace } from '../../etl/src/volumes/copy-in';
import { Reference } from '../../etl/src/volumes/reference';
import { RowChecker, VolumeAggregate, VolumeKey } from '../../etl/src/volumes/rows';
import { Fallback, FastScanner, ScanLayout } from '../../etl/src/volumes/scan';

// The fast path's scanner on its own: what it sends to COPY, what it reports, for any split of the bytes into chunks.

function reference(): Reference {
  const ref = new Reference();
  for (const r of ['130200', '320500']) {
    ref.regions.addString(0, r);
    ref.regionCodes.push(r);
  }
  const sz = ref.regionIndex('320500');
  ref.instRegion = new Int32Array(2);
  ref.instLevel = Uint8Array.from([3, 1]);
  ref.instPublic = Uint8Array.from([1, 1]);
  ['H001', 'H002'].forEach((c, i) => {
    ref.institutions.addString(sz, c);
    ref.instCode.push(c);
    ref.instRegion[i] = sz;
  });
  for (const c of ['110200001', '220301001']) {
    ref.regionItems.findOrAdd(sz, ref.items.addString(0, c));
    ref.itemCode.push(c);
  }
  ref.national = new Uint8Array(2);
  return ref;
}

const ORDER: VolumeKey[] = ['institution', 'item', 'year', 'month', 'quantity'];
const LABELS: Record<VolumeKey, string> = { region: '行政区划代码', institution: '机构编码', item: '项目编码', year: '年份', month: '月份', quantity: '服务量' };

function scan(text: string, chunk: number, eol: '\n' | '\r\n' = '\n') {
  const cols: Partial<Record<VolumeKey, HeaderColumn>> = {};
  ORDER.forEach((k, index) => (cols[k] = { index, path: [LABELS[k]], label: LABELS[k], letter: String(index + 1) }));
  const issues = new IssueCollector('v.csv');
  const agg = new VolumeAggregate(16);
  const layout: ScanLayout = { order: ORDER, encoding: 'utf-8', firstRow: 2, eol };
  const scanner = new FastScanner(new RowChecker(reference(), agg, issues, cols, '320500'), layout);
  const bytes = Buffer.from(text, 'utf8');
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) out.push(...scanner.push(bytes.subarray(i, i + chunk)));
  out.push(...scanner.end());
  return { sent: Buffer.concat(out).toString('utf8'), issues: issues.items.map(formatIssue), scanner, agg };
}

const DATA = [
  'H001,110200001,2022,0,10', // row 2: sent as it is
  'H001,220301001,2022,1,3', // row 3
  '', // row 4: blank, skipped
  'H009,110200001,2022,0,1', // row 5: unknown institution
  ' H002 ,110200001,2022.0,,7', // row 6: normalised
  'H002,220301001,2022,13,1', // row 7: month 13
  'H001,220301001,2022,1,4', // row 8: duplicate of row 3
  ',,,,', // row 9: only separators, skipped
  'H002,220301001,2023,2,5', // row 10, no line break at the end
].join('\n');

describe('volumes fast-path scanner', () => {
  it('sends valid lines untouched, normalises what it can, cuts and reports the rest', () => {
    const r = scan(DATA, 1 << 16);
    expect(r.sent).toBe(['H001,110200001,2022,0,10', 'H001,220301001,2022,1,3', 'H002,110200001,2022,0,7', 'H002,220301001,2023,2,5'].join('\n'));
    expect(r.issues).toEqual([
      'v.csv:5:1: 机构编码 H009 不存在：地区 320500 未导入该医疗机构（先导入医疗机构文件） (unknown institution H009 in region 320500 (load the institutions file first))',
      'v.csv:7:4: “月份”超出范围 0–12：13 (月份 out of range 0-12)',
      'v.csv:8:4: 重复的行：机构 H001 项目 220301001 2022年1月与第 3 行相同 (duplicate row: same institution, item and period as row 3)',
    ]);
    expect(r.scanner.rowsRead).toBe(7);
    expect(r.scanner.rowsSent).toBe(4);
    expect(r.agg.size).toBe(4);
  });

  it('gives the same result for every split into chunks', () => {
    const whole = scan(DATA, 1 << 16);
    for (let chunk = 1; chunk <= 40; chunk++) {
      const r = scan(DATA, chunk);
      expect(r.sent, `chunks of ${chunk}`).toBe(whole.sent);
      expect(r.issues, `chunks of ${chunk}`).toEqual(whole.issues);
    }
  });

  it("maps COPY's line numbers back to file rows across the cut lines", () => {
    const r = scan(DATA, 7);
    // COPY's lines 1..4 are file rows 2, 3, 6 and 10
    expect([1, 2, 3, 4].map((n) => r.scanner.fileRow(n))).toEqual([2, 3, 6, 10]);
    expect(copyErrorPlace({ where: 'COPY volume_b12, line 3, column quantity: "x"' })).toEqual({ line: 3, column: 'quantity' });
    expect(copyErrorPlace({ where: 'COPY volume_b12, line 7' })).toEqual({ line: 7, column: null });
    expect(copyErrorPlace({})).toBeNull();
  });

  it('keeps one kind of line ending for COPY', () => {
    const r = scan('H001,110200001,2022,0,10\r\nH002,110200001,2022,0,11\nH002,220301001,2022,0,12\r\n', 5, '\r\n');
    expect(r.sent).toBe('H001,110200001,2022,0,10\r\nH002,110200001,2022,0,11\r\nH002,220301001,2022,0,12\r\n');
    expect(r.issues).toEqual([]);
  });

  it('stops on a quote or a bare carriage return, naming the row', () => {
    expect(() => scan('H001,110200001,2022,0,10\n"H002",110200001,2022,0,1\n', 8)).toThrow(Fallback);
    let err: unknown = null;
    try {
      scan('H001,110200001,2022,0,10\nH002,110200001,2022,0,1\rH001,220301001,2022,0,1\n', 1 << 10);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Fallback);
    expect((err as Fallback).row).toBe(3);
  });

  it('reports a whole-year total next to monthly figures of the same key', () => {
    const r = scan('H001,110200001,2022,3,10\nH001,110200001,2022,0,120\n', 1 << 10);
    expect(r.issues).toEqual([expect.stringContaining('v.csv:3:4: 统计期间重叠：机构 H001 项目 110200001 2022年全年与第 2 行的月度数据重叠')]);
  });
});
