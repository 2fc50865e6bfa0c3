import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * UTF-8 validity, for text files read as UTF-8 that may hold rows in another encoding (a GBK row pasted into a UTF-8
 * file). Valid text is checked at memory speed (node:buffer isUtf8) and passed on unchanged; only a chunk that is not
 * valid UTF-8 is walked byte by byte.
 */

/**
 * Stands in the text for each byte that is not part of a valid UTF-8 sequence: U+FFFF, a noncharacter, which text
 * never holds. Unlike U+FFFD (which a file may hold, and which a lenient decoder would also produce) it tells the
 * rows made of invalid bytes from the others.
 */
export const NOT_TEXT = '\uFFFF';
const NOT_TEXT_BYTES = Buffer.from(NOT_TEXT, 'utf8');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Length of the UTF-8 sequence starting with the byte ≥ 0x80 at buf[i]: 2–4, 0 when it is not a valid sequence
 * (a continuation byte, an overlong form, a surrogate, past U+10FFFF, a missing continuation byte), −1 when it is
 * valid so far but cut by the end of buf.
 */
function sequenceAt(buf: Uint8Array, i: number): number {
  const b = buf[i]!;
  let n: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) n = 2;
  else if (b >= 0xe0 && b <= 0xef) {
    n = 3;
    if (b === 0xe0) lo = 0xa0;
    else if (b === 0xed) hi = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    n = 4;
    if (b === 0xf0) lo = 0x90;
    else if (b === 0xf4) hi = 0x8f;
  } else return 0;
  for (let k = 1; k < n; k++) {
    if (i + k >= buf.length) return -1;
    const c = buf[i + k]!;
    if (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf) return 0;
  }
  return n;
}

/** Where a multi-byte sequence cut by the end of buf starts: the length of buf when none is. */
export function uncutLength(buf: Uint8Array): number {
  for (let i = Math.max(0, buf.length - 3); i < buf.length; i++) {
    if (buf[i]! >= 0xc2 && sequenceAt(buf, i) === -1) return i;
  }
  return buf.length;
}

/** Whether the bytes are UTF-8, but for a multi-byte sequence cut at their end (a sample of a file). */
export function isUtf8Sample(buf: Uint8Array): boolean {
  return isUtf8(buf.subarray(0, uncutLength(buf)));
}

/** The bytes with each byte that is not part of a valid UTF-8 sequence replaced by NOT_TEXT. */
export function markNotUtf8(buf: Uint8Array): Buffer {
  const parts: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < buf.length; ) {
    if (buf[i]! < 0x80) {
      i++;
      continue;
    }
    const n = sequenceAt(buf, i);
    if (n > 0) {
      i += n;
      continue;
    }
    parts.push(buf.subarray(start, i), NOT_TEXT_BYTES);
    start = ++i;
  }
  parts.push(buf.subarray(start));
  return Buffer.concat(parts);
}

/**
 * Whether the lines of a sample that is not UTF-8 as a whole are mostly UTF-8: lines of UTF-8 text with Chinese
 * (three-byte sequences) at least as many as the lines that are not UTF-8 — a UTF-8 file with a few GBK rows. In GBK
 * text a line is hardly ever valid UTF-8 with a three-byte sequence (none among the 11,000 lines of Chinese text of
 * this project's data and sources encoded as GBK), so a GBK file stays GBK.
 */
export function mostlyUtf8Lines(buf: Uint8Array): boolean {
  const end = uncutLength(buf);
  let utf8 = 0;
  let other = 0;
  for (let s = 0; s < end; ) {
    let e = buf.indexOf(0x0a, s);
    if (e < 0 || e > end) e = end;
    let high = false;
    let cjk = false;
    for (let i = s; i < e; i++) {
      const b = buf[i]!;
      if (b >= 0x80) {
        high = true;
        if (b >= 0xe0 && b <= 0xef) cjk = true;
      }
    }
    if (high) {
      if (!isUtf8(buf.subarray(s, e))) other++;
      else if (cjk) utf8++;
    }
    s = e + 1;
  }
  return utf8 > 0 && utf8 >= other;
}

/** Two characters in U+0080–U+07FF in a row: what a GBK character pair becomes when its bytes pass as UTF-8. */
const TWO_BYTE_RUN = /[\u0080-\u07ff]{2}/;
/** A character of U+0800 and above (CJK, fullwidth forms…): three or four bytes in UTF-8, which GBK hardly ever forms. */
const WIDE = /[\u0800-\uffff]/;

/**
 * Whether a cell read as UTF-8 is probably GBK whose bytes happen to be valid UTF-8. A GBK character with a lead
 * byte C2–DF and a trail byte 80–BF is a valid two-byte UTF-8 sequence (U+0080–U+07FF: Latin-1, Greek, Cyrillic,
 * Hebrew, Arabic…), so a short GBK text can pass the UTF-8 check: 洗胃 (CF B4 CE B8) reads as "ϴθ". Such a cell has
 * two or more of these characters in a row and no character of U+0800 and above (a GBK row forms no valid three-byte
 * sequence), while the Chinese text of a UTF-8 file is made of three-byte characters and its Greek letters and
 * symbols (β2-微球蛋白, μmol/L, ±, °C) stand alone or next to Chinese text.
 */
export function looksLikeGbk(cell: string): boolean {
  return TWO_BYTE_RUN.test(cell) && !WIDE.test(cell);
}

/**
 * The bytes of a UTF-8 file, checked, without a leading byte order mark: a chunk that is valid UTF-8 passes as it
 * is; in any other, each byte that is not part of a valid sequence becomes NOT_TEXT and `invalid` turns true. A
 * sequence cut between two chunks is joined first.
 */
export class Utf8Check extends Transform {
  /** whether any byte so far was not UTF-8 */
  invalid = false;
  private tail: Buffer | null = null;
  private atStart = true;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let buf = this.tail ? Buffer.concat([this.tail, chunk]) : chunk;
    this.tail = null;
    if (this.atStart) {
      if (buf.length < BOM.length && BOM.subarray(0, buf.length).equals(buf)) {
        this.tail = Buffer.from(buf); // perhaps the start of a byte order mark
        callback();
        return;
      }
      this.atStart = false;
      if (buf.subarray(0, BOM.length).equals(BOM)) buf = buf.subarray(BOM.length);
    }
    const end = uncutLength(buf);
    if (end < buf.length) {
      this.tail = Buffer.from(buf.subarray(end));
      buf = buf.subarray(0, end);
    }
    if (buf.length > 0) this.push(this.checked(buf));
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.tail) this.push(this.checked(this.tail)); // a sequence cut by the end of the file
    this.tail = null;
    callback();
  }

  private checked(buf: Buffer): Buffer {
    if (isUtf8(buf)) return buf;
    this.invalid = true;
    return markNotUtf8(buf);
  }
}
