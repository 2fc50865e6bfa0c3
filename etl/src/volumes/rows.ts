import type { IssueCollector } from '../issues';
import { CellParser } from '../parse';
import { notUtf8Problem, type ColumnSpec, type HeaderColumn } from '../read';
import { REGION_COLUMN } from '../loaders/common';
import { Reference } from './reference';
import { GroupedPairTable, growTyped, PairTable } from './tables';

export type VolumeKey = 'region' | 'institution' | 'item' | 'year' | 'month' | 'quantity';

/** The columns of a volumes file (etl/README.md, layout 5). */
export const VOLUME_COLUMNS: readonly ColumnSpec<VolumeKey>[] = [
  { ...REGION_COLUMN, key: 'region' },
  { key: 'institution', names: ['机构编码', '医疗机构编码', '定点医药机构编码', '医院编码'], required: true },
  { key: 'item', names: ['项目编码', '项目代码', '医疗服务项目编码'], required: true },
  { key: 'year', names: ['年份', '年度', '统计年度'], required: true },
  { key: 'month', names: ['月份', '统计月份'] },
  { key: 'quantity', names: ['服务量', '数量', '服务人次', '服务次数'], required: true },
];

/** Column order of the `volume` table (and of the generated COPY lines). */
export const TABLE_COLUMNS: Record<VolumeKey, string> = {
  region: 'region_code', institution: 'institution_code', item: 'item_code', year: 'year', month: 'month', quantity: 'quantity',
};

export const MIN_YEAR = 1990;
export const MAX_YEAR = 2100;
/** years are kept as year − MIN_YEAR in 7 bits of a key */
export const YEAR_SPAN = 128;

/** The months of a key: bit m for month m, bit 0 for a whole-year total. */
export function monthsText(mask: number): string {
  if (mask & 1) return '全年';
  const m: number[] = [];
  for (let i = 1; i <= 12; i++) if (mask & (1 << i)) m.push(i);
  return m.length === 12 ? '1–12月' : m.map((x) => `${x}月`).join('、');
}

/**
 * Sum of quantity and the months seen, per (institution, item, year) — the institution id implies the region.
 * Two figures for the same month, or a whole-year total next to monthly figures, would count twice: `add` refuses
 * them. Memory: about 40 bytes per distinct key (typed arrays), nothing per row.
 */
export class VolumeAggregate {
  sum = new Float64Array(0);
  months = new Uint16Array(0);
  firstRow = new Uint32Array(0);
  readonly keys: GroupedPairTable;
  /** rows whose quantity made a sum pass 2^53 */
  overflow = 0;

  /** `expected` keys, of about `institutions` institutions */
  constructor(expected = 1 << 16, institutions = 0) {
    this.keys = new GroupedPairTable(expected, (n) => this.resize(n), institutions);
    this.resize(this.keys.capacity);
  }

  private resize(n: number): void {
    this.sum = this.sum.length ? growTyped(this.sum, n) : new Float64Array(n);
    this.months = this.months.length ? growTyped(this.months, n) : new Uint16Array(n);
    this.firstRow = this.firstRow.length ? growTyped(this.firstRow, n) : new Uint32Array(n);
  }

  get size(): number {
    return this.keys.size;
  }

  inst(e: number): number {
    return this.keys.a[e];
  }

  item(e: number): number {
    return (this.keys.b[e] / YEAR_SPAN) | 0;
  }

  year(e: number): number {
    return (this.keys.b[e] % YEAR_SPAN) + MIN_YEAR;
  }

  /**
   * Adds a row. Returns 0, or the conflict: −1 the same month twice (the earlier row is `partner`, 0 when it is not
   * known), −2 a whole-year total next to monthly figures.
   */
  add(inst: number, item: number, year: number, month: number, quantity: number, row: number): number {
    const e = this.keys.findOrAdd(inst, item * YEAR_SPAN + (year - MIN_YEAR));
    const bit = 1 << month;
    if (this.keys.added) {
      this.sum[e] = quantity;
      this.months[e] = bit;
      this.firstRow[e] = row;
      return 0;
    }
    const m = this.months[e];
    if (m & bit) {
      this.partner = m === bit ? this.firstRow[e] : 0;
      return -1;
    }
    if (m & 1 || month === 0) {
      this.partner = this.firstRow[e];
      return -2;
    }
    this.months[e] = m | bit;
    const s = this.sum[e] + quantity;
    if (s > Number.MAX_SAFE_INTEGER) this.overflow++;
    this.sum[e] = s;
    return 0;
  }

  /** the earlier row of the last conflict (0 when unknown) */
  partner = 0;

  get bytes(): number {
    return this.keys.bytes + this.sum.byteLength + this.months.byteLength + this.firstRow.byteLength;
  }
}

/** Bytes the aggregate takes per key it is sized for (pairs, sum, months, first row, the group tables). */
export const AGGREGATE_BYTES_PER_KEY = 40;

/** Every row accepted, nothing kept: the second reading of the file in large-file mode (large.ts). */
export class PassThroughAggregate extends VolumeAggregate {
  constructor() {
    super(16);
  }

  override add(): number {
    return 0;
  }
}

/** Bytes the stretch check takes per key of its largest stretch (slots at most 70 % full: key, mark, months, sum). */
export const STRETCH_BYTES_PER_KEY = 26;

/**
 * Large-file mode (load.ts): every row is accepted (all go into the partition), but repeated periods and sums beyond
 * 2^53 are looked for exactly, as the aggregate does, within stretches of consecutive rows of one institution
 * (volume files come grouped by institution, or by year and institution): only the keys of the current stretch are
 * held. An institution-year whose rows all lie in one stretch and show neither problem is clean: SQL need not look at
 * it. The others are suspects, checked in SQL on the partition (large.ts): a problem was seen, or the
 * institution-year's rows lie in more than one stretch (its institution came back later in the file, or the stretch
 * was cut at `maxKeys` keys). Memory: STRETCH_BYTES_PER_KEY per key of the largest stretch, about 10 bytes per
 * institution-year.
 */
export class StretchCheck extends VolumeAggregate {
  /** institution-years: (institution id, year − MIN_YEAR) → the stretch last seen in, and whether suspect */
  private readonly years: PairTable;
  private stretchOf = new Int32Array(0);
  private suspect = new Uint8Array(0);
  private stretch = 0;
  private lastInst = -1;
  private lastYear = -1;
  private slot = -1;
  /** the keys (item × YEAR_SPAN + year − MIN_YEAR) of the current stretch: live where mark = stretch + 1 */
  private keyB = new Int32Array(1024);
  private mark = new Int32Array(1024);
  private keyMonths = new Uint16Array(1024);
  private keySum = new Float64Array(1024);
  private mask = 1023;
  private count = 0;
  /** the most keys a stretch holds */
  largest = 0;

  private readonly maxKeys: number;

  /** `maxKeys`: the most keys a stretch holds (at least 1) */
  constructor(maxKeys: number) {
    super(16);
    this.maxKeys = Math.max(1, Math.floor(maxKeys));
    this.years = new PairTable(1024, (n) => {
      this.stretchOf = growTyped(this.stretchOf, n);
      this.suspect = growTyped(this.suspect, n);
    });
    this.stretchOf = new Int32Array(this.years.capacity);
    this.suspect = new Uint8Array(this.years.capacity);
  }

  /** Starts a new stretch: no key held. */
  private cut(): void {
    this.stretch++;
    this.count = 0;
  }

  /** Makes (inst, y) the current institution-year; returns whether it is new to the file. */
  private enter(inst: number, y: number): boolean {
    this.lastYear = y;
    const t = this.years.findOrAdd(inst, y);
    const added = this.years.added;
    if (!added && this.stretchOf[t] !== this.stretch) this.suspect[t] = 1;
    this.stretchOf[t] = this.stretch;
    this.slot = t;
    return added;
  }

  override add(inst: number, item: number, year: number, month: number, quantity: number): number {
    const y = year - MIN_YEAR;
    let fresh = false;
    if (inst !== this.lastInst) {
      this.cut();
      this.lastInst = inst;
      fresh = this.enter(inst, y);
    } else if (y !== this.lastYear) fresh = this.enter(inst, y);
    const b = item * YEAR_SPAN + y;
    const live = this.stretch + 1;
    let i = keyHash(b) & this.mask;
    while (this.mark[i] === live && this.keyB[i] !== b) i = (i + 1) & this.mask;
    const bit = 1 << month;
    if (this.mark[i] !== live) {
      if (this.count >= this.maxKeys) {
        // the stretch is as large as allowed: the institution-year goes on in the next one (unless this is its first row)
        this.cut();
        this.stretchOf[this.slot] = this.stretch;
        if (!fresh) this.suspect[this.slot] = 1;
        return this.add(inst, item, year, month, quantity);
      }
      this.mark[i] = live;
      this.keyB[i] = b;
      this.keyMonths[i] = bit;
      this.keySum[i] = quantity;
      if (++this.count > this.largest) this.largest = this.count;
      if (this.count > (this.mask + 1) * 0.7) this.rehash();
      return 0;
    }
    // the rules of VolumeAggregate.add
    const m = this.keyMonths[i];
    if (m & bit || m & 1 || month === 0) {
      this.suspect[this.slot] = 1;
      return 0;
    }
    this.keyMonths[i] = m | bit;
    const s = this.keySum[i] + quantity;
    if (s > Number.MAX_SAFE_INTEGER) this.suspect[this.slot] = 1;
    this.keySum[i] = s;
    return 0;
  }

  private rehash(): void {
    const live = this.stretch + 1;
    const { keyB, mark, keyMonths, keySum } = this;
    const cap = (this.mask + 1) * 2;
    this.keyB = new Int32Array(cap);
    this.mark = new Int32Array(cap);
    this.keyMonths = new Uint16Array(cap);
    this.keySum = new Float64Array(cap);
    this.mask = cap - 1;
    for (let j = 0; j < mark.length; j++) {
      if (mark[j] !== live) continue;
      let i = keyHash(keyB[j]) & this.mask;
      while (this.mark[i] === live) i = (i + 1) & this.mask;
      this.mark[i] = live;
      this.keyB[i] = keyB[j];
      this.keyMonths[i] = keyMonths[j];
      this.keySum[i] = keySum[j];
    }
  }

  /** The institution-years seen */
  get institutionYears(): number {
    return this.years.size;
  }

  /** The suspect institution-years: (institution id, year) */
  suspects(): { inst: number; year: number }[] {
    const out: { inst: number; year: number }[] = [];
    for (let t = 0; t < this.years.size; t++) if (this.suspect[t]) out.push({ inst: this.years.a[t], year: this.years.b[t] + MIN_YEAR });
    return out;
  }

  override get bytes(): number {
    return this.keyB.byteLength + this.mark.byteLength + this.keyMonths.byteLength + this.keySum.byteLength
      + this.years.capacity * 13 + this.stretchOf.byteLength + this.suspect.byteLength;
  }
}

function keyHash(b: number): number {
  let h = Math.imul(b ^ (b >>> 16), 0x85ebca6b);
  h ^= h >>> 13;
  return Math.imul(h, 0xc2b2ae35) ^ (h >>> 16);
}

/** Sees every row the aggregate accepts (Coverage). */
export interface RowSink {
  add(inst: number, item: number, year: number, month: number, quantity: number): void;
}

export interface CheckedRow {
  region: number;
  inst: number;
  item: number;
  year: number;
  month: number;
  quantity: number;
}

/**
 * The rules of a volume row, with the messages. The scanner checks the common case itself and hands any row it
 * does not accept outright to `check`, so every message comes from here.
 */
export class RowChecker {
  readonly parse: CellParser;
  /** region index of --region, or −1 */
  readonly defaultRegion: number;

  constructor(
    readonly ref: Reference,
    readonly agg: VolumeAggregate,
    readonly issues: IssueCollector,
    readonly cols: Partial<Record<VolumeKey, HeaderColumn>>,
    readonly regionOption: string | null,
    /** told of every row accepted */
    readonly sink: RowSink | null = null,
  ) {
    this.parse = new CellParser(issues);
    this.defaultRegion = regionOption ? ref.regionIndex(regionOption) : -1;
  }

  private at(k: VolumeKey, row: number) {
    const c = this.cols[k];
    return { row, column: c?.letter ?? String((c?.index ?? 0) + 1), label: c?.label ?? '' };
  }

  private col(k: VolumeKey): string | null {
    return this.cols[k]?.letter ?? null;
  }

  /** Reports a row that is not valid UTF-8 in a file read as UTF-8: the whole file is refused. */
  notUtf8(row: number): void {
    const p = notUtf8Problem(row);
    this.issues.fatal(p.zh, p.en, p.row, p.column);
  }

  /** Checks one row given as cell texts (trimmed, null when empty); reports its problems and returns null, or the row. */
  check(cell: (k: VolumeKey) => string | null, row: number): CheckedRow | null {
    const { issues, ref } = this;
    let ok = true;

    let region = this.defaultRegion;
    let regionCode = this.regionOption;
    if (this.cols.region) {
      const v = this.parse.regionCode(cell('region'), this.at('region', row), this.defaultRegion < 0);
      if (v === undefined) ok = false;
      else if (v !== null) {
        regionCode = v;
        region = ref.regionIndex(v);
        if (region < 0) {
          issues.add(row, this.col('region'), `地区代码 ${v} 不存在（应为 GB/T 2260 省或地市代码）`, `unknown region code ${v}`);
          ok = false;
        }
      }
    }

    const instCode = this.parse.text(cell('institution'), this.at('institution', row), true);
    const itemCode = this.parse.text(cell('item'), this.at('item', row), true);
    let inst = -1;
    let item = -1;
    if (instCode && region >= 0) {
      inst = ref.institutions.getString(region, instCode);
      if (inst < 0) {
        issues.add(row, this.col('institution'), `机构编码 ${instCode} 不存在：地区 ${regionCode} 未导入该医疗机构（先导入医疗机构文件）`,
          `unknown institution ${instCode} in region ${regionCode} (load the institutions file first)`);
        ok = false;
      }
    } else ok = false;
    if (itemCode && region >= 0) {
      item = ref.items.getString(0, itemCode);
      if (item < 0 || !ref.itemAllowed(region, item)) {
        issues.add(row, this.col('item'), `项目编码 ${itemCode} 不在地区 ${regionCode} 的价格表或国家项目目录中`,
          `unknown item code ${itemCode}: not in the price table of region ${regionCode} nor in the national catalogue`);
        ok = false;
      }
    } else ok = false;

    const year = this.parse.integer(cell('year'), this.at('year', row), true, MIN_YEAR, MAX_YEAR);
    const month = this.cols.month ? this.parse.integer(cell('month'), this.at('month', row), false, 0, 12) : 0;
    const q = cell('quantity');
    let quantity: number | null | undefined;
    if (q !== null && /^-\s*\d/.test(q)) {
      issues.add(row, this.col('quantity'), `“${this.at('quantity', row).label}”不能为负数：${q}`, `${this.at('quantity', row).label} must not be negative`);
      quantity = undefined;
    } else {
      quantity = this.parse.integer(q, this.at('quantity', row), true, 0, Number.MAX_SAFE_INTEGER);
    }
    if (!ok || year === undefined || year === null || month === undefined || quantity === undefined || quantity === null) return null;
    const r: CheckedRow = { region, inst, item, year, month: month ?? 0, quantity };
    return this.accept(r, row) ? r : null;
  }

  /** Adds a valid row to the aggregate; reports a repeated period. */
  accept(r: CheckedRow, row: number): boolean {
    return this.acceptParts(r.inst, r.item, r.year, r.month, r.quantity, row);
  }

  acceptParts(inst: number, item: number, year: number, month: number, quantity: number, row: number): boolean {
    const c = this.agg.add(inst, item, year, month, quantity, row);
    if (c === 0) {
      this.sink?.add(inst, item, year, month, quantity);
      return true;
    }
    const what = `机构 ${this.ref.instCode[inst]} 项目 ${this.ref.itemCode[item]} ${year}年${month ? `${month}月` : '全年'}`;
    const partner = this.agg.partner;
    const column = this.col('month') ?? this.col('year');
    if (c === -1) {
      this.issues.add(row, column, partner ? `重复的行：${what}与第 ${partner} 行相同` : `重复的行：${what}在前面已出现`,
        partner ? `duplicate row: same institution, item and period as row ${partner}` : 'duplicate row: same institution, item and period as an earlier row');
    } else {
      this.issues.add(row, column, `统计期间重叠：${what}与第 ${partner} 行的${month ? '全年合计' : '月度数据'}重叠`,
        `overlapping period: a whole-year total and monthly figures for the same institution, item and year (row ${partner})`);
    }
    return false;
  }
}
