// npm run bench -- reliability: many users at once on the dashboard and the impact, then the same load while the
// API's database connections are cut under it. The API runs as its own process (as in production) on a scratch
// database holding the demo dataset; `--users` autocannon connections (one user each, loopback only, a bounded time)
// cycle through what the overview page asks (health, pilot regions, the region's rounds, its key indicators) and two
// scenarios' impact (苏州's historic round and a new one of 300 changed prices), each sending its next request as soon
// as the last is answered.
//   steady: errors (must be 0), non-2xx, p50/p99 per endpoint, requests/s, the API's RSS at the start and the end.
//           The requests sent in the first second, while all the users open their connections at once, are reported
//           apart: on a saturated API the first requests of the last connections opened wait seconds (measured).
//   cuts:   the same load while every backend of the database is terminated (pg_terminate_backend) every few
//           seconds: answers 503 (with the code DATABASE.UNAVAILABLE), 500 (must be 0), and the time from each cut
//           until a request sent after it is answered 2xx again.
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { Client, Pool } from 'pg';
import { formatIssue } from '../../etl/src/issues';
import { loadPath } from '../../etl/src/run';
import { loadAverage, memory, pct, startApi, type Api } from './api-process';
import type { Bench } from './bench';
import { apiCaller } from './national';
import { withScratchDatabase } from './scratch';
import { benchHeaders, benchSignInRemote } from './session';

const USAGE = `npm run bench -- reliability [--users N] [--seconds S] [--cut-seconds S] [--cut-every S] [--keep]
  --users        concurrent users, one connection each (default 200)
  --seconds      length of the steady run (default 60)
  --cut-seconds  length of the run with connections cut (default 30; 0: no such run)
  --cut-every    seconds between two cuts (default 5)
  --keep         keep the scratch database
  Uses DATABASE_URL's server, else the embedded one; a scratch database with the demo dataset (loaded through the ETL,
  about half a minute), dropped afterwards.`;

const REGION = '320500'; // 苏州, a pilot city of the demo dataset with historic rounds
const KEY_INDICATORS = 'medical_total_cost_growth,fund_reserve_months,cpi_growth'; // the overview's key indicators
const UNAVAILABLE = 'DATABASE.UNAVAILABLE';
const TERMINATE = 'select pg_terminate_backend(pid) as done from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()';
const GOALS = { errors: 0, status500: 0, recoveryMs: 5_000 };
/** The start of the steady run, when every user opens its connection at once: its answers are reported apart. */
const RAMP_MS = 1_000;

const now = () => performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Target {
  name: string;
  path: string;
}

interface Answer {
  endpoint: string;
  start: number;
  end: number;
  status: number;
  code?: string;
}

/** `users` connections cycling through `targets` for `seconds`, every answer handed to `record`. */
async function runUsers(base: string, users: number, seconds: number, targets: Target[], record: (a: Answer) => void): Promise<autocannon.Result> {
  const headers = benchHeaders();
  return autocannon({
    url: base,
    connections: users,
    duration: seconds,
    timeout: 30,
    headers,
    requests: targets.map((t) => ({
      method: 'GET' as const,
      path: t.path,
      headers,
      setupRequest: (req: autocannon.Request, context: object) => {
        (context as { t0: number }).t0 = now();
        return req;
      },
      onResponse: (status: number, body: string, context: object) => {
        let code: string | undefined;
        if (status >= 500) {
          try {
            code = (JSON.parse(body) as { code?: string }).code;
          } catch {
            // not the JSON error shape
          }
        }
        record({ endpoint: t.name, start: (context as { t0: number }).t0, end: now(), status, code });
      },
    })),
  });
}

/** RSS of the API every second while `run` lasts. */
async function sampled<T>(api: Api, run: () => Promise<T>): Promise<{ value: T; rssMB: number[] }> {
  const rssMB: number[] = [];
  const timer = setInterval(() => rssMB.push(memory(api.child.pid!).rssMB), 1_000);
  try {
    return { value: await run(), rssMB };
  } finally {
    clearInterval(timer);
  }
}

const ok = (status: number) => status >= 200 && status < 300;
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : String(n));

async function runReliability(argv: string[]): Promise<number> {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      users: { type: 'string', default: '200' },
      seconds: { type: 'string', default: '60' },
      'cut-seconds': { type: 'string', default: '30' },
      'cut-every': { type: 'string', default: '5' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (v.help) {
    console.log(USAGE);
    return 0;
  }
  const users = Number(v.users);
  const seconds = Number(v.seconds);
  const cutSeconds = Number(v['cut-seconds']);
  const cutEvery = Number(v['cut-every']);
  for (const [flag, n, min, max] of [['--users', users, 1, 1000], ['--seconds', seconds, 1, 600], ['--cut-seconds', cutSeconds, 0, 600], ['--cut-every', cutEvery, 1, 600]] as const) {
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${flag} must be a number from ${min} to ${max}`);
  }
  const log = (s: string) => process.stderr.write(`[bench reliability] ${s}\n`);

  return withScratchDatabase('mspr_bench_reliability', v.keep === true, log, async (scratch) => {
    // ---- the demo dataset, loaded as the product loads it
    const t0 = Date.now();
    const pool = new Pool({ connectionString: scratch.url, max: 2 });
    try {
      const loaded = await loadPath(pool, path.resolve('data/demo'), { dryRun: false, skipInvalid: false, maxErrors: 5, origin: 'generated', user: 'bench' });
      const bad = loaded.filter((s) => s.status !== 'loaded');
      if (bad.length) throw new Error(`the demo dataset did not load: ${bad.map((s) => `${s.file}: ${s.errors.map(formatIssue).join(' | ')}`).join('\n')}`);
      log(`demo dataset loaded (${loaded.length} files) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    } finally {
      await pool.end();
    }
    const pg = new Client({ connectionString: scratch.url });
    await pg.connect();
    const server = (await pg.query<{ v: string }>("select current_setting('server_version') as v")).rows[0].v;
    await pg.end(); // (a connection of this database left open would be cut too)

    let api: Api | null = null;
    try {
      api = await startApi(scratch.url);
      await benchSignInRemote(scratch.url, api.base);
      const call = apiCaller(api.base);
      // ---- a round of 苏州 with a scenario of 300 changed prices, and the historic round's approved scenario
      const round = (await call('POST', '/api/rounds', {
        regionCode: REGION, year: 2025, name: '可靠性基准轮次', effectiveDate: '2025-01-01', params: { changeCap: 0.3 },
      })).body as { id: number };
      const scenario = (await call('POST', `/api/rounds/${round.id}/scenarios`, { name: '可靠性基准方案' })).body as { id: number; version: number };
      const rows = (await call('GET', `/api/scenarios/${scenario.id}/impact/items?scope=all&limit=300`)).body as { itemCode: string; level: number; family: string }[];
      await call('PUT', `/api/scenarios/${scenario.id}/changes`, {
        version: scenario.version,
        changes: rows.map((r) => ({ itemCode: r.itemCode, level: r.level, pctChange: r.family === 'labour' ? 8 : -5 })),
      });
      const historic = ((await call('GET', `/api/rounds?region=${REGION}&kind=historic&year=2023`)).body as { approvedScenarioId: number }[])[0].approvedScenarioId;
      const historicChanges = ((await call('GET', `/api/scenarios/${historic}`)).body as { changeCount: number }).changeCount;
      const targets: Target[] = [
        { name: 'GET health', path: '/api/health' },
        { name: 'GET pilot regions', path: '/api/regions?pilot=true' },
        { name: 'GET rounds of the region', path: `/api/rounds?region=${REGION}` },
        { name: 'GET key indicators', path: `/api/regions/${REGION}/indicators?codes=${KEY_INDICATORS}` },
        { name: `GET impact (historic, ${historicChanges} prices)`, path: `/api/scenarios/${historic}/impact` },
        { name: `GET impact (new, ${rows.length} prices)`, path: `/api/scenarios/${scenario.id}/impact` },
      ];
      // every user has opened the page once: the caches hold what a first visit reads
      for (const t of targets) await call('GET', t.path);

      // ---- steady
      const rssStart = memory(api.child.pid!).rssMB;
      log(`steady: ${users} users for ${seconds} s (load average ${loadAverage()}); API RSS ${rssStart} MB`);
      const byEndpoint = new Map<string, { ms: number[]; non2xx: number }>(targets.map((t) => [t.name, { ms: [], non2xx: 0 }]));
      // the requests sent in the first second, while every user opens its connection at once, are counted apart
      const ramp: number[] = [];
      let rampNon2xx = 0;
      const steadyT0 = now();
      const steady = await sampled(api, () =>
        runUsers(api!.base, users, seconds, targets, (a) => {
          if (a.start - steadyT0 < RAMP_MS) {
            ramp.push(a.end - a.start);
            if (!ok(a.status)) rampNon2xx++;
            return;
          }
          const e = byEndpoint.get(a.endpoint)!;
          e.ms.push(a.end - a.start);
          if (!ok(a.status)) e.non2xx++;
        }),
      );
      const steadyElapsed = (now() - steadyT0) / 1000;
      const rssEnd = memory(api.child.pid!);
      const r = steady.value;
      const all = [...byEndpoint.values()].flatMap((e) => e.ms);
      const steadyErrors = r.errors + r.timeouts;

      // ---- cuts
      let cutReport: CutReport | null = null;
      if (cutSeconds > 0) {
        log(`cuts: ${users} users for ${cutSeconds} s, every backend of ${scratch.name} terminated every ${cutEvery} s`);
        const killer = new Client({ connectionString: scratch.url });
        killer.on('error', (e) => log(`the connection that cuts the others failed: ${e.message}`));
        await killer.connect();
        try {
          cutReport = await runCuts(api, killer, scratch.name, users, cutSeconds, cutEvery, targets);
        } finally {
          await killer.end();
        }
      }
      const rssFinal = memory(api.child.pid!);

      const yes = (b: boolean) => (b ? 'yes' : 'NO');
      const met = {
        steadyErrors: steadyErrors === GOALS.errors,
        cutErrors: cutReport ? cutReport.errors === GOALS.errors : true,
        no500: cutReport ? cutReport.status500 === GOALS.status500 : true,
        recovery: cutReport ? cutReport.recoveryMaxMs <= GOALS.recoveryMs : true,
      };
      const second = steady.rssMB.slice(Math.floor(steady.rssMB.length / 2));
      console.log(`
  Reliability benchmark — PostgreSQL ${server} (${scratch.mode}), ${os.cpus().length} cores, Node ${process.version}; load average at the end ${loadAverage()}
    data: the demo dataset; ${users} users, each asking as soon as answered: ${targets.map((t) => t.name.replace('GET ', '')).join(' → ')}
    steady, ${seconds} s: requests ${r.requests.total.toLocaleString('en')} = ${f1(r.requests.total / steadyElapsed)}/s; errors ${steadyErrors} (goal 0: ${yes(met.steadyErrors)}), non-2xx ${r.non2xx}
    ${'endpoint'.padEnd(36)} ${'requests'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}  non-2xx
${[...byEndpoint].map(([name, e]) => `    ${name.padEnd(36)} ${String(e.ms.length).padStart(9)} ${f1(pct(e.ms, 50)).padStart(8)} ${f1(pct(e.ms, 99)).padStart(8)} ${f1(Math.max(...e.ms)).padStart(8)}  ${e.non2xx}`).join('\n')}
    ${'all, after the first second'.padEnd(36)} ${String(all.length).padStart(9)} ${f1(pct(all, 50)).padStart(8)} ${f1(pct(all, 99)).padStart(8)} ${f1(Math.max(...all)).padStart(8)}
    ${`first second (${users} connecting)`.padEnd(36)} ${String(ramp.length).padStart(9)} ${f1(pct(ramp, 50)).padStart(8)} ${f1(pct(ramp, 99)).padStart(8)} ${f1(Math.max(...ramp)).padStart(8)}  ${rampNon2xx}
    API RSS: ${rssStart} MB at the start, ${rssEnd.rssMB} MB at the end of the steady run (its second half ${Math.min(...second)}–${Math.max(...second)} MB), peak ${rssEnd.peakMB} MB; ${rssFinal.rssMB} MB after the cuts
${cutReport ? `    cuts, ${cutSeconds} s: ${cutReport.cuts.length} cuts (${cutReport.cuts.map((c) => c.terminated).join(', ')} backends terminated); requests ${cutReport.requests.toLocaleString('en')}: 2xx ${cutReport.status2xx}, 503 ${cutReport.status503} (of which ${UNAVAILABLE} ${cutReport.unavailable}), 500 ${cutReport.status500} (goal 0: ${yes(met.no500)}), other ${cutReport.other}; errors ${cutReport.errors} (goal 0: ${yes(met.cutErrors)})
    recovery, from a cut until a request sent after it is answered 2xx: ${cutReport.recoveryMs.map((x) => f1(x)).join(', ')} ms (max ${f1(cutReport.recoveryMaxMs)}; goal ≤ ${GOALS.recoveryMs}: ${yes(met.recovery)}); last non-2xx answer after a cut: ${cutReport.disruptionMs.map((x) => f1(x)).join(', ')} ms
    p50/p99 of all answers during the cuts: ${f1(cutReport.p50)} / ${f1(cutReport.p99)} ms` : '    cuts: not run (--cut-seconds 0)'}
  `);
      console.log(JSON.stringify({
        bench: 'reliability', server, mode: scratch.mode, cores: os.cpus().length, node: process.version, loadAverage: os.loadavg().map((x) => +x.toFixed(2)),
        users, seconds, cutSeconds, cutEvery,
        steady: {
          requests: r.requests.total, requestsPerSecond: +(r.requests.total / steadyElapsed).toFixed(1), errors: steadyErrors, non2xx: r.non2xx,
          p50: +f1(pct(all, 50)), p99: +f1(pct(all, 99)),
          firstSecond: { requests: ramp.length, p50: +f1(pct(ramp, 50)), p99: +f1(pct(ramp, 99)), max: +f1(Math.max(...ramp)), non2xx: rampNon2xx },
          endpoints: Object.fromEntries([...byEndpoint].map(([name, e]) => [name, { requests: e.ms.length, p50: +f1(pct(e.ms, 50)), p99: +f1(pct(e.ms, 99)), non2xx: e.non2xx }])),
        },
        rssMB: { start: rssStart, endSteady: rssEnd.rssMB, peak: rssEnd.peakMB, afterCuts: rssFinal.rssMB, everySecond: steady.rssMB },
        cuts: cutReport,
        goals: GOALS, met,
      }));
      return 0;
    } finally {
      await api?.stop();
    }
  });
}

interface CutReport {
  cuts: { at: number; terminated: number }[];
  requests: number;
  status2xx: number;
  status503: number;
  unavailable: number;
  status500: number;
  other: number;
  errors: number;
  recoveryMs: number[];
  recoveryMaxMs: number;
  disruptionMs: number[];
  p50: number;
  p99: number;
}

/** The load of `users` for `seconds` while every backend of `database` is terminated every `every` seconds. */
async function runCuts(api: Api, killer: Client, database: string, users: number, seconds: number, every: number, targets: Target[]): Promise<CutReport> {
  const answers: Answer[] = [];
  const cuts: { at: number; terminated: number }[] = [];
  const t0 = now();
  let running = true;
  const cutter = (async () => {
    // the first cut half an interval in, the last at least a second before the end
    for (let at = (every / 2) * 1000; at < (seconds - 1) * 1000 && running; at += every * 1000) {
      await sleep(Math.max(0, t0 + at - now()));
      const r = await killer.query<{ done: boolean }>(TERMINATE, [database]);
      cuts.push({ at: now(), terminated: r.rows.filter((x) => x.done).length });
    }
  })();
  let result: autocannon.Result;
  try {
    result = await runUsers(api.base, users, seconds, targets, (a) => answers.push(a));
  } finally {
    running = false;
    await cutter;
  }
  const recoveryMs: number[] = [];
  const disruptionMs: number[] = [];
  cuts.forEach((c, i) => {
    const next = cuts[i + 1]?.at ?? Infinity;
    let first = Infinity;
    let last = 0;
    for (const a of answers) {
      if (a.start < c.at) continue;
      if (ok(a.status)) first = Math.min(first, a.end - c.at);
      else if (a.start < next) last = Math.max(last, a.end - c.at);
    }
    recoveryMs.push(first);
    disruptionMs.push(last);
  });
  const count = (f: (a: Answer) => boolean) => answers.filter(f).length;
  const ms = answers.map((a) => a.end - a.start);
  return {
    cuts: cuts.map((c) => ({ at: +((c.at - t0) / 1000).toFixed(2), terminated: c.terminated })),
    requests: answers.length,
    status2xx: count((a) => ok(a.status)),
    status503: count((a) => a.status === 503),
    unavailable: count((a) => a.status === 503 && a.code === UNAVAILABLE),
    status500: count((a) => a.status === 500),
    other: count((a) => !ok(a.status) && a.status !== 503 && a.status !== 500),
    errors: result.errors + result.timeouts,
    recoveryMs: recoveryMs.map((x) => +f1(x)),
    recoveryMaxMs: +f1(Math.max(0, ...recoveryMs)),
    disruptionMs: disruptionMs.map((x) => +f1(x)),
    p50: +f1(pct(ms, 50)),
    p99: +f1(pct(ms, 99)),
  };
}

export const reliabilityBench: Bench = {
  summary: 'many users on the dashboard and the impact (errors, p50/p99, API memory), then the same load with the database connections cut (503s, 500s, recovery)',
  usage: USAGE,
  run: runReliability,
};
