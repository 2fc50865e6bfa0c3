import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeCarryOver } from '../../etl/src/carry-over';
import { startTestApp } from '../support/app';
import { useTestDatabase } from '../support/db';
import { caller } from '../support/http';

/**
 * GET /api/regions/:code/catalogue on the demo dataset: the guideline items with their mapping rows and 苏州's
 * carried-over prices — the command line's computation, and one weighted average recomputed here from the tables.
 */

const SUZHOU = '320500';
const DATE = '2024-12-31';

interface Item {
  batchName: string;
  seq: number;
  name: string;
  mappings: { type: string; system: string; code: string; name: string | null }[];
  sources: { code: string }[];
  levels: Record<'3' | '2' | '1', { priceFen: number | null; method: string; basis: string[] }>;
  note: string;
}

describe('catalogue API (目录与价格平移)', () => {
  const db = useTestDatabase({ demo: true });
  let app: INestApplication;
  let base: string;
  const call = caller(() => base);

  beforeAll(async () => {
    ({ app, base } = await startTestApp(db().url));
  }, 300_000);
  afterAll(async () => {
    await app?.close();
  });

  it('lists every guideline item with its mappings and the carried-over prices of `npm run etl -- carry-over`', async () => {
    const res = await call('GET', `/api/regions/${SUZHOU}/catalogue?date=${DATE}`);
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    const body = res.body as { region: { code: string; name: string }; date: string; year: number; items: Item[]; totalCount: number; batches: { itemCount: number }[]; report: Record<string, unknown[]> };
    const n = (await db().pool.query('select count(*)::int as n from guideline_item')).rows[0].n;
    expect(body.totalCount).toBe(n);
    expect(body.items).toHaveLength(n);
    expect(body.batches.reduce((s, b) => s + b.itemCount, 0)).toBe(n);
    expect(body.region).toEqual({ code: SUZHOU, name: '苏州市' });
    const cli = await computeCarryOver(db().pool, { region: SUZHOU, date: DATE });
    expect(body.year).toBe(cli.year);
    expect(body.items.map((x) => [x.name, x.levels['3'].priceFen, x.levels['2'].priceFen, x.levels['1'].priceFen, x.note])).toEqual(
      cli.rows.map((r) => [r.name, r.levels[3].priceFen, r.levels[2].priceFen, r.levels[1].priceFen, r.note]),
    );
    expect(body.report.withoutMapping).toEqual(cli.withoutMapping);
    expect(body.report.withUnresolved).toEqual(cli.withUnresolved);
    // each item's missing codes are the report's
    const missing = new Map(cli.withUnresolved.map((u) => [u.name, u.codes]));
    expect(body.items.map((x) => (x as Item & { missing: string[] }).missing)).toEqual(body.items.map((x) => missing.get(x.name) ?? []));
    // the mapping rows as stored
    const first = body.items[0];
    const stored = await db().pool.query(
      `select m.mapping_type as type, m.source_system as system, m.source_code as code, m.source_name as name
         from guideline_mapping m join guideline_item i on i.id = m.guideline_item_id join guideline_batch b on b.id = i.guideline_batch_id
        where b.name = $1 and i.seq = $2 order by m.id`,
      [first.batchName, first.seq],
    );
    expect([...first.mappings].sort((a, b) => a.code.localeCompare(b.code))).toEqual([...stored.rows].sort((a, b) => a.code.localeCompare(b.code)));

    // one weighted carry-over at level 3 by hand: Σ P·Q ÷ Σ Q over the old items, rounded half up to the fen
    const w = body.items.find((x) => x.levels['3'].method === 'weighted' && x.levels['3'].basis.length >= 2) ?? body.items.find((x) => x.levels['3'].method === 'weighted')!;
    const q = await db().pool.query(
      `select sum(p.price_fen * v.q)::text as num, sum(v.q)::text as den from unnest($2::text[]) c(code)
         join lateral (select price_fen from price where region_code = $1 and item_code = c.code and hospital_level = 3 and valid_from <= $3::date
                        and (valid_to is null or valid_to > $3::date) order by valid_from desc limit 1) p on true
         join lateral (select coalesce(sum(quantity), 0) as q from volume_annual_level where region_code = $1 and item_code = c.code and hospital_level = 3 and is_public and year = $4) v on true`,
      [SUZHOU, w.levels['3'].basis, DATE, body.year],
    );
    const num = BigInt(q.rows[0].num);
    const den = BigInt(q.rows[0].den);
    expect(BigInt(w.levels['3'].priceFen!)).toBe((2n * num + den) / (2n * den));
  });

  it('searches by guideline name, mapped code and old code; refuses an unknown batch, a bad date and an unknown region', async () => {
    const all = (await call('GET', `/api/regions/${SUZHOU}/catalogue?date=${DATE}`)).body as { items: Item[] };
    const withSource = all.items.find((x) => x.sources.length > 0)!;
    const byName = (await call('GET', `/api/regions/${SUZHOU}/catalogue?date=${DATE}&q=${encodeURIComponent(withSource.name)}`)).body as { items: Item[]; totalCount: number };
    expect(byName.items.map((x) => x.name)).toContain(withSource.name);
    expect(byName.totalCount).toBe(all.items.length);
    const oldCode = withSource.sources[0].code;
    const byOld = (await call('GET', `/api/regions/${SUZHOU}/catalogue?date=${DATE}&q=${oldCode}`)).body as { items: Item[] };
    expect(byOld.items.length).toBeGreaterThan(0);
    expect(byOld.items.every((x) => x.sources.some((s) => s.code.includes(oldCode)) || x.mappings.some((m) => m.code.includes(oldCode)) || x.name.includes(oldCode))).toBe(true);
    const none = (await call('GET', `/api/regions/${SUZHOU}/catalogue?q=${encodeURIComponent('没有这个项目')}`)).body as { items: Item[] };
    expect(none.items).toEqual([]);

    const batch = await call('GET', `/api/regions/${SUZHOU}/catalogue?batch=${encodeURIComponent('不存在的批次')}`);
    expect(batch.status).toBe(404);
    expect(batch.body.code).toBe('CATALOGUE.BATCH_NOT_FOUND');
    const date = await call('GET', `/api/regions/${SUZHOU}/catalogue?date=2024-02-30`);
    expect(date.status).toBe(400);
    expect(date.body.details[0].path).toBe('query.date');
    expect((await call('GET', '/api/regions/999999/catalogue')).status).toBe(404);
  });
});
