import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { openTable } from './open';
import { ReadError, type SourceRow, type SourceTable } from './types';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'read-parquet-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function collect(table: SourceTable): Promise<SourceRow[]> {
  const out: SourceRow[] = [];
  for await (const row of table.rows()) out.push(row);
  return out;
}

const HINTS = { headerHints: ['行政区划代码', '机构编码', '项目编码', '年份', '月份', '服务量'] };

function write(name: string, rowGroupSize?: number): string {
  const buf = parquetWriteBuffer({
    columnData: [
      { name: '行政区划代码', data: ['320500', '320500', null, '130200', '130200'], type: 'STRING' },
      { name: '机构编码', data: ['H001', 'H002', null, 'H003', 'H003'], type: 'STRING' },
      { name: '项目编码', data: [110200001n, 220301001n, null, 9007199254740993n, 120100001n], type: 'INT64' },
      { name: '年份', data: [2024, 2024, null, 2023, 2023], type: 'INT32' },
      { name: '月份', data: [1, 0, null, 12, 11], type: 'INT32' },
      { name: '服务量', data: [1200, 35.5, null, 0.1 + 0.2, 7], type: 'DOUBLE' },
    ],
    ...(rowGroupSize ? { rowGroupSize } : {}),
  });
  const f = path.join(dir, name);
  fs.writeFileSync(f, Buffer.from(buf));
  return f;
}

describe('Parquet files', () => {
  it('reads the columns as the header and the values as text: INT64 exactly, doubles to 15 significant digits as in spreadsheets, null rows skipped', async () => {
    const t = await openTable(write('v.parquet'), HINTS);
    expect(t.format).toBe('parquet');
    expect(t.columns.map((c) => c.label)).toEqual(['行政区划代码', '机构编码', '项目编码', '年份', '月份', '服务量']);
    const rows = await collect(t);
    expect(rows.map((r) => r.rowNo)).toEqual([2, 3, 5, 6]);
    expect(rows[0]!.cells).toEqual(['320500', 'H001', '110200001', '2024', '1', '1200']);
    expect(rows[1]!.cells).toEqual(['320500', 'H002', '220301001', '2024', '0', '35.5']);
    expect(rows[2]!.cells).toEqual(['130200', 'H003', '9007199254740993', '2023', '12', '0.3']);
  });

  it('reads a row group at a time, with row numbers running on across groups; a second pass reads the same', async () => {
    const t = await openTable(write('groups.parquet', 2), HINTS);
    const first = await collect(t);
    expect(first.map((r) => r.rowNo)).toEqual([2, 3, 5, 6]);
    expect(first.map((r) => r.cells[4])).toEqual(['1', '0', '12', '11']);
    expect(await collect(t)).toEqual(first);
  });

  it('is told by its magic bytes whatever the extension; a truncated file is a clear error', async () => {
    const f = write('v.dat');
    expect((await openTable(f, HINTS)).format).toBe('parquet');
    const bytes = fs.readFileSync(f);
    const cut = path.join(dir, 'cut.parquet');
    fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const err = await openTable(cut, HINTS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReadError);
    expect((err as ReadError).message).toBe(`${cut}: 文件无法解析：Parquet 文件已损坏或不完整 (cannot parse: the Parquet file is corrupt or truncated)`);
  });
});
