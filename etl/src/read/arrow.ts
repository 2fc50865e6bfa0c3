import fs from 'node:fs';
import { DataType, RecordBatchReader, type Field, type Vector } from 'apache-arrow';
import { ReadError, type HeaderColumn, type SourceRow, type SourceTable } from './types';
import { cleanText, formatDate, formatNumber } from './values';

export function corruptArrow(file: string): ReadError {
  return new ReadError(
    file,
    null,
    null,
    '文件无法解析：Arrow IPC 文件已损坏或不完整',
    'cannot parse: the Arrow IPC file is corrupt or truncated',
  );
}

type Reader = Awaited<ReturnType<typeof openReader>>['reader'];

/**
 * Opens an Arrow IPC file (random access format, read batch by batch through the file handle, not loaded whole)
 * or stream. The caller closes the handle.
 */
async function openReader(file: string) {
  const handle = await fs.promises.open(file, 'r');
  try {
    const reader = await RecordBatchReader.from(handle);
    await reader.open();
    if (!reader.schema) throw new Error('no schema');
    return { handle, reader };
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw err;
  }
}

function isTemporal(type: DataType): boolean {
  const t = DataType.isDictionary(type) ? (type.dictionary as DataType) : type;
  return DataType.isDate(t) || DataType.isTimestamp(t);
}

/** The text of an Arrow value: integers exactly (int64 as bigint), dates as `YYYY-MM-DD`, dictionary values decoded. */
export function arrowText(value: unknown, temporal: boolean): string | null {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
      return cleanText(value);
    case 'bigint':
      return value.toString();
    case 'number':
      return temporal ? formatDate(new Date(value)) : formatNumber(value);
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    default:
      break;
  }
  if (value instanceof Date) return formatDate(value);
  return cleanText(String(value));
}

export async function openArrow(file: string): Promise<SourceTable> {
  let fields: Field[];
  try {
    const { handle, reader } = await openReader(file);
    fields = reader.schema.fields;
    await handle.close().catch(() => undefined);
  } catch (err) {
    throw err instanceof ReadError ? err : corruptArrow(file);
  }
  if (fields.length === 0) throw corruptArrow(file);
  const columns: HeaderColumn[] = fields.map((f, index) => ({
    index,
    path: [f.name],
    label: f.name,
    letter: String(index + 1),
  }));
  const temporal = fields.map((f) => isTemporal(f.type as DataType));
  const width = fields.length;

  async function* rows(): AsyncGenerator<SourceRow> {
    let opened: { handle: fs.promises.FileHandle; reader: Reader };
    try {
      opened = await openReader(file);
    } catch {
      throw corruptArrow(file);
    }
    const { handle, reader } = opened;
    let rowNo = 1;
    try {
      const iterator = reader[Symbol.asyncIterator]();
      for (;;) {
        let next: IteratorResult<unknown>;
        try {
          next = await iterator.next();
        } catch {
          throw new ReadError(
            file,
            rowNo + 1,
            null,
            '文件无法解析：Arrow IPC 文件已损坏或不完整',
            'cannot parse: the Arrow IPC file is corrupt or truncated',
          );
        }
        if (next.done) break;
        const batch = next.value as { numRows: number; getChildAt(i: number): Vector | null };
        const vectors = columns.map((_, j) => batch.getChildAt(j));
        for (let i = 0; i < batch.numRows; i++) {
          rowNo++;
          const cells: (string | null)[] = new Array<string | null>(width);
          let any = false;
          for (let j = 0; j < width; j++) {
            const text = arrowText(vectors[j]?.get(i), temporal[j]!);
            cells[j] = text;
            if (text !== null) any = true;
          }
          if (any) yield { rowNo, cells };
        }
      }
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  return { file, format: 'arrow', titleRows: [], headerRowNumbers: [1], columns, rows };
}
