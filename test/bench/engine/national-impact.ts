// The impact as a user meets it, on the generator's national dataset: before every timed call one row of the
// scenario is edited (PATCH, untimed), so each timed impact computes a scenario it has not seen; DuckDB runs the same
// aggregate in-process on a copy of the same inputs with the same edit applied, timed in turn with the API.
import os from 'node:os';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import pino from 'pino';
import { createApp } from '../../../api/src/app';
import { loadConfig } from '../../../api/src/config/config';
import { ImpactService } from '../../../api/src/impact/impact.service';
import { ScenariosService } from '../../../api/src/scenarios/scenarios.service';
import { apiCaller, BENCH_CHANGES, BENCH_REGION, benchRound, nationalDatabase } from '../national';
import { duckSide } from './duck';
import { benchSignIn } from '../session';

const BASE_YEAR = 2022;
const WARMUP = 10;
const GOALS = { ratio: 1.5, ms: 150 };

const now = () => performance.now();

function pct(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

interface Step {
  /** untimed: the edit before the timed call */
  prep: (i: number) => Promise<unknown>;
  run: () => Promise<unknown>;
}

/** Each step's prep then its timed run, in turn within every run (a shared machine's drift weighs on all alike). */
async function inTurn(runs: number, steps: Step[]): Promise<{ p50: number; p95: number }[]> {
  const ms: number[][] = steps.map(() => []);
  for (let i = 0; i < WARMUP + runs; i++) {
    for (let j = 0; j < steps.length; j++) {
      await steps[j].prep(i);
      const t0 = now();
      await steps[j].run();
      if (i >= WARMUP) ms[j].push(now() - t0);
    }
  }
  return ms.map((m) => ({ p50: pct(m, 50), p95: pct(m, 95) }));
}

export async function nationalImpactBench(runs: number, log: (s: string) => void): Promise<number> {
  const national = await nationalDatabase(false, log);
  let app: INestApplication | null = null;
  const pg = new Client({ connectionString: national.url });
  await pg.connect();
  try {
    const server = (await pg.query<{ v: string }>("select current_setting('server_version') as v")).rows[0].v;
    const config = loadConfig({ DATABASE_URL: national.url, NODE_ENV: 'production', DEMO_DATA: 'false' });
    app = await createApp({ config, databaseUrl: national.url, databaseMode: 'server', logger: pino({ level: 'silent' }) });
    await app.listen(0, '127.0.0.1');
    const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    await benchSignIn(app, base);
    const call = apiCaller(base);
    const setup = await benchRound(call, 1, log);
    const id = setup.scenarioIds[0];
    // a fresh app: its first impact reads the facts, as the first request after a load does
    await app.close();
    app = await createApp({ config, databaseUrl: national.url, databaseMode: 'server', logger: pino({ level: 'silent' }) });
    await app.listen(0, '127.0.0.1');
    const base2 = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    await benchSignIn(app, base2);
    const call2 = apiCaller(base2);
    const t0 = now();
    const first = (await call2('GET', `/api/scenarios/${id}/impact`)).body as { summary: { netFen: number; rowCount: number; changedRowCount: number }; priceDate: string };
    const firstMs = now() - t0;
    const bytes = Buffer.byteLength(JSON.stringify(first));

    const service = app.get(ScenariosService, { strict: false });
    const impact = app.get(ImpactService, { strict: false });
    log('DuckDB in-process: copying the same inputs');
    const duck = await duckSide(pg, BENCH_REGION, first.priceDate, id, BASE_YEAR);
    let version = ((await call2('GET', `/api/scenarios/${id}`)).body as { version: number }).version;
    // the edit of run i: row i's new price moved by ±(1 + i mod 7) %
    const rows = (await pg.query<{ item_code: string; level: number; old: number }>(
      'select item_code, hospital_level::int as level, old_price_fen::float8 as old from scenario_change where scenario_id = $1 order by 1, 2', [id],
    )).rows;
    const editOf = (i: number, side: number) => {
      const r = rows[(i * 3 + side * 1009) % rows.length];
      const pctChange = (i % 2 ? 1 : -1) * (1 + (i % 7));
      return { itemCode: r.item_code, level: r.level, pctChange, newFen: Math.sign(r.old * (100 + pctChange)) * Math.round(Math.abs(r.old * (100 + pctChange)) / 100) };
    };
    const patchHttp = async (i: number) => {
      const e = editOf(i, 0);
      version = ((await call2('PATCH', `/api/scenarios/${id}/changes`, { version, set: [{ itemCode: e.itemCode, level: e.level, pctChange: e.pctChange }] })).body as { version: number }).version;
    };
    const patchService = async (i: number) => {
      const e = editOf(i, 1);
      version = (await service.patchChanges(id, { version, set: [{ itemCode: e.itemCode, level: e.level as 1 | 2 | 3, pctChange: e.pctChange }], remove: [] })).version;
    };
    const patchDuck = async (i: number) => {
      const e = editOf(i, 2);
      await duck.edit(e.itemCode, e.level, e.newFen);
    };
    log(`impact after an edit: HTTP, the service alone and DuckDB in turn × ${runs} (after ${WARMUP} untimed)`);
    const [http, direct, duckT] = await inTurn(runs, [
      { prep: patchHttp, run: () => call2('GET', `/api/scenarios/${id}/impact`) },
      { prep: patchService, run: () => impact.impact(id) },
      { prep: patchDuck, run: () => duck.run() },
    ]);
    // what the figures compute: the same totals on the same state
    const api = (await call2('GET', `/api/scenarios/${id}/impact`)).body as { summary: { netFen: number; rowCount: number } };
    const stateRows = (await pg.query<{ item_code: string; level: number; n: number }>('select item_code, hospital_level::int as level, new_price_fen::float8 as n from scenario_change where scenario_id = $1', [id])).rows;
    for (const r of stateRows) await duck.edit(r.item_code, r.level, r.n);
    const duckTotal = (await duck.run()).find((r) => r.category === null && r.level === null)!;
    const agree = duckTotal.netFen === api.summary.netFen && duckTotal.rows === api.summary.rowCount;
    const unchanged = await inTurn(runs, [{ prep: async () => undefined, run: () => call2('GET', `/api/scenarios/${id}/impact`) }]);
    duck.close();

    const f1 = (n: number) => n.toFixed(1);
    const ratio = http.p50 / duckT.p50;
    const met = http.p50 <= GOALS.ms && ratio <= GOALS.ratio;
    console.log(`
  Engine benchmark (national) — PostgreSQL ${server} (${national.mode}), ${os.cpus().length} cores, Node ${process.version}; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}
    data: the generator's national dataset (${Object.entries(national.rows).map(([k, n]) => `${k} ${n.toLocaleString('en')}`).join(', ')}); region ${BENCH_REGION}, base year ${BASE_YEAR}
    scenario: ${first.summary.changedRowCount.toLocaleString('en')} changed rows of ${first.summary.rowCount.toLocaleString('en')}; before every timed call one row is edited (untimed), so each call computes a new state
    both sides compute Σ ΔP·Q up / down / net and the fund part by category, by level and in all over the same rows; the API also computes
    the checks, labour share, payment-class groups and 医疗服务收入占比, and answers JSON over HTTP (${(bytes / 1024).toFixed(0)} KiB, the summary)
    ${'metric'.padEnd(46)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}
    ${'impact after an edit, HTTP'.padEnd(46)} ${f1(http.p50).padStart(8)} ${f1(http.p95).padStart(8)}   ${ratio.toFixed(2)}× DuckDB (goal ≤ ${GOALS.ratio}×, ≤ ${GOALS.ms} ms: ${met ? 'yes' : 'NO'})
    ${'  the same, ImpactService.impact (no HTTP)'.padEnd(46)} ${f1(direct.p50).padStart(8)} ${f1(direct.p95).padStart(8)}
    ${'  DuckDB in-process, the aggregate'.padEnd(46)} ${f1(duckT.p50).padStart(8)} ${f1(duckT.p95).padStart(8)}
    ${'impact of an unchanged scenario (kept answer)'.padEnd(46)} ${f1(unchanged[0].p50).padStart(8)} ${f1(unchanged[0].p95).padStart(8)}
    ${'first impact after the app starts (facts read)'.padEnd(46)} ${f1(firstMs).padStart(8)}
    totals on the final state: API net ${api.summary.netFen} fen, DuckDB ${duckTotal.netFen} (${agree ? 'agree' : 'DIFFER'}); DuckDB inputs ${Object.entries(duck.inputRows).map(([k, n]) => `${k} ${n}`).join(', ')}
    (triggers and the optimiser: npm run bench -- engine --synthetic)
  `);
    console.log(JSON.stringify({
      bench: 'engine', data: 'national', server, mode: national.mode, cores: os.cpus().length, node: process.version, loadAverage: os.loadavg().map((x) => +x.toFixed(2)),
      runs, changes: BENCH_CHANGES, responseKiB: +(bytes / 1024).toFixed(1),
      impactAfterEdit: { httpMs: { p50: +f1(http.p50), p95: +f1(http.p95) }, serviceMs: { p50: +f1(direct.p50), p95: +f1(direct.p95) }, duckdbMs: { p50: +f1(duckT.p50), p95: +f1(duckT.p95) }, ratio: +ratio.toFixed(2), met },
      unchangedMs: { p50: +f1(unchanged[0].p50) }, firstImpactMs: +f1(firstMs), agree,
    }));
    return 0;
  } finally {
    await app?.close().catch(() => undefined);
    await pg.end().catch(() => undefined);
    await national.close();
  }
}
