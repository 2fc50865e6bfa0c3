import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/app';
import { useTestDatabase } from '../support/db';
import { caller } from '../support/http';

/**
 * 复杂型 quotes on the demo dataset (苏州 320500): hospitals submit quotes, the bureau scores them and selects within a
 * budget; the selection becomes a scenario (method quotes) whose impact net equals the selection's net.
 */

const SUZHOU = '320500';


describe('quotes API (复杂型项目报价)', () => {
  const db = useTestDatabase({ demo: true });
  let app: INestApplication;
  let base: string;
  let roundId: number;
  /** Two complex items priced at level 3 with 2024 volumes, and three level-3 institutions. */
  let items: { code: string; price: number; q: number }[];
  let hospitals: string[];
  let general: string;

  const call = caller(() => base);


  beforeAll(async () => {
    ({ app, base } = await startTestApp(db().url));
    const r = await call('POST', '/api/rounds', {
      regionCode: SUZHOU, year: 2025, name: '苏州市2025年复杂型项目报价', effectiveDate: '2025-01-01',
      params: { itemShareFloor: 0, changeCap: 0.3 },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    roundId = r.body.id;
    const it = await db().pool.query(
      `select ri.item_code as code, p.price_fen::float8 as price, v.quantity::float8 as q
         from region_item ri
         left join item i on i.code = ri.item_code
         join lateral (select price_fen, valid_to from price p where p.region_code = ri.region_code and p.item_code = ri.item_code
                         and p.hospital_level = 3 and p.valid_from <= '2024-12-31' order by valid_from desc limit 1) p on p.valid_to is null or p.valid_to > '2024-12-31'
         join volume_annual_level v on v.region_code = ri.region_code and v.item_code = ri.item_code and v.hospital_level = 3
                                   and v.is_public and v.year = 2024 and v.quantity > 0
        where ri.region_code = $1 and not ri.is_group and coalesce(ri.kind, i.kind, 'complex') <> 'general' and p.price_fen >= 1000
        order by ri.item_code limit 2`,
      [SUZHOU],
    );
    items = it.rows;
    expect(items).toHaveLength(2);
    hospitals = (await db().pool.query(`select code from institution where region_code = $1 and hospital_level = 3 order by code limit 3`, [SUZHOU])).rows.map(
      (x: { code: string }) => x.code,
    );
    expect(hospitals).toHaveLength(3);
    const g = await db().pool.query(
      `select ri.item_code as code from region_item ri left join item i on i.code = ri.item_code
        where ri.region_code = $1 and coalesce(ri.kind, i.kind) = 'general' limit 1`,
      [SUZHOU],
    );
    general = g.rows[0]?.code ?? null;
  }, 300_000);
  afterAll(async () => {
    await app?.close();
  });

  it('validates and stores quotes, scores them, and selects within the budget into a scenario', async () => {
    const [A, B] = items;
    // item A: three quotes at +10%, +20%, +40% with costs at the quoted price (labour 40%) except the +40% one (cost = +10%)
    const quote = (h: string, item: { code: string; price: number }, pct: number, costPct = pct) => {
      const price = Math.round(item.price * (1 + pct / 100));
      const cost = Math.round(item.price * (1 + costPct / 100));
      const labour = Math.round(cost * 0.4);
      return { institutionCode: h, itemCode: item.code, proposedPriceFen: price, costBasis: { labourFen: labour, materialFen: cost - labour }, expectedVolume: 100 };
    };
    const posted = [];
    for (const body of [quote(hospitals[0], A, 10), quote(hospitals[1], A, 20), quote(hospitals[2], A, 40, 10), quote(hospitals[0], B, 5)]) {
      const r = await call('POST', `/api/rounds/${roundId}/quotes`, body);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body).toMatchObject({ itemCode: body.itemCode, level: 3, status: 'submitted', proposedPriceFen: body.proposedPriceFen });
      expect(r.body.unitCostFen).toBe(body.costBasis.labourFen + body.costBasis.materialFen);
      posted.push(r.body);
    }
    const dup = await call('POST', `/api/rounds/${roundId}/quotes`, quote(hospitals[0], A, 15));
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('QUOTE.TAKEN');
    const bad = await call('POST', `/api/rounds/${roundId}/quotes`, {
      institutionCode: 'NOPE', itemCode: 'NOPE', proposedPriceFen: 100, costBasis: { labourFen: 10 }, expectedVolume: 1,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { path: string }) => d.path)).toEqual(['body.institutionCode', 'body.itemCode']);
    const zero = await call('POST', `/api/rounds/${roundId}/quotes`, { ...quote(hospitals[1], B, 5), costBasis: { labourFen: 0 } });
    expect(zero.status).toBe(400);
    if (general) {
      const g = await call('POST', `/api/rounds/${roundId}/quotes`, { ...quote(hospitals[1], B, 5), itemCode: general });
      expect(g.status).toBe(400);
      expect(g.body.details[0].message).toContain('通用型');
    }

    const list = (await call('GET', `/api/rounds/${roundId}/quotes`)).body;
    expect(list).toHaveLength(4);
    const byId = new Map(list.map((x: { id: number }) => [x.id, x]));
    // A's +20% quote: at cost (coverage 1), labour 40% (structure 1), it is the median of A → 100
    expect(byId.get(posted[1].id)).toMatchObject({ scoring: { score: 100, coverage: 1, structure: 1, median: 1 }, currentPriceFen: A.price });
    // A's +40% quote is 27% over its cost: lower score than the +10% one
    const s0 = (byId.get(posted[0].id) as { scoring: { score: number } }).scoring.score;
    const s2 = (byId.get(posted[2].id) as { scoring: { score: number } }).scoring.score;
    expect(s2).toBeLessThan(s0);

    // budget: exactly A at +20% and B at +5%
    const costA = (posted[1].proposedPriceFen - A.price) * A.q;
    const costB = (posted[3].proposedPriceFen - B.price) * B.q;
    const sel = await call('POST', `/api/rounds/${roundId}/quotes/select`, { budgetFen: costA + costB, scenarioName: '报价遴选一' });
    expect(sel.status, JSON.stringify(sel.body).slice(0, 500)).toBe(200);
    expect(sel.body.selection).toMatchObject({ budgetFen: costA + costB, netFen: costA + costB, remainingFen: 0, selectedCount: 2, rejectedCount: 2 });
    const dec = new Map(sel.body.decisions.map((d: { id: number }) => [d.id, d]));
    expect(dec.get(posted[1].id)).toMatchObject({ selected: true, costFen: costA });
    expect(dec.get(posted[3].id)).toMatchObject({ selected: true, costFen: costB });
    expect(dec.get(posted[0].id)).toMatchObject({ selected: false, reason: 'duplicate' });
    expect(dec.get(posted[2].id)).toMatchObject({ selected: false, reason: 'duplicate' });
    const sc = sel.body.scenario;
    expect(sc).toMatchObject({ name: '报价遴选一', method: 'quotes', status: 'draft', version: 2, changeCount: 2 });
    expect(sc.changes.map((c: { itemCode: string; newPriceFen: number }) => [c.itemCode, c.newPriceFen]).sort()).toEqual(
      [
        [A.code, posted[1].proposedPriceFen],
        [B.code, posted[3].proposedPriceFen],
      ].sort(),
    );
    const imp = await call('GET', `/api/scenarios/${sc.id}/impact`);
    expect(imp.body.summary.netFen).toBe(costA + costB);
    const stored = await db().pool.query(`select id::int as id, status, score::float8 as score from hospital_quote where round_id = $1 order by id`, [roundId]);
    expect(stored.rows.map((r: { status: string }) => r.status)).toEqual(['rejected', 'selected', 'rejected', 'selected']);
    expect(stored.rows[1].score).toBe(100);

    // a budget one fen short of A: only B fits, A's quotes are over budget
    const tight = await call('POST', `/api/rounds/${roundId}/quotes/select`, { budgetFen: costB + costA - 1, scenarioName: '报价遴选二' });
    expect(tight.status).toBe(200);
    const td = new Map(tight.body.decisions.map((d: { id: number }) => [d.id, d]));
    expect(td.get(posted[1].id)).toMatchObject({ selected: false, reason: 'over_budget' });
    expect(td.get(posted[3].id)).toMatchObject({ selected: true });
    expect(tight.body.selection.netFen).toBeLessThanOrEqual(costB + costA - 1);
  });

  it('writes a selection whole or not at all: a failing decision write leaves no scenario and no quote changed', async () => {
    const { pool } = db();
    const snapshot = async () => (await pool.query(
      `select (select count(*)::int from scenario where round_id = $1) as scenarios,
              (select count(*)::int from scenario_change c join scenario s on s.id = c.scenario_id where s.round_id = $1) as changes,
              (select md5(string_agg(q::text, '|' order by q.id)) from hospital_quote q where q.round_id = $1) as quotes`,
      [roundId],
    )).rows[0];
    const before = await snapshot();
    expect(before.scenarios).toBeGreaterThan(0);
    // the last of the three writes fails inside PostgreSQL
    await pool.query(`create function quote_write_fails() returns trigger language plpgsql as $$
                      begin raise exception 'quote decisions refused'; end $$`);
    await pool.query(`create trigger quote_write_fails before update on hospital_quote for each statement execute function quote_write_fails()`);
    try {
      const r = await call('POST', `/api/rounds/${roundId}/quotes/select`, { budgetFen: 1e12, scenarioName: '报价遴选（失败）' });
      expect(r.status).toBe(500);
      expect(r.body.code).toBeDefined();
    } finally {
      await pool.query(`drop trigger quote_write_fails on hospital_quote; drop function quote_write_fails()`);
    }
    expect(await snapshot()).toEqual(before);
    const named = await pool.query(`select count(*)::int as n from scenario where name = '报价遴选（失败）'`);
    expect(named.rows[0].n).toBe(0);
  });

  it('lists the items that take quotes with their prices in force, and keeps a quote\'s reasons', async () => {
    const res = await call('GET', `/api/rounds/${roundId}/quotes/items`);
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    const listed = res.body as { itemCode: string; name: string; prices: Record<string, number | null> }[];
    // the items of the query above are listed with their level-3 price; a 通用型 item never is
    for (const item of items) expect(listed.find((x) => x.itemCode === item.code)?.prices['3']).toBe(item.price);
    if (general) expect(listed.some((x) => x.itemCode === general)).toBe(false);
    // every listed item has a price at some level, and each price is the one in force on the price date
    const inForce = await db().pool.query(
      `select distinct on (item_code, hospital_level) item_code as code, hospital_level::int as level, price_fen::float8 as price, valid_to
         from price where region_code = $1 and valid_from <= '2024-12-31' order by item_code, hospital_level, valid_from desc`,
      [SUZHOU],
    );
    const priceOf = new Map(
      inForce.rows.filter((r: { valid_to: string | null }) => r.valid_to === null || r.valid_to > '2024-12-31').map((r: { code: string; level: number; price: number }) => [`${r.code}|${r.level}`, r.price]),
    );
    for (const x of listed.slice(0, 200)) {
      expect(Object.values(x.prices).some((p) => p !== null)).toBe(true);
      for (const level of ['1', '2', '3']) expect(x.prices[level], `${x.itemCode} ${level}`).toBe(priceOf.get(`${x.itemCode}|${level}`) ?? null);
    }

    const r = await call('POST', '/api/rounds', { regionCode: SUZHOU, year: 2025, name: '苏州市2025年报价理由', effectiveDate: '2025-01-01' });
    const body = {
      institutionCode: hospitals[0], itemCode: items[0].code, proposedPriceFen: Math.round(items[0].price * 1.1),
      costBasis: { labourFen: 500, materialFen: 500 }, expectedVolume: 10, reason: '  新增一次性耗材与护理人力投入  ',
    };
    const created = await call('POST', `/api/rounds/${r.body.id}/quotes`, body);
    expect(created.status, JSON.stringify(created.body).slice(0, 300)).toBe(201);
    expect(created.body.reason).toBe('新增一次性耗材与护理人力投入');
    const tooLong = await call('POST', `/api/rounds/${r.body.id}/quotes`, { ...body, institutionCode: hospitals[1], reason: '理'.repeat(2001) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.details[0].path).toBe('body.reason');
    expect((await call('GET', `/api/rounds/${r.body.id}/quotes`)).body.map((q: { reason: string | null }) => q.reason)).toEqual(['新增一次性耗材与护理人力投入']);
  });

  it('refuses quotes on a locked round', async () => {
    const hist = (await call('GET', `/api/rounds?region=${SUZHOU}&kind=historic&year=2023`)).body[0];
    const r = await call('POST', `/api/rounds/${hist.id}/quotes/select`, { budgetFen: 0 });
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('ROUND.LOCKED');
  });
});
