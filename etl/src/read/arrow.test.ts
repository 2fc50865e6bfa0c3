import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DateDay,
  Dictionary,
  Float64,
  Int32,
  Int64,
  Table,
  tableToIPC,
  Utf8,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { matchColumns } from './header';
import { openTable } from './open';
import { ReadError, type SourceRow, type SourceTable } from './types';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'read-arrow-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function collect(table: SourceTable): Promise<SourceRow[]> {
  const out: SourceRow[] = [];
  for await (const row of table.rows()) out.push(row);
  return out;
}

function volumes(): Table {
  const columns: Record<string, Vector> = {
    行政区划代码: vectorFromArray(['320500', '320500', null, '130200'], new Dictionary(new Utf8(), new Int32())),
    机构编码: vectorFromArray(['H001', 'H002', null, 'H003'], new Utf8()),
    项目编码: vectorFromArray([110200001n, 220301001n, null, 9007199254740993n], new Int64()),
    年份: vectorFromArray([2024, 2024, null, 2023], new Int32()),
    月份: vectorFromArray([1, 0, null, 12], new Int32()),
    服务量: vectorFromArray([1200, 35.5, null, 0.1 + 0.2], new Float64()),
    统计日期: vectorFromArray([new Date(Date.UTC(2024, 0, 31)), null, null, new Date(Date.UTC(2023, 11, 31))], new DateDay()),
  };
  return new Table(columns);
}

const EXPECTED: SourceRow[] = [
  { rowNo: 2, cells: ['320500', 'H001', '110200001', '2024', '1', '1200', '2024-01-31'] },
  { rowNo: 3, cells: ['320500', 'H002', '220301001', '2024', '0', '35.5', null] },
  // row 4 is entirely null and skipped
  { rowNo: 5, cells: ['130200', 'H003', '9007199254740993', '2023', '12', '0.3', '2023-12-31'] },
];

describe('openTable arrow', () => {
  it('reads the IPC file format', async () => {
    const file = path.join(dir, 'volumes.arrow');
    fs.writeFileSync(file, tableToIPC(volumes(), 'file'));
    const table = await openTable(file, { headerHints: ['机构编码', '项目编码'] });
    expect(table.format).toBe('arrow');
    expect(table.headerRowNumbers).toEqual([1]);
    expect(table.titleRows).toEqual([]);
    expect(table.columns.map((c) => c.label)).toEqual(['行政区划代码', '机构编码', '项目编码', '年份', '月份', '服务量', '统计日期']);
    expect(table.columns[2]).toEqual({ index: 2, path: ['项目编码'], label: '项目编码', letter: '3' });
    expect(await collect(table)).toEqual(EXPECTED);
    const m = matchColumns(table, [
      { key: 'region', names: ['行政区划代码', '地区代码'] },
      { key: 'institution', names: ['机构编码'], required: true },
      { key: 'item', names: ['项目编码'], required: true },
      { key: 'year', names: ['年份', '年度'], required: true },
      { key: 'volume', names: ['服务量', '数量', '服务人次'], required: true },
    ]);
    expect(m.missing).toEqual([]);
    expect(m.columns.volume?.index).toBe(5);
  });

  it('reads the IPC stream format, batch by batch', async () => {
    const file = path.join(dir, 'volumes.arrows');
    const t = volumes();
    fs.writeFileSync(file, tableToIPC(t.concat(t), 'stream'));
    const table = await openTable(file, { headerHints: [] });
    const rows = await collect(table);
    expect(rows).toHaveLength(6);
    expect(rows.slice(0, 3)).toEqual(EXPECTED);
    expect(rows[3]).toEqual({ ...EXPECTED[0], rowNo: 6 });
    expect(rows[5]!.rowNo).toBe(9);
  });

  it('recognises Arrow content whatever the extension', async () => {
    const file = path.join(dir, 'volumes.bin');
    fs.writeFileSync(file, tableToIPC(volumes(), 'file'));
    expect((await openTable(file, { headerHints: [] })).format).toBe('arrow');
  });

  it('header-only file yields no rows', async () => {
    const file = path.join(dir, 'empty.arrow');
    const t = new Table({ 机构编码: vectorFromArray([] as string[], new Utf8()) });
    fs.writeFileSync(file, tableToIPC(t, 'file'));
    const table = await openTable(file, { headerHints: [] });
    expect(table.columns.map((c) => c.label)).toEqual(['机构编码']);
    expect(await collect(table)).toEqual([]);
  });

  it('reports a truncated or corrupt file', async () => {
    const bytes = tableToIPC(volumes(), 'file');
    const file = path.join(dir, 'truncated.arrow');
    fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const err = await openTable(file, { headerHints: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReadError);
    expect((err as ReadError).message).toMatch(/Arrow IPC 文件已损坏或不完整/);

    const junk = path.join(dir, 'junk.arrow');
    fs.writeFileSync(junk, 'not arrow at all, just text');
    await expect(openTable(junk, { headerHints: [] })).rejects.toThrow(/Arrow IPC 文件已损坏或不完整/);
  });

  it('reports a stream cut inside a batch at the row it reached', async () => {
    const ints = Array.from({ length: 1000 }, (_, i) => i);
    const t = new Table({ 年份: vectorFromArray(ints, new Int32()), 服务量: vectorFromArray(ints, new Int32()) });
    const bytes = tableToIPC(t.concat(t, t), 'stream');
    const file = path.join(dir, 'cut.arrows');
    fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const table = await openTable(file, { headerHints: [] });
    let count = 0;
    const err = await (async () => {
      for await (const row of table.rows()) {
        expect(row.rowNo).toBe(count + 2);
        count++;
      }
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReadError);
    expect(count).toBe(1000);
    expect((err as ReadError).row).toBe(1002);
  });

  it('reports an empty file', async () => {
    const file = path.join(dir, 'zero.arrow');
    fs.writeFileSync(file, '');
    await expect(openTable(file, { headerHints: [] })).rejects.toThrow(/文件为空/);
  });
});
