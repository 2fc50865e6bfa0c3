// npm run bench -- engine: the analytical engine on national-scale data, in a scratch database created (and dropped)
// for the run — scenario impact for 10,000 changed rows beside DuckDB running the same aggregate in-process, trigger
// evaluation for every provincial region, and the optimiser on 10,000 rows.
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import pino from 'pino';
import { createApp } from '../../api/src/app';
import { loadConfig } from '../../api/src/config/config';
import { optimisePrices, type OptimiserItem, type OptimiserSettings } from '../../api/src/domain/optimiser';
import { analyzeImpact, type ImpactItem } from '../../api/src/domain/pricing';
import { CATEGORIES, type CategoryFamily, type HospitalLevel } from '../../api/src/domain/reference';
import { dataRequirements, evaluateRuleSet, HUNAN_2021, type IndicatorValue, type TriggerResult } from '../../api/src/domain/triggers';
import { BaseDataCache } from '../../api/src/facts/region-facts.cache';
import { ImpactService } from '../../api/src/impact/impact.service';
import { HighsSolverProvider } from '../../api/src/scenarios/optimise.highs';
import { PricingDataRepository } from '../../api/src/facts/pricing-data.repository';
import { FundShares } from '../../api/src/domain/pricing/fund-share';
import { ScenariosService } from '../../api/src/scenarios/scenarios.service';
import type { Bench } from './bench';
import { withScratchDatabase } from './scratch';
import { BASE_YEAR, CHANGES, ITEMS, ROUND_PARAMS, ROUND_YEAR, seed } from './engine/data';
import { duckSide, fundShareRows, postgresAggregate, toAggregateRows, type AggregateRow } from './engine/duck';
import { nationalImpactBench } from './engine/national-impact';
import { benchSignIn } from './session';
import { sessionHeaders } from '../support/http';

const DEFAULT_RUNS = 30;
const OPTIMISER_RUNS = 5;
const DEFAULT_REGION = '430000';
const GOALS = { impactRatio: 1.5, impactMs: 150, triggersMs: 100, optimiserMs: 2000 };

const USAGE = `npm run bench -- engine [--runs N] [--synthetic [--keep] [--region CODE]]
  --runs       timed runs of each measurement after a warm-up (default ${DEFAULT_RUNS}; the optimiser ${OPTIMISER_RUNS})
  (default)    the impact on the generator's national dataset (31 regions × 10,000 items, 140 institutions per
               region; kept in the database mspr_bench_national, loaded through the ETL on the first run), timed
               after an edit of one row before every timed call, as a user meets it
  --synthetic  a scratch database seeded in SQL (31 regions × ${ITEMS.toLocaleString('en')} items, ${3 * 3} institutions per region, indicators and
               costs) for the impact, the trigger evaluation of every region and the optimiser
  --keep       keep the scratch database (its name is printed)
  --region     provincial region of the synthetic round and scenario (default ${DEFAULT_REGION})
  Uses DATABASE_URL, else the embedded server.`;

const now = () => Number(process.hrtime.bigint()) / 1e6;

/** Nearest-rank percentile of milliseconds. */
function pct(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

interface Timing {
  p50: number;
  p95: number;
  runs: number;
}

/** Times several functions in turn within each run (after `warmup` untimed rounds): one Timing per function. */
async function timeInTurn(runs: number, warmup: number, fs: (() => Promise<unknown> | unknown)[]): Promise<Timing[]> {
  for (let i = 0; i < warmup; i++) for (const f of fs) await f();
  const ms: number[][] = fs.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (let j = 0; j < fs.length; j++) {
      const t0 = now();
      await fs[j]!();
      ms[j]!.push(now() - t0);
    }
  }
  return ms.map((m) => ({ p50: pct(m, 50), p95: pct(m, 95), runs }));
}

async function time(runs: number, warmup: number, f: () => Promise<unknown> | unknown): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await f();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = now();
    await f();
    ms.push(now() - t0);
  }
  return { p50: pct(ms, 50), p95: pct(ms, 95), runs };
}

/** Untimed runs before the timed ones of the impact, its DuckDB reference and its SQL aggregate (the same for each). */
const WARMUP = 10;

const FAMILY_OF = new Map(CATEGORIES.map((c) => [c.code, c.family]));

/** The signed-in benchmark's headers for a request (set once the app is up). */
let signedIn: (method: string) => Record<string, string> = () => ({});

async function getJson(url: string, init: RequestInit = {}): Promise<unknown> {
  const r = await fetch(url, { ...init, headers: { ...signedIn(init.method ?? 'GET'), ...(init.headers as Record<string, string> | undefined) } });
  const body = await r.text();
  if (!r.ok) throw new Error(`${init?.method ?? 'GET'} ${new URL(url).pathname}: HTTP ${r.status} ${body.slice(0, 500)}`);
  return JSON.parse(body) as unknown;
}

interface Line {
  metric: string;
  ours: Timing;
  reference?: { label: string; p50: number; p95: number };
  goal?: string;
  met?: boolean;
}

async function runEngine(argv: string[]): Promise<number> {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string', default: String(DEFAULT_RUNS) },
      keep: { type: 'boolean', default: false },
      synthetic: { type: 'boolean', default: false },
      region: { type: 'string', default: DEFAULT_REGION },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (v.help) {
    console.log(USAGE);
    return 0;
  }
  const runs = Number(v.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive whole number: ${v.runs}`);
  const region = v.region!;
  if (!/^\d{2}0000$/.test(region)) throw new Error(`--region must be a provincial region code: ${region}`);
  const log = (s: string) => process.stderr.write(`[bench engine] ${s}\n`);
  if (!v.synthetic) return nationalImpactBench(runs, log);

  let app: INestApplication | null = null;
  let pg: Client | null = null;
  return withScratchDatabase('mspr_bench_engine', v.keep === true, log, async ({ url, mode }) => {
    const handle = { mode };
    try {
      // ---- preparation (not part of the figures)
      const t0 = now();
      pg = new Client({ connectionString: url });
      await pg.connect();
      const server = (await pg.query<{ v: string }>("select current_setting('server_version') as v")).rows[0].v;
      const need = dataRequirements(HUNAN_2021, ROUND_YEAR);
      log(`seeding: ${need.indicators.length} indicators for the 湖南 preset (${need.fromYear}–${need.toYear})`);
      const seeded = await seed(pg, region, need.indicators, log);
      const prepareSeconds = (now() - t0) / 1000;
      log(`prepared in ${prepareSeconds.toFixed(1)} s`);

      const appConfig = loadConfig({ DATABASE_URL: url, NODE_ENV: 'production', DEMO_DATA: 'false' });
      app = await createApp({ config: appConfig, databaseUrl: url, databaseMode: 'server', logger: pino({ level: 'silent' }) });
      await app.listen(0, '127.0.0.1');
      const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      const session = await benchSignIn(app, base);
      signedIn = (method) => sessionHeaders(session, method);
      const lines: Line[] = [];

      // ---- 1. impact of 10,000 changed rows
      log(`impact: GET /api/scenarios/${seeded.scenarioId}/impact, ImpactService.impact and DuckDB in turn × ${runs}`);
      const impactUrl = `${base}/api/scenarios/${seeded.scenarioId}/impact`;
      // the first request reads the region's facts into the cache (once per data revision); later ones compute on them
      const coldT0 = now();
      const api = (await getJson(impactUrl)) as { summary: { netFen: number; grossUpFen: number; grossDownFen: number; fundFen: number; rowCount: number; changedRowCount: number }; priceDate: string };
      const coldMs = now() - coldT0;
      const responseBytes = Buffer.byteLength(await (await fetch(impactUrl, { headers: signedIn('GET') })).text());
      // HTTP, the service alone and DuckDB on the same inputs, timed in turn within each run, so that a change in the
      // machine's speed while the bench runs (a shared machine) weighs on all three alike
      const service = app.get(ImpactService, { strict: false });
      log('impact: DuckDB in-process, same inputs');
      const duck = await duckSide(pg, region, api.priceDate, seeded.scenarioId, BASE_YEAR);
      const duckRows = await duck.run();
      const [http, direct, duckT] = await timeInTurn(runs, WARMUP, [() => getJson(impactUrl), () => service.impact(seeded.scenarioId), () => duck.run()]);
      duck.close();

      // where the time goes: each read of the service alone, then the row building and analyzeImpact
      const repo = app.get(PricingDataRepository, { strict: false });
      const priceDate = api.priceDate;
      const readRuns = Math.max(5, Math.min(runs, 10));
      const cache = app.get(BaseDataCache, { strict: false });
      const scenariosService = app.get(ScenariosService, { strict: false });
      const perRequest: { name: string; p50: number }[] = [
        { name: 'data revision (count of data_change)', p50: (await time(readRuns, 1, () => cache.revision())).p50 },
        { name: 'scenario and round', p50: (await time(readRuns, 1, () => scenariosService.headContext(seeded.scenarioId))).p50 },
      ];
      const reads: [string, () => Promise<unknown>][] = [
        ['regionItems', () => repo.regionItems(region)],
        ['pricesInForce', () => repo.pricesInForce(region, priceDate)],
        ['publicLevelVolumes', () => repo.publicLevelVolumes(region, BASE_YEAR)],
        ['costs', () => repo.costs(region, BASE_YEAR)],
        ['scenario changes', () => pg!.query('select item_code, hospital_level, old_price_fen, new_price_fen, reason from scenario_change where region_code = $1 and scenario_id = $2', [region, seeded.scenarioId])],
        ['institutions', () => repo.institutions(region)],
        ['publicInstitutionVolumes', () => repo.publicInstitutionVolumes(region, BASE_YEAR)],
        [`otherRegionPrices`, () => repo.otherRegionPrices(region, priceDate)],
      ];
      const phases: { name: string; p50: number; rows: number }[] = [];
      for (const [name, f] of reads) {
        const rows = (await f()) as unknown[] | { rows: unknown[] };
        const n = Array.isArray(rows) ? rows.length : rows.rows.length;
        phases.push({ name, p50: (await time(readRuns, 1, f)).p50, rows: n });
      }
      // analyzeImpact on the rows the service builds (built here the same way)
      const [items, prices, volumes, costs] = await Promise.all([
        repo.regionItems(region),
        repo.pricesInForce(region, priceDate),
        repo.publicLevelVolumes(region, BASE_YEAR),
        repo.costs(region, BASE_YEAR),
      ]);
      const changes = (await pg.query<{ item_code: string; hospital_level: number; o: number; n: number }>(
        'select item_code, hospital_level::int as hospital_level, old_price_fen::float8 as o, new_price_fen::float8 as n from scenario_change where scenario_id = $1',
        [seeded.scenarioId],
      )).rows;
      const shares = new FundShares(new Map(), undefined);
      const buildRows = (): ImpactItem[] => {
        const info = new Map(items.map((i) => [i.itemCode, i]));
        const q = new Map(volumes.map((x) => [`${x.itemCode}|${x.level}`, x.quantity]));
        const cost = new Map(costs.map((c) => [c.itemCode, c]));
        const byKey = new Map<string, { old: number; neu: number }>();
        for (const p of prices) byKey.set(`${p.itemCode}|${p.level}`, { old: p.priceFen, neu: p.priceFen });
        for (const c of changes) byKey.set(`${c.item_code}|${c.hospital_level}`, { old: c.o, neu: c.n });
        const out: ImpactItem[] = [];
        for (const [key, x] of byKey) {
          const [itemCode, lv] = key.split('|');
          const level = Number(lv) as HospitalLevel;
          const it = info.get(itemCode);
          const categoryCode = it?.categoryCode ?? 'uncategorised';
          const c = cost.get(itemCode);
          out.push({
            itemCode, name: it?.name ?? itemCode, categoryCode, family: it?.family ?? FAMILY_OF.get(categoryCode) ?? 'mixed', level,
            oldPriceFen: x.old, newPriceFen: x.neu, quantity: q.get(key) ?? 0, fundShare: shares.of(it?.paymentClass ?? null, level).share,
            unitCostFen: c ? c.unitCostFen : null, labourShare: it?.labourShare ?? (c && c.unitCostFen > 0 ? Math.min(1, c.labourFen / c.unitCostFen) : null),
          });
        }
        return out;
      };
      const impactRows = buildRows();
      const params = { changeCap: ROUND_PARAMS.changeCap, itemShareFloor: ROUND_PARAMS.itemShareFloor };
      phases.push({ name: 'rows built from those reads (maps)', p50: (await time(readRuns, 1, buildRows)).p50, rows: impactRows.length });
      phases.push({ name: 'analyzeImpact', p50: (await time(readRuns, 1, () => analyzeImpact(impactRows, ROUND_PARAMS.totalFen, params))).p50, rows: impactRows.length });

      const pgAggSql = postgresAggregate();
      const pgAggArgs = [region, priceDate, seeded.scenarioId, BASE_YEAR, JSON.stringify(fundShareRows().map((f) => ({ payment_class: f.paymentClass, level: f.level, share: f.share })))];
      const pgAgg = async () => toAggregateRows((await pg!.query({ text: pgAggSql, values: pgAggArgs, rowMode: 'array' })).rows as unknown[][]);
      const pgRows = await pgAgg();
      const pgAggT = await time(runs, WARMUP, pgAgg);
      const total = (rs: AggregateRow[]) => rs.find((r) => r.category === null && r.level === null)!;
      const dt = total(duckRows);
      const pt = total(pgRows);
      const agree = dt.netFen === api.summary.netFen && pt.netFen === api.summary.netFen && dt.upFen === api.summary.grossUpFen && dt.rows === api.summary.rowCount;
      if (!agree) log(`warning: totals differ — API net ${api.summary.netFen}, up ${api.summary.grossUpFen}, rows ${api.summary.rowCount}; DuckDB net ${dt.netFen}, up ${dt.upFen}, rows ${dt.rows}; PostgreSQL SQL net ${pt.netFen}`);
      lines.push({
        metric: `impact, ${CHANGES.toLocaleString('en')} changed rows, unchanged between calls (HTTP; a kept answer)`, ours: http,
        reference: { label: 'DuckDB', p50: duckT.p50, p95: duckT.p95 },
        goal: `≤ ${GOALS.impactRatio}× DuckDB, ≤ ${GOALS.impactMs} ms`,
        met: http.p50 <= GOALS.impactMs && http.p50 / duckT.p50 <= GOALS.impactRatio,
      });
      lines.push({ metric: '  the same, ImpactService.impact (no HTTP)', ours: direct, reference: { label: 'DuckDB', p50: duckT.p50, p95: duckT.p95 } });
      lines.push({ metric: '  first request after a data change (reads the facts)', ours: { p50: coldMs, p95: coldMs, runs: 1 } });
      lines.push({ metric: '  the aggregate alone, PostgreSQL SQL', ours: pgAggT, reference: { label: 'DuckDB', p50: duckT.p50, p95: duckT.p95 } });

      // ---- 2. triggers: 湖南 preset, every region, year 2025
      log(`triggers: ${seeded.regions.length} regions × ${runs}`);
      const valuesSql = `select region_code as "regionCode", indicator_code as indicator, period, value::float8 as value, unit, source,
                release_type as "releaseType", is_generated as "isGenerated"
           from indicator_value
          where region_code = any($1::text[]) and indicator_code = any($2::text[]) and left(period, 4) between $3 and $4
          order by region_code, indicator_code, period, release_type`;
      const evaluateAll = async (): Promise<TriggerResult[]> => {
        const rows = (await pg!.query<IndicatorValue>(valuesSql, [seeded.regions, need.indicators, String(need.fromYear), String(need.toYear)])).rows;
        const byRegion = new Map<string, IndicatorValue[]>();
        for (const r of rows) {
          const l = byRegion.get(r.regionCode);
          if (l) l.push(r);
          else byRegion.set(r.regionCode, [r]);
        }
        return seeded.regions.map((code) => evaluateRuleSet(HUNAN_2021, { regionCode: code, year: ROUND_YEAR, kind: 'regular', values: byRegion.get(code) ?? [] }));
      };
      const results = await evaluateAll();
      const statuses: Record<string, number> = {};
      for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      const triggers = await time(runs, 2, evaluateAll);
      const evalOnlyValues = (await pg.query<IndicatorValue>(valuesSql, [seeded.regions, need.indicators, String(need.fromYear), String(need.toYear)])).rows;
      const evalOnly = await time(runs, 2, () => seeded.regions.map((code) => evaluateRuleSet(HUNAN_2021, { regionCode: code, year: ROUND_YEAR, kind: 'regular', values: evalOnlyValues.filter((x) => x.regionCode === code) })));
      lines.push({ metric: `triggers, 湖南 preset, ${seeded.regions.length} regions (1 SQL + evaluate)`, ours: triggers, goal: `≤ ${GOALS.triggersMs} ms`, met: triggers.p50 <= GOALS.triggersMs });
      lines.push({ metric: '  evaluateRuleSet alone', ours: evalOnly });
      const presetId = Number((await pg.query<{ id: string }>('select id from rule_set where is_preset and name = $1', [HUNAN_2021.name])).rows[0].id);
      const evaluateHttp = async () => {
        for (const code of seeded.regions) {
          await getJson(`${base}/api/rule-sets/evaluate`, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ruleSetId: presetId, regionCode: code, year: ROUND_YEAR }),
          });
        }
      };
      const triggersHttp = await time(runs, 2, evaluateHttp);
      lines.push({ metric: `  per request: POST /api/rule-sets/evaluate × ${seeded.regions.length}`, ours: triggersHttp });

      // ---- 3. optimiser: the 10,000 rows of the scenario (price, cost, volume, family)
      log(`optimiser: ${CHANGES.toLocaleString('en')} rows × ${OPTIMISER_RUNS}`);
      const changedKeys = new Set(changes.map((c) => `${c.item_code}|${c.hospital_level}`));
      const optItems: OptimiserItem[] = impactRows
        .filter((r) => changedKeys.has(`${r.itemCode}|${r.level}`))
        .map((r) => ({ itemCode: r.itemCode, name: r.name, level: r.level, categoryCode: r.categoryCode, family: r.family as CategoryFamily, oldPriceFen: r.oldPriceFen, quantity: r.quantity, unitCostFen: r.unitCostFen, labourShare: r.labourShare }))
        .sort((a, b) => (a.itemCode < b.itemCode ? -1 : a.itemCode > b.itemCode ? 1 : b.level - a.level));
      const optBase = optItems.reduce((s, r) => s + r.oldPriceFen * r.quantity, 0);
      const settings: OptimiserSettings = {
        totalFen: Math.round(optBase * 0.01), changeCap: ROUND_PARAMS.changeCap, itemShareFloor: ROUND_PARAMS.itemShareFloor,
        labourRuleShare: 0.6, labourItemThreshold: 0.6, targetRecovery: 1, minNetFen: null,
      };
      const solver = await new HighsSolverProvider().solver();
      const first = optimisePrices(optItems, settings, solver);
      const opt = await time(OPTIMISER_RUNS, 1, () => optimisePrices(optItems, settings, solver));
      lines.push({ metric: `optimiser, ${optItems.length.toLocaleString('en')} rows (HiGHS)`, ours: opt, goal: `≤ ${GOALS.optimiserMs} ms`, met: opt.p50 <= GOALS.optimiserMs });

      // ---- report
      const f1 = (n: number) => n.toFixed(1);
      const table = lines.map((l) => {
        const ratio = l.reference ? `${(l.ours.p50 / l.reference.p50).toFixed(2)}×` : '';
        return `  ${l.metric.padEnd(52)} ${f1(l.ours.p50).padStart(9)} ${f1(l.ours.p95).padStart(9)}   ${(l.reference ? `${l.reference.label} ${f1(l.reference.p50)}` : '').padEnd(14)} ${ratio.padStart(7)}   ${(l.goal ?? '').padEnd(24)} ${l.met === undefined ? '' : l.met ? 'yes' : 'no'}`;
      });
      console.log(`
  Engine benchmark — PostgreSQL ${server} (${handle.mode}), ${os.cpus().length} cores, Node ${process.version}; runs ${runs} (optimiser ${OPTIMISER_RUNS}), ms
    data: ${seeded.regions.length} regions × ${ITEMS.toLocaleString('en')} items; ${Object.entries(seeded.rows).map(([k, n]) => `${k} ${n.toLocaleString('en')}`).join(', ')}; prepared in ${prepareSeconds.toFixed(1)} s (not timed)
    ${'metric'.padEnd(52)} ${'ours p50'.padStart(9)} ${'p95'.padStart(9)}   ${'reference p50'.padEnd(14)} ${'ratio'.padStart(7)}   ${'goal'.padEnd(24)} met?
  ${table.join('\n')}
    impact: region ${region}, ${api.summary.rowCount.toLocaleString('en')} rows of which ${api.summary.changedRowCount.toLocaleString('en')} changed; net ${api.summary.netFen} fen — DuckDB ${dt.netFen}, PostgreSQL SQL ${pt.netFen} (${agree ? 'agree' : 'DIFFER'}); DuckDB p95 ${f1(duckT.p95)}, inputs ${Object.entries(duck.inputRows).map(([k, n]) => `${k} ${n}`).join(', ')}
    an impact request reads (p50 of each alone, ms): ${perRequest.map((p) => `${p.name} ${f1(p.p50)}`).join(', ')}; the rest is computed in memory; the response is ${(responseBytes / 1024).toFixed(0)} KiB of JSON
    what the first request after a data change reads, and the in-memory steps (p50 of each part alone, ms):
  ${phases.map((p) => `    ${p.name.padEnd(36)} ${f1(p.p50).padStart(8)}   ${p.rows.toLocaleString('en')} rows`).join('\n')}
    triggers: ${Object.entries(statuses).map(([k, n]) => `${k} ${n}`).join(', ')}; ${evalOnlyValues.length} indicator values
    optimiser: ${first.status}${first.status === 'optimal' ? `, ${first.changes.length} rows changed, net ${first.summary.netFen} of ${settings.totalFen} fen` : ''}
  `);
      console.log(JSON.stringify({
        bench: 'engine', server, mode: handle.mode, cores: os.cpus().length, node: process.version, runs, prepareSeconds: +prepareSeconds.toFixed(1),
        data: { regions: seeded.regions.length, items: ITEMS, rows: seeded.rows },
        impact: {
          httpMs: { p50: +f1(http.p50), p95: +f1(http.p95) }, serviceMs: { p50: +f1(direct.p50), p95: +f1(direct.p95) },
          duckdbMs: { p50: +f1(duckT.p50), p95: +f1(duckT.p95) }, postgresAggregateMs: { p50: +f1(pgAggT.p50), p95: +f1(pgAggT.p95) },
          ratio: +(http.p50 / duckT.p50).toFixed(2), agree, firstRequestMs: +f1(coldMs), perRequestMs: Object.fromEntries(perRequest.map((p) => [p.name, +f1(p.p50)])), phasesMs: Object.fromEntries(phases.map((p) => [p.name, +f1(p.p50)])),
          goals: { ratio: GOALS.impactRatio, p50Ms: GOALS.impactMs }, met: lines[0].met,
        },
        triggers: { regions: seeded.regions.length, ms: { p50: +f1(triggers.p50), p95: +f1(triggers.p95) }, evaluateOnlyMs: +f1(evalOnly.p50), httpMs: { p50: +f1(triggersHttp.p50), p95: +f1(triggersHttp.p95) }, statuses, goalMs: GOALS.triggersMs, met: triggers.p50 <= GOALS.triggersMs },
        optimiser: { rows: optItems.length, status: first.status, ms: { p50: +f1(opt.p50), p95: +f1(opt.p95) }, goalMs: GOALS.optimiserMs, met: opt.p50 <= GOALS.optimiserMs },
      }));
      return 0;
    } finally {
      await app?.close().catch(() => undefined);
      await pg?.end().catch(() => undefined);
    }
  });
}

export const engineBench: Bench = {
  summary: 'scenario impact (vs DuckDB in-process), trigger evaluation for all regions and the optimiser, national scale',
  usage: USAGE,
  run: runEngine,
};
