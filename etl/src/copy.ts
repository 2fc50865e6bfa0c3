import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (s === '') return '""';
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Bulk-loads rows into a table with COPY (CSV). `columns` names the target columns; each row gives values in that
 * order (null → NULL, '' → empty string).
 */
export async function copyRows(db: PoolClient, table: string, columns: readonly string[], rows: Iterable<readonly unknown[]>): Promise<void> {
  const sql = `copy ${table} (${columns.join(', ')}) from stdin with (format csv)`;
  const stream = db.query(copyFrom(sql));
  async function* lines() {
    let buf = '';
    for (const r of rows) {
      buf += r.map(csvField).join(',') + '\n';
      if (buf.length > 1 << 16) {
        yield buf;
        buf = '';
      }
    }
    if (buf) yield buf;
  }
  await pipeline(Readable.from(lines()), stream);
}
