import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import type { TextEncoding } from '../read';
import { CheckedRow, MAX_YEAR, MIN_YEAR, RowChecker, VolumeKey } from './rows';

/** The fast path cannot go on (quoted cells, a bare carriage return …): the file goes through the general reader. */
export class Fallback extends Error {
  constructor(
    readonly reason: string,
    readonly row: number,
  ) {
    super(`${reason} (row ${row})`);
  }
}

const NL = 10;
const CR = 13;
const COMMA = 44;
const QUOTE = 34;
const D0 = 48;
const D9 = 57;
/** a line longer than this is not a volume row */
const MAX_LINE = 1 << 20;

function needsQuotes(s: string): boolean {
  return /[",\r\n]/.test(s);
}

function quote(s: string): string {
  return needsQuotes(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Value of the digits buf[s, e), or −1 when empty, not all digits or longer than `max` digits. */
function digits(buf: Uint8Array, s: number, e: number, max: number): number {
  const n = e - s;
  if (n === 0 || n > max) return -1;
  let v = 0;
  for (let i = s; i < e; i++) {
    const c = buf[i];
    if (c < D0 || c > D9) return -1;
    v = v * 10 + (c - D0);
  }
  return v;
}

export interface ScanLayout {
  /** the file's columns in order (every column is one of ours) */
  order: VolumeKey[];
  encoding: TextEncoding;
  /** file row number of the first data line */
  firstRow: number;
  /** line ending of the header line; generated lines use the same, as COPY wants one kind of line ending */
  eol: '\n' | '\r\n';
}

/**
 * The fast path's scanner: takes the file's data bytes chunk by chunk and returns what to send to COPY. Lines are
 * split at LF and fields at commas with no quoting (a quote character stops the fast path). A line whose fields
 * are plain digits and known codes, whose period is new, is sent as it is (a run of such lines is one slice of the
 * chunk, no copy); any other line is decoded and given to RowChecker.check, which reports its problems — it is
 * then left out — or returns it normalised (blank month → 0, blank region → --region, `2022.0`, spaces), and a
 * generated line is sent in its place. So COPY only ever sees rows that fit the table. In a UTF-8 file a line that is
 * not UTF-8 (a GBK row) is reported and left out, and the file is refused: only lines with a byte above 0x7f that
 * quick() did not accept are checked, so ASCII lines cost nothing more.
 */
export class FastScanner {
  /** data rows seen (blank lines not counted) */
  rowsRead = 0;
  /** lines given to COPY */
  rowsSent = 0;
  /** file rows left out of COPY (invalid or blank), ascending: maps COPY's line numbers back to file rows */
  cut = new Uint32Array(1024);
  cutCount = 0;
  /** whether to produce output at all (false: validation only) */
  sending = true;

  private row: number;
  private leftover: Buffer | null = null;
  private readonly width: number;
  private readonly pos: Record<VolumeKey, number>;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private pieces: Buffer[] = [];
  private runStart = 0;
  // last region and institution seen (files come grouped by institution)
  private lastRegionBytes = new Uint8Array(64);
  private lastRegionLen = -1;
  private lastRegion = -1;
  private lastInstBytes = new Uint8Array(256);
  private lastInstLen = -1;
  private lastInst = -1;
  private allowed: Uint8Array = new Uint8Array(0);
  private allowedRegion = -1;
  private readonly cells: (string | null)[];
  // the row quick() accepted
  private qInst = 0;
  private qItem = 0;
  private qYear = 0;
  private qMonth = 0;
  private qQuantity = 0;
  private batch = newBatch(1 << 15);
  private batchSize = 0;
  private readonly cellOf: (k: VolumeKey) => string | null;

  constructor(
    private readonly checker: RowChecker,
    private readonly layout: ScanLayout,
  ) {
    this.row = layout.firstRow - 1;
    this.width = layout.order.length;
    this.pos = { region: -1, institution: -1, item: -1, year: -1, month: -1, quantity: -1 };
    layout.order.forEach((k, i) => (this.pos[k] = i));
    this.starts = new Int32Array(this.width);
    this.ends = new Int32Array(this.width);
    this.cells = new Array<string | null>(this.width).fill(null);
    this.cellOf = (k) => (this.pos[k] >= 0 ? this.cells[this.pos[k]] : null);
  }

  /** The bytes to send for this chunk (empty when not sending). Throws Fallback. */
  push(chunk: Buffer): Buffer[] {
    this.pieces = [];
    let from = 0;
    if (this.leftover) {
      const nl = chunk.indexOf(NL);
      if (nl < 0) {
        this.leftover = Buffer.concat([this.leftover, chunk]);
        if (this.leftover.length > MAX_LINE) throw new Fallback('line too long', this.row + 1);
        return this.pieces;
      }
      const joined = Buffer.concat([this.leftover, chunk.subarray(0, nl + 1)]);
      this.leftover = null;
      this.lines(joined, 0, joined.length);
      from = nl + 1;
    }
    const last = chunk.lastIndexOf(NL);
    if (last < from) {
      this.leftover = Buffer.from(chunk.subarray(from));
      return this.pieces;
    }
    this.lines(chunk, from, last + 1);
    if (last + 1 < chunk.length) this.leftover = Buffer.from(chunk.subarray(last + 1));
    return this.pieces;
  }

  /** The last line when the file does not end with a line break. */
  end(): Buffer[] {
    this.pieces = [];
    if (this.leftover && this.leftover.length > 0) {
      const buf = this.leftover;
      this.leftover = null;
      this.lines(buf, 0, buf.length);
    }
    return this.pieces;
  }

  /** The file row of COPY's n-th line (1-based). */
  fileRow(n: number): number {
    let row = this.layout.firstRow + n - 1;
    for (let i = 0; i < this.cutCount; i++) {
      if (this.cut[i] <= row) row++;
      else break;
    }
    return row;
  }

  /**
   * Lines of buf[from, to); `to` is just past a LF, or the end of the last line. One pass over the bytes splits
   * lines and fields: a byte above ',' (digits, letters) costs one comparison.
   */
  private lines(buf: Buffer, from: number, to: number): void {
    this.runStart = from;
    const { starts, ends, width } = this;
    let s = from; // start of the line
    let f = from; // start of the field
    let fields = 0;
    let low = 0; // separators and white space in the line (all of it: a blank line)
    let plain = true; // ASCII only
    for (let i = from; i < to; i++) {
      const c = buf[i];
      if (c > COMMA) {
        if (c > 0x7f) plain = false;
        continue;
      }
      if (c === COMMA) {
        if (fields < width) {
          starts[fields] = f;
          ends[fields] = i;
        }
        fields++;
        f = i + 1;
        low++;
      } else if (c === NL) {
        this.line(buf, s, i, true, f, fields, low, plain);
        s = f = i + 1;
        fields = low = 0;
        plain = true;
      } else if (c === QUOTE) {
        throw new Fallback('quoted cells', this.row + 1);
      } else if (c === CR) {
        if (i + 1 >= to || buf[i + 1] !== NL) throw new Fallback('a carriage return inside a line', this.row + 1);
        low++;
      } else if (c === 32 || c === 9) low++;
    }
    if (s < to) this.line(buf, s, to, false, f, fields, low, plain);
    this.flush(buf);
    if (this.sending && to > this.runStart) this.pieces.push(buf.subarray(this.runStart, Math.min(to, buf.length)));
  }

  /** One line buf[s, nl) (nl: its LF, or the end of a last line without one), its fields split up to `f`. */
  private line(buf: Buffer, s: number, nl: number, hasNewline: boolean, f: number, fields: number, low: number, plain: boolean): void {
    const row = ++this.row;
    const { starts, ends, width } = this;
    let e = nl;
    const crlf = e > s && buf[e - 1] === CR;
    if (crlf) e--;
    if (fields < width) {
      starts[fields] = f;
      ends[fields] = Math.max(f, e);
    }
    fields++;
    if (low === nl - s) {
      // a blank line, or only separators: skipped, as the general reader skips rows with no cell
      this.flush(buf);
      this.skip(buf, s, nl, hasNewline, row);
      return;
    }
    this.rowsRead++;
    const eolOk = hasNewline ? crlf === (this.layout.eol === '\r\n') : true;
    if (plain && fields === width && eolOk && this.quick(buf)) {
      this.queue(row, s, nl, hasNewline);
      return;
    }
    // anything else: the checker decides, on the decoded cells (after the rows before it, for the duplicates)
    this.flush(buf);
    if (!plain && this.layout.encoding === 'utf-8' && !isUtf8(buf.subarray(s, e))) {
      // a row in another encoding (GBK) in a UTF-8 file: the file cannot be loaded
      this.checker.notUtf8(row);
      this.skip(buf, s, nl, hasNewline, row);
      return;
    }
    for (let i = 0; i < width; i++) this.cells[i] = i < fields ? this.decode(buf, starts[i], ends[i]) : null;
    const r = this.checker.check(this.cellOf, row);
    if (!r) {
      this.skip(buf, s, nl, hasNewline, row);
      return;
    }
    this.replace(buf, s, nl, hasNewline, this.generated(r));
    this.rowsSent++;
  }

  /**
   * Rows that passed quick() wait here and go into the aggregate together at the end of the buffer: a run of
   * independent hash-table inserts lets the processor overlap their cache misses (about twice as fast as one insert
   * per parsed line on a table of tens of millions of keys). A repeated period found then is cut out of the run.
   */
  private queue(row: number, s: number, nl: number, hasNewline: boolean): void {
    const q = this.batch;
    const n = this.batchSize++;
    if (n === q.row.length) this.batch = growBatch(q);
    const b = this.batch;
    b.inst[n] = this.qInst;
    b.item[n] = this.qItem;
    b.year[n] = this.qYear;
    b.month[n] = this.qMonth;
    b.quantity[n] = this.qQuantity;
    b.row[n] = row;
    b.start[n] = s;
    b.end[n] = hasNewline ? nl : -1 - nl;
  }

  private flush(buf: Buffer): void {
    const n = this.batchSize;
    if (n === 0) return;
    this.batchSize = 0;
    const b = this.batch;
    const checker = this.checker;
    for (let i = 0; i < n; i++) {
      if (checker.acceptParts(b.inst[i], b.item[i], b.year[i], b.month[i], b.quantity[i], b.row[i])) continue;
      const e = b.end[i];
      this.recordCut(b.row[i]);
      this.replace(buf, b.start[i], e >= 0 ? e : -1 - e, e >= 0, null);
      this.rowsSent--;
    }
    this.rowsSent += n;
  }

  /** The common case, checked on the bytes: known codes, plain numbers in range, a new period. */
  private quick(buf: Buffer): boolean {
    const { starts, ends, pos, checker } = this;
    const ref = checker.ref;
    let region = checker.defaultRegion;
    if (pos.region >= 0) {
      const rs = starts[pos.region];
      const re = ends[pos.region];
      const len = re - rs;
      if (len === this.lastRegionLen && sameBytes(buf, rs, this.lastRegionBytes, len)) region = this.lastRegion;
      else {
        region = ref.regions.get(0, buf, rs, re);
        if (region < 0 || len > this.lastRegionBytes.length) return false;
        this.lastRegionBytes.set(buf.subarray(rs, re));
        this.lastRegionLen = len;
        this.lastRegion = region;
        this.lastInstLen = -1;
      }
    }
    if (region < 0) return false;
    const is = starts[pos.institution];
    const ie = ends[pos.institution];
    const ilen = ie - is;
    let inst: number;
    if (ilen === this.lastInstLen && sameBytes(buf, is, this.lastInstBytes, ilen)) inst = this.lastInst;
    else {
      inst = ref.institutions.get(region, buf, is, ie);
      if (inst < 0 || ilen > this.lastInstBytes.length) return false;
      this.lastInstBytes.set(buf.subarray(is, ie));
      this.lastInstLen = ilen;
      this.lastInst = inst;
    }
    if (region !== this.allowedRegion) {
      this.allowed = ref.allowedItems(region);
      this.allowedRegion = region;
    }
    const item = ref.items.get(0, buf, starts[pos.item], ends[pos.item]);
    if (item < 0 || this.allowed[item] !== 1) return false;
    const year = digits(buf, starts[pos.year], ends[pos.year], 4);
    if (year < MIN_YEAR || year > MAX_YEAR) return false;
    let month = 0;
    if (pos.month >= 0) {
      month = digits(buf, starts[pos.month], ends[pos.month], 2);
      if (month < 0 || month > 12) return false;
    }
    const quantity = digits(buf, starts[pos.quantity], ends[pos.quantity], 15);
    if (quantity < 0) return false;
    this.qInst = inst;
    this.qItem = item;
    this.qYear = year;
    this.qMonth = month;
    this.qQuantity = quantity;
    return true;
  }

  private decode(buf: Buffer, s: number, e: number): string | null {
    const t = (this.layout.encoding === 'utf-8' ? buf.toString('utf8', s, e) : iconv.decode(buf.subarray(s, e), 'gb18030')).trim();
    return t === '' ? null : t;
  }

  private generated(r: CheckedRow): Buffer {
    const ref = this.checker.ref;
    const out = this.layout.order.map((k) => {
      switch (k) {
        case 'region': return quote(ref.regionCodes[r.region]);
        case 'institution': return quote(ref.instCode[r.inst]);
        case 'item': return quote(ref.itemCode[r.item]);
        case 'year': return String(r.year);
        case 'month': return String(r.month);
        default: return String(r.quantity);
      }
    });
    return Buffer.from(out.join(',') + this.layout.eol, 'utf8');
  }

  private recordCut(row: number): void {
    if (this.cutCount === this.cut.length) {
      const c = new Uint32Array(this.cut.length * 2);
      c.set(this.cut);
      this.cut = c;
    }
    this.cut[this.cutCount++] = row;
  }

  /** Leaves the line buf[s, nl] out of the output. */
  private skip(buf: Buffer, s: number, nl: number, hasNewline: boolean, row: number): void {
    this.recordCut(row);
    this.replace(buf, s, nl, hasNewline, null);
  }

  private replace(buf: Buffer, s: number, nl: number, hasNewline: boolean, replacement: Buffer | null): void {
    if (this.sending) {
      if (s > this.runStart) this.pieces.push(buf.subarray(this.runStart, s));
      if (replacement) this.pieces.push(replacement);
    }
    this.runStart = hasNewline ? nl + 1 : nl;
  }
}

interface Batch {
  inst: Int32Array;
  item: Int32Array;
  year: Int32Array;
  month: Int32Array;
  quantity: Float64Array;
  row: Uint32Array;
  /** where the line starts in the buffer */
  start: Int32Array;
  /** its line break, or −1 − the end of a last line without one */
  end: Int32Array;
}

function newBatch(n: number): Batch {
  return {
    inst: new Int32Array(n), item: new Int32Array(n), year: new Int32Array(n), month: new Int32Array(n), quantity: new Float64Array(n),
    row: new Uint32Array(n), start: new Int32Array(n), end: new Int32Array(n),
  };
}

function growBatch(b: Batch): Batch {
  const g = newBatch(b.row.length * 2);
  for (const k of Object.keys(b) as (keyof Batch)[]) g[k].set(b[k] as never);
  return g;
}

function sameBytes(buf: Uint8Array, s: number, ref: Uint8Array, len: number): boolean {
  for (let i = 0; i < len; i++) if (buf[s + i] !== ref[i]) return false;
  return true;
}
