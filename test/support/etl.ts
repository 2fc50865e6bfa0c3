import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { Pool } from 'pg';
import { expect } from 'vitest';
import { formatIssue } from '../../etl/src/issues';
import type { LoadOptions } from '../../etl/src/loader';
import { loadFile, LoadSummary } from '../../etl/src/run';

/** Tables a load may write; "nothing changed" means every one of them is byte-for-byte the same. */
export const CORE_TABLES = [
  'load_batch', 'item', 'code_crosswalk', 'institution', 'region_item', 'price', 'cost', 'volume', 'volume_coverage',
  'volume_annual_level', 'indicator_value', 'guideline_batch', 'guideline_item', 'guideline_mapping', 'round', 'scenario',
  'scenario_change', 'scenario_version', 'region', 'reimbursement_rate', 'insurance_policy',
];

/** A fingerprint of every core table (row count and md5 of all rows), plus the list of volume partitions. */
export async function snapshot(pool: Pool): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of CORE_TABLES) {
    const r = await pool.query(`select count(*)::int as n, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from ${t} x`);
    out[t] = `${r.rows[0].n}:${r.rows[0].h}`;
  }
  const parts = await pool.query(`select string_agg(relname, ',' order by relname) as p from pg_class where relname like 'volume\\_b%'`);
  out.partitions = parts.rows[0].p ?? '';
  return out;
}

export function etlOptions(o: Partial<LoadOptions> = {}): LoadOptions {
  return { dryRun: false, skipInvalid: false, maxErrors: 50, origin: 'user', user: 'test', ...o };
}

/** A temporary folder for one test file's fixtures. */
export function fixtureDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'mspr-etl-'));
}

export function writeCsv(file: string, rows: (string | number | null)[][], opts: { encoding?: 'utf-8' | 'gbk' | 'gb18030'; bom?: boolean } = {}): string {
  const q = (v: string | number | null) => {
    if (v === null) return '';
    const s = String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const text = rows.map((r) => r.map(q).join(',')).join('\n') + '\n';
  const enc = opts.encoding ?? 'utf-8';
  const body = enc === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, enc);
  fs.writeFileSync(file, opts.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body);
  return file;
}

/** Writes a one-sheet xlsx; merges are ranges like 'A1:C1'. */
export async function writeXlsx(file: string, rows: (string | number | null)[][], merges: string[] = []): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  rows.forEach((r) => ws.addRow(r));
  merges.forEach((m) => ws.mergeCells(m));
  await wb.xlsx.writeFile(file);
  return file;
}

/**
 * Loads a file that must be rejected: asserts the load reports a message matching `message` (at `place`, e.g.
 * 'file.csv:3:C' — compared as a suffix of the formatted place), that it wrote nothing, and returns the summary.
 */
export async function expectRejected(pool: Pool, file: string, options: Partial<LoadOptions>, message: RegExp, place?: string): Promise<LoadSummary> {
  const before = await snapshot(pool);
  const s = await loadFile(pool, file, etlOptions(options));
  expect(['invalid', 'failed']).toContain(s.status);
  const texts = s.errors.map(formatIssue);
  const hit = texts.find((t) => message.test(t));
  expect(hit, `no error matching ${message} among:\n${texts.join('\n')}`).toBeDefined();
  if (place) expect(texts.some((t) => message.test(t) && t.split(': ')[0].endsWith(place)), `${message} not at ${place}:\n${texts.join('\n')}`).toBe(true);
  expect(await snapshot(pool)).toEqual(before);
  return s;
}
