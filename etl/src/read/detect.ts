import { ReadError } from './types';
import { isUtf8Sample, mostlyUtf8Lines } from './utf8';

export type TextEncoding = 'utf-8' | 'gb18030';

const UNSUPPORTED_ZH = '文件编码无法识别：只支持 UTF-8（可带 BOM）和 GBK/GB18030 编码的文本文件，请另存为 UTF-8 CSV';
const UNSUPPORTED_EN = 'unsupported encoding: only UTF-8 (with or without BOM) and GBK/GB18030 text is accepted; save the file as UTF-8 CSV';

/**
 * Decides how a text file is encoded from a sample of its first bytes.
 * A UTF-8 BOM means UTF-8; otherwise a sample that is valid UTF-8 (a multi-byte sequence cut at the end of the
 * sample is tolerated) is UTF-8, and so is one whose lines are mostly UTF-8 with a few lines that are not (a UTF-8
 * file with rows in GBK: the reader rejects those rows); anything else is taken as GB18030 (a superset of GBK and
 * GB2312).
 * UTF-16/UTF-32 (BOM, or many NUL bytes) and binary data are refused.
 */
export function detectEncoding(buf: Uint8Array, file = ''): { encoding: TextEncoding; bom: boolean } {
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    return { encoding: 'utf-8', bom: true };
  }
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
    throw new ReadError(file, null, null, `${UNSUPPORTED_ZH}（检测到 UTF-16 BOM）`, `${UNSUPPORTED_EN} (UTF-16 byte order mark found)`);
  }
  if (isBinary(buf)) {
    throw new ReadError(file, null, null, `${UNSUPPORTED_ZH}（文件含有大量 NUL 字节，可能是 UTF-16 或二进制文件）`, `${UNSUPPORTED_EN} (the file contains NUL bytes: UTF-16 or binary data)`);
  }
  if (isUtf8Sample(buf)) return { encoding: 'utf-8', bom: false };
  // mostly UTF-8 lines: a UTF-8 file with some rows in GBK, which the reader then rejects row by row
  return { encoding: mostlyUtf8Lines(buf) ? 'utf-8' : 'gb18030', bom: false };
}

/** NUL bytes never occur in UTF-8 or GB18030 text; a few stray ones are tolerated, not 1 in 100. */
function isBinary(buf: Uint8Array): boolean {
  let nul = 0;
  for (let i = 0; i < buf.length; i++) if (buf[i] === 0) nul++;
  return nul > 0 && nul * 100 >= buf.length;
}

/** Whether the bytes hold nothing but whitespace (and possibly a UTF-8 BOM). */
export function isBlankBytes(buf: Uint8Array): boolean {
  let i = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  for (; i < buf.length; i++) {
    const b = buf[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0b && b !== 0x0c) return false;
  }
  return true;
}
