// The national dataset of the benchmarks that time what users do (load, engine): the generator's national files
// (31 regions × 10,000 items, 4,340 institutions, 31M volume rows), loaded by the ETL into a database kept between
// runs (preparing it takes a few minutes), plus a round of one province with scenarios of 10,000 changed rows made
// through the API as a user would.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Pool } from 'pg';
import { loadConfig } from '../../api/src/config/config';
import { openDatabase, type DatabaseHandle } from '../../api/src/database/connect';
import { createDataSource, migrate } from '../../api/src/database/data-source';
import { loadPath } from '../../etl/src/run';
import { sessionHeaders } from './session';

export const NATIONAL_DIR = 'data/generated/national';
export const NATIONAL_DB = 'mspr_bench_national';
/** The province of the benchmark round (湖南). */
export const BENCH_REGION = '430000';
export const BENCH_ROUND = '基准测试轮次';
/** Rows changed by each benchmark scenario. */
export const BENCH_CHANGES = 10_000;

export interface National {
  url: string;
  mode: DatabaseHandle['mode'];
  /** rows per table, for the report */
  rows: Record<string, number>;
  close(): Promise<void>;
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = '/' + db;
  return u.toString();
}

/**
 * The national database: reused when it holds a completed load of the generator's files (its manifest's checksum in
 * the database comment), else generated (when the files are missing) and loaded through the ETL afresh.
 */
export async function nationalDatabase(rebuild: boolean, log: (s: string) => void): Promise<National> {
  const handle = await openDatabase(loadConfig(), log);
  const url = withDatabase(handle.url, NATIONAL_DB);
  const manifest = path.join(NATIONAL_DIR, 'manifest.json');
  if (!fs.existsSync(manifest)) {
    log(`generating the national dataset into ${NATIONAL_DIR} (about a minute)`);
    const r = spawnSync(process.execPath, ['scripts/run.mjs', 'data/generator/cli.ts', '--scale', 'national', '--out', NATIONAL_DIR], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('npm run data:generate -- --scale national failed');
  }
  const stamp = `mspr national ${fs.statSync(manifest).size}:${fs.statSync(path.join(NATIONAL_DIR, 'volumes.csv')).size}`;
  const admin = new Client({ connectionString: handle.url });
  await admin.connect();
  try {
    const r = await admin.query<{ note: string | null }>(
      `select shobj_description(oid, 'pg_database') as note from pg_database where datname = $1`, [NATIONAL_DB],
    );
    if (rebuild || r.rows[0]?.note !== stamp) {
      log(`loading the national dataset into ${NATIONAL_DB} through the ETL (a few minutes; kept for later runs)`);
      await admin.query(`drop database if exists ${NATIONAL_DB} with (force)`);
      await admin.query(`create database ${NATIONAL_DB}`);
      const ds = createDataSource(url, 1);
      await ds.initialize();
      await migrate(ds);
      await ds.destroy();
      const pool = new Pool({ connectionString: url, max: 2 });
      try {
        const t0 = Date.now();
        const out = await loadPath(pool, NATIONAL_DIR, { user: 'bench', origin: 'generated', dryRun: false, skipInvalid: false, maxErrors: 100 });
        const bad = out.filter((s) => s.status !== 'loaded' && s.status !== 'unchanged');
        if (bad.length) throw new Error(`national load failed: ${bad.map((s) => `${s.file} ${s.status}`).join(', ')}`);
        log(`loaded ${out.length} files in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      } finally {
        await pool.end();
      }
      await admin.query(`comment on database ${NATIONAL_DB} is '${stamp}'`);
    } else {
      // a kept database: the schema of this version
      const ds = createDataSource(url, 1);
      await ds.initialize();
      await migrate(ds);
      await ds.destroy();
    }
  } finally {
    await admin.end();
  }
  const c = new Client({ connectionString: url });
  await c.connect();
  const rows: Record<string, number> = {};
  for (const t of ['region_item', 'price', 'institution', 'volume', 'volume_annual_level']) {
    rows[t] = Number((await c.query(`select reltuples::bigint as n from pg_class where relname = $1`, [t === 'volume' ? 'volume_b' + (await lastVolumeBatch(c)) : t])).rows[0]?.n ?? 0);
  }
  await c.end();
  return { url, mode: handle.mode, rows, close: () => handle.close() };
}

async function lastVolumeBatch(c: Client): Promise<number> {
  const r = await c.query<{ id: string }>(`select max(id) as id from load_batch where kind = 'volumes' and status = 'loaded'`);
  return Number(r.rows[0]?.id ?? 0);
}

type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A JSON caller of the API at `base` that throws on a status other than 2xx. */
export function apiCaller(base: string): Call {
  return async (method, p, body) => {
    const headers = { ...sessionHeaders(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    const r = await fetch(base + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${p}: HTTP ${r.status} ${text.slice(0, 400)}`);
    return { status: r.status, body: text ? JSON.parse(text) : null };
  };
}

export interface BenchRound {
  roundId: number;
  scenarioIds: number[];
  /** the rows every scenario changes: item and level */
  rows: { itemCode: string; level: number; family: string }[];
}

/**
 * The benchmark round of BENCH_REGION (made once, through the API) and `count` scenarios, each with the same
 * BENCH_CHANGES changed rows (labour items +8 %, the others −6 %); scenarios an earlier run made are kept.
 */
export async function benchRound(call: Call, count: number, log: (s: string) => void): Promise<BenchRound> {
  const list = (await call('GET', `/api/rounds?region=${BENCH_REGION}`)).body as { id: number; name: string }[];
  let round = list.find((r) => r.name === BENCH_ROUND);
  if (!round) {
    round = (await call('POST', '/api/rounds', {
      regionCode: BENCH_REGION, year: 2023, name: BENCH_ROUND, effectiveDate: '2023-03-01',
      params: { sampleFrom: '2022-01-01', sampleTo: '2022-12-31', totalFen: 50_000_000_000, changeCap: 0.3, growth: { rate: 0.05 } },
    })).body as { id: number; name: string };
  }
  const roundId = round.id;
  const existing = (await call('GET', `/api/rounds/${roundId}/scenarios`)).body as { id: number; name: string; changeCount: number }[];
  const scenarioIds: number[] = [];
  let rows: BenchRound['rows'] = [];
  for (let i = 0; i < count; i++) {
    const name = `基准方案 ${String(i + 1).padStart(3, '0')}`;
    const sc = existing.find((s) => s.name === name) ?? ((await call('POST', `/api/rounds/${roundId}/scenarios`, { name, method: 'manual' })).body as { id: number; changeCount: number });
    if (sc.changeCount === BENCH_CHANGES) {
      // made by an earlier run (edited since by its clients: still 10,000 changed rows)
      scenarioIds.push(sc.id);
      continue;
    }
    if (rows.length === 0) {
      const all = (await call('GET', `/api/scenarios/${sc.id}/impact/items?scope=all&limit=${BENCH_CHANGES}`)).body as BenchRound['rows'];
      rows = all.map((r) => ({ itemCode: r.itemCode, level: r.level, family: r.family }));
    }
    const cur = (await call('GET', `/api/scenarios/${sc.id}`)).body as { version: number };
    await call('PUT', `/api/scenarios/${sc.id}/changes`, {
      version: cur.version,
      changes: rows.map((r) => ({ itemCode: r.itemCode, level: r.level, pctChange: r.family === 'labour' ? 8 : -6 })),
    });
    scenarioIds.push(sc.id);
    if ((i + 1) % 10 === 0 || i + 1 === count) log(`  scenarios ready: ${i + 1} of ${count}`);
  }
  if (rows.length === 0) {
    const c = (await call('GET', `/api/scenarios/${scenarioIds[0]}`)).body as { changes: BenchRound['rows'] };
    rows = c.changes.map((r) => ({ itemCode: r.itemCode, level: r.level, family: '' }));
  }
  return { roundId, scenarioIds, rows };
}
