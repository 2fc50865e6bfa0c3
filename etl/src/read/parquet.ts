import fs from 'node:fs';
import { parquetMetadataAsync, parquetRead, parquetSchema, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { arrowText } from './arrow';
import { ReadError, type HeaderColumn, type SourceRow, type SourceTable } from './types';

/** A Parquet reader's view of a file: byte ranges read through one file handle, closed by the caller. */
async function openFileBuffer(file: string): Promise<{ buffer: AsyncBuffer; close(): Promise<void> }> {
  const handle = await fs.promises.open(file, 'r');
  const { size } = await handle.stat();
  const buffer: AsyncBuffer = {
    byteLength: size,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const stop = Math.min(end ?? size, size);
      const out = new Uint8Array(Math.max(0, stop - start));
      let done = 0;
      while (done < out.length) {
        const { bytesRead } = await handle.read(out, done, out.length - done, start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return out.buffer;
    },
  };
  return { buffer, close: () => handle.close().catch(() => undefined) };
}

export function corruptParquet(file: string, row: number | null = null): ReadError {
  return new ReadError(file, row, null, '文件无法解析：Parquet 文件已损坏或不完整', 'cannot parse: the Parquet file is corrupt or truncated');
}

/**
 * Opens a Parquet file (hyparquet; snappy, gzip, zstd, brotli and lz4 pages): its top-level columns are the header,
 * and rows are read one row group at a time, so memory follows the row-group size, not the file size. Values read
 * as in Arrow files: integers exactly (INT64 as bigint), dates as `YYYY-MM-DD`.
 */
export async function openParquet(file: string): Promise<SourceTable> {
  let metadata: FileMetaData;
  let names: string[];
  const opened = await openFileBuffer(file);
  try {
    metadata = await parquetMetadataAsync(opened.buffer);
    names = parquetSchema(metadata).children.map((c) => c.element.name);
  } catch {
    throw corruptParquet(file);
  } finally {
    await opened.close();
  }
  if (names.length === 0) throw corruptParquet(file);
  const columns: HeaderColumn[] = names.map((name, index) => ({ index, path: [name], label: name, letter: String(index + 1) }));
  const width = names.length;

  async function* rows(): AsyncGenerator<SourceRow> {
    const { buffer, close } = await openFileBuffer(file);
    let rowNo = 1;
    let start = 0;
    try {
      for (const group of metadata.row_groups) {
        const end = start + Number(group.num_rows);
        let data: unknown[][] = [];
        try {
          await parquetRead({ file: buffer, metadata, rowStart: start, rowEnd: end, compressors, onComplete: (r) => (data = r) });
        } catch {
          throw corruptParquet(file, rowNo + 1);
        }
        start = end;
        for (const values of data) {
          rowNo++;
          const cells: (string | null)[] = new Array<string | null>(width);
          let any = false;
          for (let j = 0; j < width; j++) {
            const text = arrowText(values[j], false);
            cells[j] = text;
            if (text !== null) any = true;
          }
          if (any) yield { rowNo, cells };
        }
      }
    } finally {
      await close();
    }
  }

  return { file, format: 'parquet', titleRows: [], headerRowNumbers: [1], columns, rows };
}
