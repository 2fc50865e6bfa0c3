import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/app';
import { useTestDatabase } from '../support/db';
import { caller } from '../support/http';
import { describeAnswers, ok, Traffic, UNAVAILABLE } from '../support/traffic';

/**
 * The API while its database connections are cut under it (pg_terminate_backend on every backend of its database, as
 * an administrator or a failover does): every answer is 2xx or 503 DATABASE.UNAVAILABLE with Retry-After, never a
 * 500; a request sent after the cut is answered 2xx again within 5 s; and every write the API acknowledged with a
 * 2xx is in the database afterwards.
 */

const SUZHOU = '320500';
const KEY_INDICATORS = 'medical_total_cost_growth,fund_reserve_months,cpi_growth';
/** Cuts during the traffic, and the time between them. */
const CUTS = 5;
const CUT_EVERY_MS = 600;
const RECOVERY_MS = 5_000;

const TERMINATE = 'select pg_terminate_backend(pid) as done from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()';

describe('reliability when the database connections are terminated', () => {
  const db = useTestDatabase({ demo: true });
  let app: INestApplication;
  let base = '';
  const call = caller(() => base);
  let roundId: number;
  let historicScenario: number;
  let scenarioId: number;
  /** cells of 苏州's price list (item, level, price in force) to set one by one */
  let cells: { itemCode: string; level: number; priceFen: number }[];
  let killer: Client;

  /** Terminates every other backend of the test database; how many. */
  const cut = async () => (await killer.query(TERMINATE, [db().name])).rows.filter((r) => r.done).length;
  /** Waits (10 s at most) until the API holds a connection again, so that the next cut has one to cut. */
  const apiConnected = async () => {
    for (let i = 0; i < 200; i++) {
      const r = await killer.query(`select count(*)::int as n from pg_stat_activity where datname = $1 and application_name = 'mspr'`, [db().name]);
      if (r.rows[0].n > 0) return;
      await new Promise((done) => setTimeout(done, 50));
    }
  };

  beforeAll(async () => {
    // the test's own pool loses its idle connections at every cut too
    db().pool.on('error', () => undefined);
    ({ app, base } = await startTestApp(db().url));
    killer = new Client({ connectionString: db().url });
    await killer.connect();
    const r = await call('POST', '/api/rounds', {
      regionCode: SUZHOU, year: 2025, name: '可靠性测试轮次', effectiveDate: '2025-01-01', params: { changeCap: 0.3 },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    roundId = r.body.id;
    const s = await call('POST', `/api/rounds/${roundId}/scenarios`, { name: '可靠性测试方案' });
    expect(s.status, JSON.stringify(s.body)).toBe(201);
    scenarioId = s.body.id;
    historicScenario = (await call('GET', `/api/rounds?region=${SUZHOU}&kind=historic&year=2023`)).body[0].approvedScenarioId;
    cells = (await db().pool.query(
      `select distinct on (item_code, hospital_level) item_code as "itemCode", hospital_level::int as level, price_fen::int as "priceFen"
         from price where region_code = $1 and valid_from <= '2024-12-31' and price_fen >= 1000
        order by item_code, hospital_level, valid_from desc limit 2000`,
      [SUZHOU],
    )).rows;
    expect(cells.length).toBeGreaterThan(500);
  });
  afterAll(async () => {
    await killer?.end();
    await app?.close();
  });

  it('answers 2xx or 503 DATABASE.UNAVAILABLE, recovers within 5 s and keeps every acknowledged write', async () => {
    const t = new Traffic(call);
    // ---- readers: what the overview page asks, and two scenarios' impact
    const reads = [
      '/api/health',
      '/api/regions?pilot=true',
      `/api/rounds?region=${SUZHOU}`,
      `/api/regions/${SUZHOU}/indicators?codes=${KEY_INDICATORS}`,
      `/api/scenarios/${historicScenario}/impact`,
      `/api/scenarios/${scenarioId}/impact`,
      `/api/rounds/${roundId}/scenarios`,
    ];
    for (let c = 0; c < 6; c++) {
      let i = c;
      t.loop(() => t.send('read', 'GET', reads[i++ % reads.length]));
    }

    // ---- writers, each remembering what was acknowledged
    const created: { id: number; name: string }[] = [];
    let n = 0;
    t.loop(async () => {
      const name = `可靠性方案 ${++n}`;
      const r = await t.send('create scenario', 'POST', `/api/rounds/${roundId}/scenarios`, { name });
      if (ok(r)) created.push({ id: r.body.id, name });
    });

    const setCells: { itemCode: string; level: number; newPriceFen: number }[] = [];
    let version: number | null = null;
    let next = 0;
    t.loop(async () => {
      if (version === null) {
        // the version is unknown after a failed write (it may have been saved): read it again
        const g = await t.send('read scenario', 'GET', `/api/scenarios/${scenarioId}`);
        if (ok(g)) version = g.body.version;
        return;
      }
      const c = cells[next++ % cells.length];
      const set = { itemCode: c.itemCode, level: c.level, newPriceFen: c.priceFen + 100 };
      const r = await t.send('patch changes', 'PATCH', `/api/scenarios/${scenarioId}/changes`, { version, set: [set] });
      if (ok(r)) {
        version = r.body.version;
        setCells.push(set);
      } else version = null;
    });

    const renamed: { version: number; name: string }[] = [];
    let roundVersion: number | null = null;
    let k = 0;
    t.loop(async () => {
      if (roundVersion === null) {
        const g = await t.send('read round', 'GET', `/api/rounds/${roundId}`);
        if (ok(g)) roundVersion = g.body.version;
        return;
      }
      const name = `可靠性测试轮次 ${++k}`;
      const r = await t.send('rename round', 'PATCH', `/api/rounds/${roundId}`, { version: roundVersion, name });
      if (ok(r)) {
        roundVersion = r.body.version;
        renamed.push({ version: r.body.version, name });
      } else roundVersion = null;
    });

    // ---- the cuts
    const cuts: { at: number; terminated: number }[] = [];
    await new Promise((r) => setTimeout(r, 800));
    for (let i = 0; i < CUTS; i++) {
      await apiConnected();
      const terminated = await cut();
      cuts.push({ at: t.now(), terminated });
      await new Promise((r) => setTimeout(r, CUT_EVERY_MS));
    }
    // then on until every writer had a write acknowledged after the last cut (on a busy machine, a while)
    const acked = [created.length, setCells.length, renamed.length];
    await t.settle(() => created.length > acked[0] && setCells.length > acked[1] && renamed.length > acked[2], 1_500, 30_000);
    await t.stop();

    // every answer 2xx or 503 with the code and Retry-After; never a 500, never no answer
    expect(t.unexpected(), describeAnswers(t.unexpected())).toEqual([]);
    for (const a of t.answers.filter((x) => x.status === 503)) expect(a.code).toBe(UNAVAILABLE);
    // every cut did cut the API's connections, and a request sent after it was answered 2xx within 5 s
    for (const c of cuts) {
      expect(c.terminated).toBeGreaterThan(0);
      expect(t.recoveryAfter(c.at), `recovery after the cut at ${c.at.toFixed(0)} ms:\n${describeAnswers(t.answers)}`).toBeLessThanOrEqual(RECOVERY_MS);
    }
    const last = cuts[cuts.length - 1].at;
    const afterLast = t.answers.filter((a) => a.start > last + RECOVERY_MS / 5);
    expect(afterLast.length).toBeGreaterThan(0);

    // every acknowledged write is in the database
    expect(created.length).toBeGreaterThan(0);
    expect(setCells.length).toBeGreaterThan(0);
    expect(renamed.length).toBeGreaterThan(0);
    const pool = db().pool;
    const rows = (await pool.query('select id::int as id, name from scenario where id = any($1::bigint[]) order by id', [created.map((c) => c.id)])).rows;
    expect(rows).toEqual([...created].sort((a, b) => a.id - b.id));
    const saved = (await pool.query(
      `select item_code as "itemCode", hospital_level::int as level, new_price_fen::int as "newPriceFen" from scenario_change where scenario_id = $1`,
      [scenarioId],
    )).rows as typeof setCells;
    const savedKeys = new Set(saved.map((c) => `${c.itemCode}|${c.level}|${c.newPriceFen}`));
    expect(setCells.filter((c) => !savedKeys.has(`${c.itemCode}|${c.level}|${c.newPriceFen}`))).toEqual([]);
    const round = (await pool.query('select version, name from round where id = $1', [roundId])).rows[0] as { version: number; name: string };
    const lastRename = renamed[renamed.length - 1];
    expect(round.version).toBeGreaterThanOrEqual(lastRename.version);
    // a later rename may have been saved without its answer arriving; with no later one the last acknowledged name stands
    if (round.version === lastRename.version) expect(round.name).toBe(lastRename.name);
  });

  it('keeps serving after its idle pooled connections are terminated (no crash, no error answer)', async () => {
    // several connections in the pool, then idle
    const warm = await Promise.all(Array.from({ length: 8 }, () => call('GET', `/api/rounds?region=${SUZHOU}`)));
    expect(warm.map((r) => r.status)).toEqual(Array(8).fill(200));
    await new Promise((r) => setTimeout(r, 100));
    expect(await cut()).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300));
    // the pool dropped the broken connections: reads and a write are answered as if nothing happened
    for (const p of ['/api/health', '/api/regions?pilot=true', `/api/scenarios/${scenarioId}/impact`]) {
      const r = await call('GET', p);
      expect(r.status, `${p}: ${JSON.stringify(r.body).slice(0, 300)}`).toBe(200);
    }
    const w = await call('POST', `/api/rounds/${roundId}/scenarios`, { name: '空闲连接中断之后' });
    expect(w.status, JSON.stringify(w.body)).toBe(201);
    expect((await db().pool.query('select count(*)::int as n from scenario where id = $1', [w.body.id])).rows[0].n).toBe(1);
  });
});
