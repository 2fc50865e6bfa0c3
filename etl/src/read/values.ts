/** Conversions of typed cell values (xlsx, Arrow) to the strings the loaders parse. */

/** Trimmed text, or null when nothing is left. */
export function cleanText(s: string): string | null {
  const t = s.trim();
  return t === '' ? null : t;
}

/** Plain decimal notation of a numeric string: `1.5e-7` → `0.00000015`, `12.5000` → `12.5`, `1e+21` → `1000…0`. */
export function toPlainDecimal(s: string): string {
  const m = /^([-+]?)(\d*)(?:\.(\d*))?(?:e([-+]?\d+))?$/i.exec(s.trim());
  if (!m || (m[2] === '' && !m[3])) return s;
  const sign = m[1] === '-' ? '-' : '';
  const int = m[2] ?? '';
  const digits = int + (m[3] ?? '');
  const point = int.length + Number(m[4] ?? 0);
  let out: string;
  if (point <= 0) out = '0.' + '0'.repeat(-point) + digits;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = digits.slice(0, point) + '.' + digits.slice(point);
  if (out.includes('.')) out = out.replace(/0+$/, '').replace(/\.$/, '');
  out = out.replace(/^0+(?=\d)/, '');
  if (out === '') out = '0';
  return out === '0' ? '0' : sign + out;
}

/**
 * A number in plain decimal notation: integers up to 2^53 exactly (`110200001`, 16-digit codes included), other
 * values rounded to 15 significant digits as a spreadsheet shows them (`0.1 + 0.2` → `0.3`, `12.5` → `12.5`).
 */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isSafeInteger(v)) return Object.is(v, -0) ? '0' : String(v);
  return toPlainDecimal(v.toPrecision(15));
}

/** Strips quoted literals, escapes and bracketed sections (`[Red]`, `[$-804]`) from a number format code. */
function formatCodeCore(numFmt: string): string {
  return numFmt
    .split(';')[0]!
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[[^\]]*\]/g, '');
}

/**
 * The text of a numeric xlsx cell. Two parts of the number format change what a reader of the sheet sees and are
 * applied: zero padding (`000000000000000` keeps the leading zeros of 15-digit codes stored as numbers) and
 * percentages (`0.00%`). Rounding to a fixed number of decimals is not applied, so `12.345` stays `12.345` and a
 * validator can see it.
 */
export function formatCellNumber(v: number, numFmt: string | undefined): string {
  const core = numFmt ? formatCodeCore(numFmt).trim() : '';
  if (core && /^0+$/.test(core) && Number.isInteger(v) && v >= 0) {
    return formatNumber(v).padStart(core.length, '0');
  }
  if (core.endsWith('%') && /^[0#.,?]+%$/.test(core)) {
    return formatNumber(v * 100) + '%';
  }
  return formatNumber(v);
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `YYYY-MM-DD`, or `YYYY-MM-DD HH:MM:SS` when there is a time of day (UTC fields: spreadsheet dates have no zone). */
export function formatDate(d: Date): string | null {
  const ms = d.getTime();
  if (Number.isNaN(ms)) return null;
  const t = new Date(Math.round(ms / 1000) * 1000);
  const date = `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  if (t.getUTCHours() === 0 && t.getUTCMinutes() === 0 && t.getUTCSeconds() === 0) return date;
  return `${date} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
}

/** Column letters of a 0-based column index: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}
