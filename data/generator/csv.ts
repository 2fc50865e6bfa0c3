// Minimal CSV text handling (RFC 4180 quoting) and the encodings the demo files use.
import iconv from 'iconv-lite';

export type CsvEncoding = 'utf8' | 'utf8-bom' | 'gbk';

export type Cell = string | number | null | undefined;

function quote(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  const s = typeof cell === 'number' ? String(cell) : cell;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: readonly Cell[], eol = '\n'): string {
  return cells.map(quote).join(',') + eol;
}

export function csvText(rows: readonly (readonly Cell[])[], eol = '\n'): string {
  let out = '';
  for (const row of rows) out += csvLine(row, eol);
  return out;
}

/** Encodes CSV text for a file. GBK files use CRLF line ends by convention of the caller; nothing is changed here. */
export function encodeText(text: string, encoding: CsvEncoding): Buffer {
  switch (encoding) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'utf8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'gbk': {
      const buf = iconv.encode(text, 'gbk');
      const back = iconv.decode(buf, 'gbk');
      if (back !== text) {
        let i = 0;
        while (i < text.length && text[i] === back[i]) i++;
        throw new Error(`text cannot be written in GBK near "${text.slice(Math.max(0, i - 10), i + 10)}"`);
      }
      return buf;
    }
  }
}

/** Decodes a file's bytes: UTF-8 (with or without BOM) if valid, else GBK. */
export function decodeBytes(buf: Buffer): { text: string; encoding: CsvEncoding } {
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    return { text: buf.subarray(3).toString('utf8'), encoding: 'utf8-bom' };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return { text, encoding: 'utf8' };
  } catch {
    return { text: iconv.decode(buf, 'gbk'), encoding: 'gbk' };
  }
}

/** Parses CSV text into rows of strings (quoted fields, CRLF or LF). A trailing empty line is dropped. */
export function parseCsv(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else field += c;
    } else if (c === '"') inQuotes = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Parses a tab-separated file with a header line into records. */
export function parseTsvRecords(text: string): Array<Record<string, string>> {
  const lines = text.replace(/\r/g, '').split('\n').filter((l) => l.length > 0);
  const header = (lines.shift() ?? '').split('\t');
  return lines.map((line) => {
    const cells = line.split('\t');
    const rec: Record<string, string> = {};
    header.forEach((h, i) => (rec[h] = (cells[i] ?? '').trim()));
    return rec;
  });
}
