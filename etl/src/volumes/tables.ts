/**
 * Hash tables on typed arrays for the volumes loader. A national file has tens of millions of distinct keys: a JS
 * Map stops at 2^24 entries and spends ~80 bytes on each, these spend ~30 and never create a string per row.
 */

/** FNV-1a over bytes [start, end), seeded with a tag (a small integer such as a region index). */
export function hashBytes(tag: number, buf: Uint8Array, start: number, end: number): number {
  let h = (0x811c9dc5 ^ Math.imul(tag + 1, 0x9e3779b1)) | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) | 0;
}

function pairHash(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b ^ (b >>> 15), 0x85ebca77);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae3d);
  return (h ^ (h >>> 16)) | 0;
}

function grow<T extends Int32Array | Uint32Array | Float64Array | Uint16Array | Uint8Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

/**
 * Interns byte strings under a tag: (tag, bytes) → a dense id (0, 1, 2 …). Used for codes (institutions under
 * their region index, items under tag 0), so the scanner looks codes up straight from the file's bytes.
 */
export class ByteTable {
  size = 0;
  private slots: Int32Array;
  private mask: number;
  private tags: Int32Array;
  private hashes: Int32Array;
  private offsets: Uint32Array;
  private lengths: Uint32Array;
  private pool: Uint8Array;
  private used = 0;

  constructor(expected = 1024) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.slots = new Int32Array(cap);
    this.mask = cap - 1;
    const n = Math.max(16, expected);
    this.tags = new Int32Array(n);
    this.hashes = new Int32Array(n);
    this.offsets = new Uint32Array(n);
    this.lengths = new Uint32Array(n);
    this.pool = new Uint8Array(Math.max(256, n * 12));
  }

  /** The id of (tag, buf[start, end)), or -1. */
  get(tag: number, buf: Uint8Array, start: number, end: number): number {
    const h = hashBytes(tag, buf, start, end);
    const len = end - start;
    let i = h & this.mask;
    for (;;) {
      const s = this.slots[i];
      if (s === 0) return -1;
      const id = s - 1;
      if (this.hashes[id] === h && this.tags[id] === tag && this.lengths[id] === len) {
        const off = this.offsets[id];
        let k = 0;
        while (k < len && this.pool[off + k] === buf[start + k]) k++;
        if (k === len) return id;
      }
      i = (i + 1) & this.mask;
    }
  }

  getString(tag: number, s: string): number {
    const b = Buffer.from(s, 'utf8');
    return this.get(tag, b, 0, b.length);
  }

  /** The id of (tag, bytes), added when new. */
  add(tag: number, bytes: Uint8Array): number {
    const found = this.get(tag, bytes, 0, bytes.length);
    if (found >= 0) return found;
    if ((this.size + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    const id = this.size++;
    if (id >= this.tags.length) {
      const n = this.tags.length * 2;
      this.tags = grow(this.tags, n);
      this.hashes = grow(this.hashes, n);
      this.offsets = grow(this.offsets, n);
      this.lengths = grow(this.lengths, n);
    }
    if (this.used + bytes.length > this.pool.length) this.pool = grow(this.pool, Math.max(this.pool.length * 2, this.used + bytes.length));
    this.pool.set(bytes, this.used);
    const h = hashBytes(tag, bytes, 0, bytes.length);
    this.tags[id] = tag;
    this.hashes[id] = h;
    this.offsets[id] = this.used;
    this.lengths[id] = bytes.length;
    this.used += bytes.length;
    this.place(id, h);
    return id;
  }

  addString(tag: number, s: string): number {
    return this.add(tag, Buffer.from(s, 'utf8'));
  }

  private place(id: number, h: number): void {
    let i = h & this.mask;
    while (this.slots[i] !== 0) i = (i + 1) & this.mask;
    this.slots[i] = id + 1;
  }

  private rehash(cap: number): void {
    this.slots = new Int32Array(cap);
    this.mask = cap - 1;
    for (let id = 0; id < this.size; id++) this.place(id, this.hashes[id]);
  }
}

/**
 * The entries of a pair table: dense indexes 0 … size−1 with their pair (a[id], b[id]); callers keep per-entry values
 * in arrays of their own, grown through `onGrow` when the entries outgrow their capacity.
 */
abstract class PairEntries {
  size = 0;
  /** whether the last findOrAdd added the pair */
  added = false;
  a: Int32Array;
  b: Int32Array;

  protected constructor(
    capacity: number,
    private readonly onGrow: (capacity: number) => void,
  ) {
    this.a = new Int32Array(capacity);
    this.b = new Int32Array(capacity);
  }

  get capacity(): number {
    return this.a.length;
  }

  /** Stores a new pair and returns its entry index (marks it added). */
  protected append(a: number, b: number): number {
    this.added = true;
    const id = this.size++;
    if (id >= this.a.length) {
      const n = this.a.length * 2;
      this.a = grow(this.a, n);
      this.b = grow(this.b, n);
      this.onGrow(n);
    }
    this.a[id] = a;
    this.b[id] = b;
    return id;
  }
}

/**
 * A set of int32 pairs (a, b) with dense entry indexes 0 … size−1; callers keep per-entry values in arrays of
 * their own, grown through `onGrow`. Open addressing over slots of [entry + 1, hash]: a probe reads one slot and
 * touches the entry only when the hash matches, so adding a new key costs about one cache miss.
 */
export class PairTable extends PairEntries {
  private slots: Int32Array;
  private mask: number;

  constructor(expected = 1024, onGrow: (capacity: number) => void = () => undefined) {
    const n = Math.max(16, expected);
    super(n, onGrow);
    let cap = 16;
    while (cap * 0.7 < n) cap *= 2;
    this.slots = new Int32Array(cap * 2);
    this.mask = cap - 1;
  }

  /** Reads the home slot of (a, b), so that a following findOrAdd finds it in the cache. */
  probe(a: number, b: number): number {
    return this.slots[2 * (pairHash(a, b) & this.mask)];
  }

  find(a: number, b: number): number {
    const h = pairHash(a, b);
    let i = h & this.mask;
    for (;;) {
      const s = this.slots[2 * i];
      if (s === 0) return -1;
      if (this.slots[2 * i + 1] === h && this.a[s - 1] === a && this.b[s - 1] === b) return s - 1;
      i = (i + 1) & this.mask;
    }
  }

  findOrAdd(a: number, b: number): number {
    const h = pairHash(a, b);
    let i = h & this.mask;
    for (;;) {
      const s = this.slots[2 * i];
      if (s === 0) break;
      if (this.slots[2 * i + 1] === h && this.a[s - 1] === a && this.b[s - 1] === b) {
        this.added = false;
        return s - 1;
      }
      i = (i + 1) & this.mask;
    }
    const id = this.append(a, b);
    if (this.size > (this.mask + 1) * 0.7) this.rehash((this.mask + 1) * 2);
    else {
      this.slots[2 * i] = id + 1;
      this.slots[2 * i + 1] = h;
    }
    return id;
  }

  private rehash(cap: number): void {
    this.slots = new Int32Array(cap * 2);
    this.mask = cap - 1;
    for (let id = 0; id < this.size; id++) {
      const h = pairHash(this.a[id], this.b[id]);
      let i = h & this.mask;
      while (this.slots[2 * i] !== 0) i = (i + 1) & this.mask;
      this.slots[2 * i] = id + 1;
      this.slots[2 * i + 1] = h;
    }
  }

  /** Bytes held (for the memory note in the summary). */
  get bytes(): number {
    return this.slots.byteLength + this.a.byteLength + this.b.byteLength;
  }
}

/**
 * A set of int32 pairs (a, b), a a small non-negative integer (an institution id), with dense entry indexes
 * 0 … size−1 like PairTable, but one small open-addressing table per `a`. Volume files come grouped by
 * institution, so the inserts of a stretch of rows all fall into one table of a few hundred kB that stays in the
 * processor's cache — one table for all keys would cost a cache miss (and a TLB miss) per row. Slots are
 * [entry + 1, b]: a probe never touches the entry arrays.
 */
export class GroupedPairTable extends PairEntries {
  private groups: (Int32Array | null)[] = [];
  private counts = new Int32Array(0);
  /** slots of a new group's table */
  private readonly initial: number;

  /**
   * `expected` pairs in about `groups` groups: a new group's table starts with room for its share (up to 2^15
   * slots), which saves most of the growing when the groups are alike; the tables of the groups present take
   * about 11 bytes per expected pair at first, at most.
   */
  constructor(expected = 1024, onGrow: (capacity: number) => void = () => undefined, groups = 0) {
    super(Math.max(16, expected), onGrow);
    let cap = 64;
    while (groups > 0 && cap < 1 << 15 && cap * 0.7 < expected / groups) cap *= 2;
    this.initial = cap;
  }

  private group(a: number): Int32Array {
    if (a >= this.counts.length) {
      this.counts = grow(this.counts, Math.max(a + 1, this.counts.length * 2));
      while (this.groups.length < this.counts.length) this.groups.push(null);
    }
    let t = this.groups[a];
    if (!t) t = this.groups[a] = new Int32Array(2 * this.initial);
    return t;
  }

  find(a: number, b: number): number {
    const t = a < this.groups.length ? this.groups[a] : null;
    if (!t) return -1;
    const mask = (t.length >> 1) - 1;
    let i = bHash(b) & mask;
    for (;;) {
      const s = t[2 * i];
      if (s === 0) return -1;
      if (t[2 * i + 1] === b) return s - 1;
      i = (i + 1) & mask;
    }
  }

  findOrAdd(a: number, b: number): number {
    let t = this.group(a);
    let mask = (t.length >> 1) - 1;
    let i = bHash(b) & mask;
    for (;;) {
      const s = t[2 * i];
      if (s === 0) break;
      if (t[2 * i + 1] === b) {
        this.added = false;
        return s - 1;
      }
      i = (i + 1) & mask;
    }
    const id = this.append(a, b);
    const count = ++this.counts[a];
    if (count > (mask + 1) * 0.7) {
      t = this.rehash(a, t);
      mask = (t.length >> 1) - 1;
      i = bHash(b) & mask;
      while (t[2 * i] !== 0) i = (i + 1) & mask;
    }
    t[2 * i] = id + 1;
    t[2 * i + 1] = b;
    return id;
  }

  private rehash(a: number, old: Int32Array): Int32Array {
    const t = new Int32Array(old.length * 2);
    const mask = (t.length >> 1) - 1;
    for (let j = 0; j < old.length; j += 2) {
      if (old[j] === 0) continue;
      let i = bHash(old[j + 1]) & mask;
      while (t[2 * i] !== 0) i = (i + 1) & mask;
      t[2 * i] = old[j];
      t[2 * i + 1] = old[j + 1];
    }
    this.groups[a] = t;
    return t;
  }

  /** Bytes held (for the memory note in the summary). */
  get bytes(): number {
    let n = this.a.byteLength + this.b.byteLength + this.counts.byteLength;
    for (const t of this.groups) if (t) n += t.byteLength;
    return n;
  }
}

function bHash(b: number): number {
  let h = Math.imul(b ^ (b >>> 16), 0x85ebca6b);
  h ^= h >>> 13;
  return Math.imul(h, 0xc2b2ae35) ^ (h >>> 16);
}

export { grow as growTyped };
