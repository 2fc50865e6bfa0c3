import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';

/**
 * The stored form of a scenario version (table scenario_version, column body): gzip'd JSON of either the whole change
 * list of that version (`full`) or what a PATCH set and removed against the version before it (`delta`).
 *
 * A row is [item_code, hospital_level, old_price_fen, new_price_fen, reason, source]; a removed row is
 * [item_code, hospital_level]. A version is the latest full body at or before it with the deltas after it applied in
 * order; a delta is written only on top of a stored previous version and at most SNAPSHOT_EVERY − 1 versions after a
 * full one, so a read decodes one full list and at most that many small deltas. Shared by the API's write path and
 * the ETL (historic rounds); compression runs on the thread pool, off the event loop.
 */
export type StoredRow = [itemCode: string, level: number, oldPriceFen: number, newPriceFen: number, reason: string | null, source: string | null];
export type StoredKey = [itemCode: string, level: number];

export type VersionBody = { kind: 'full'; rows: StoredRow[] } | { kind: 'delta'; set: StoredRow[]; remove: StoredKey[] };

/** A full change list is stored at least every SNAPSHOT_EVERY versions of a scenario. */
export const SNAPSHOT_EVERY = 20;

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export async function encodeVersionBody(b: VersionBody): Promise<Buffer> {
  const json = b.kind === 'full' ? { rows: b.rows } : { set: b.set, remove: b.remove };
  return gzipAsync(Buffer.from(JSON.stringify(json), 'utf8'));
}

export async function decodeVersionBody(kind: 'full' | 'delta', body: Buffer): Promise<VersionBody> {
  const v = JSON.parse((await gunzipAsync(body)).toString('utf8')) as { rows?: StoredRow[]; set?: StoredRow[]; remove?: StoredKey[] };
  if (kind === 'full') {
    if (!Array.isArray(v.rows)) throw new Error('scenario_version: a full body without rows');
    return { kind, rows: v.rows };
  }
  if (!Array.isArray(v.set) || !Array.isArray(v.remove)) throw new Error('scenario_version: a delta body without set/remove');
  return { kind, set: v.set, remove: v.remove };
}

/** The change list of a version: a full body with the deltas after it applied, in version order (rows keyed by item and level). */
export function applyVersionBodies(bodies: readonly VersionBody[]): StoredRow[] {
  if (bodies.length === 0 || bodies[0].kind !== 'full') throw new Error('scenario_version: a version chain must start with a full body');
  const rows = new Map<string, StoredRow>();
  const key = (item: string, level: number) => `${item}|${level}`;
  for (const b of bodies) {
    if (b.kind === 'full') {
      rows.clear();
      for (const r of b.rows) rows.set(key(r[0], r[1]), r);
    } else {
      for (const [item, level] of b.remove) rows.delete(key(item, level));
      for (const r of b.set) rows.set(key(r[0], r[1]), r);
    }
  }
  return [...rows.values()];
}
