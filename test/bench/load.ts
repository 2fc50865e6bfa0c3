// npm run bench -- load: many users at once on the national dataset. The API runs as its own process (as in
// production) on the kept national database (see national.ts); 100 clients (autocannon, one connection each, loopback
// only, a bounded time) cycle through what a dashboard asks — the rounds list, the round's total, their scenario's
// impact and a trigger evaluation — and each saves a one-cell edit of their scenario every few seconds. Also timed,
// on a quiet API: one edit saved and the new impact returned, and the first impact after the API starts (nothing
// cached: the reads a data load causes).
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import autocannon, { type Request as CannonRequest } from 'autocannon';
import { Client } from 'pg';
import { HUNAN_2021 } from '../../api/src/domain/triggers';
import { cpuMs, loadAverage, memory, pct, postgresCpuMs, resetPeak, startApi, type Api } from './api-process';
import type { Bench } from './bench';
import { apiCaller, BENCH_CHANGES, BENCH_REGION, benchRound, nationalDatabase } from './national';
import { benchHeaders, benchSignInRemote } from './session';

const GOALS = { p99Ms: 200, editMs: 100, firstImpactMs: 1000, rssMB: 1024 };

const USAGE = `npm run bench -- load [--clients N] [--rate R] [--seconds S] [--edit-every S] [--rebuild]
  --clients     concurrent clients, one connection and one scenario each (default 100)
  --rate        requests per second of each client, a dashboard user's pace (default 2); 0: each client sends its
                next request as soon as the last is answered (the API's capacity, not a user's pace)
  --seconds     length of the run (default 30)
  --edit-every  seconds between one client's edits (default 5)
  --rebuild     load the national dataset again (it is kept in the database mspr_bench_national)
  --profile DIR write the API's CPU profile (.cpuprofile, for Chrome DevTools) into DIR
  Uses DATABASE_URL's server, else the embedded one. The first run generates and loads the national dataset
  (npm run data:generate -- --scale national; a few minutes).`;

const now = () => performance.now();

/**
 * GET /api/health every `everyMs` from this process until stopped (the API's event loop answers it: a request that
 * holds the loop holds it up). stop(): the time of each answer whose request was sent when `counted(sentAt)` held.
 */
function healthProbe(base: string, everyMs: number, counted: (sentAt: number) => boolean = () => true): { stop(): Promise<number[]> } {
  const ms: number[] = [];
  let probing = true;
  const loop = (async () => {
    while (probing) {
      const t0 = now();
      await fetch(`${base}/api/health`).then((r) => r.arrayBuffer()).catch(() => undefined);
      if (counted(t0)) ms.push(now() - t0);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      probing = false;
      await loop;
      return ms;
    },
  };
}

interface Endpoint {
  name: string;
  ms: number[];
  errors: number;
}

async function runLoad(argv: string[]): Promise<number> {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      clients: { type: 'string', default: '100' },
      rate: { type: 'string', default: '2' },
      seconds: { type: 'string', default: '30' },
      'edit-every': { type: 'string', default: '5' },
      rebuild: { type: 'boolean', default: false },
      profile: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (v.help) {
    console.log(USAGE);
    return 0;
  }
  const clients = Number(v.clients);
  const seconds = Number(v.seconds);
  const editEvery = Number(v['edit-every']);
  const rate = Number(v.rate);
  if (!Number.isFinite(rate) || rate < 0 || rate > 1000) throw new Error('--rate must be a number from 0 to 1000');
  for (const [flag, n, max] of [['--clients', clients, 1000], ['--seconds', seconds, 600], ['--edit-every', editEvery, 600]] as const) {
    if (!Number.isFinite(n) || n <= 0 || n > max) throw new Error(`${flag} must be a number above 0 and at most ${max}`);
  }
  const log = (s: string) => process.stderr.write(`[bench load] ${s}\n`);

  const national = await nationalDatabase(v.rebuild === true, log);
  let api: Api | null = null;
  try {
    const pg = new Client({ connectionString: national.url });
    await pg.connect();
    const server = (await pg.query<{ v: string }>("select current_setting('server_version') as v")).rows[0].v;
    const presetId = Number((await pg.query<{ id: string }>('select id from rule_set where is_preset and name = $1', [HUNAN_2021.name])).rows[0].id);
    await pg.end();

    // ---- set-up through the API: the round and one scenario of 10,000 changed rows per client
    api = await startApi(national.url);
    await benchSignInRemote(national.url, api.base);
    log(`setting up ${clients} scenarios of ${BENCH_CHANGES.toLocaleString('en')} changed rows`);
    const setup = await benchRound(apiCaller(api.base), clients, log);
    await api.stop();

    // ---- first impact after the API starts: nothing cached, the same reads as the first request after a load
    api = await startApi(national.url, v.profile);
    await benchSignInRemote(national.url, api.base);
    const call = apiCaller(api.base);
    // health beside them: the builds of the cached facts must let it in
    const firstProbe = healthProbe(api.base, 25);
    const firstT0 = now();
    const first = (await call('GET', `/api/scenarios/${setup.scenarioIds[0]}/impact`)).body as { summary: { netFen: number; rowCount: number; changedRowCount: number } };
    const firstImpactMs = now() - firstT0;
    const firstBytes = Buffer.byteLength(JSON.stringify(first));
    const totalT0 = now();
    await call('GET', `/api/rounds/${setup.roundId}/total`);
    const firstTotalMs = now() - totalT0;
    const hospitalsT0 = now();
    await call('GET', `/api/scenarios/${setup.scenarioIds[0]}/impact?include=hospitals`);
    const firstHospitalsMs = now() - hospitalsT0;
    const positionsT0 = now();
    await call('GET', `/api/scenarios/${setup.scenarioIds[0]}/impact?include=positions`);
    const firstPositionsMs = now() - positionsT0;
    const firstHealth = await firstProbe.stop();

    // ---- one edit saved and the new impact returned, on a quiet API
    const sid = setup.scenarioIds[0];
    let version = ((await call('GET', `/api/scenarios/${sid}`)).body as { version: number }).version;
    for (let i = 0; i < 3; i++) await call('GET', `/api/scenarios/${setup.scenarioIds[i % setup.scenarioIds.length]}/impact`);
    const edit: number[] = [];
    const patchOnly: number[] = [];
    for (let i = 0; i < 40; i++) {
      const row = setup.rows[(i * 37) % setup.rows.length];
      const t0 = now();
      const p = (await call('PATCH', `/api/scenarios/${sid}/changes`, { version, set: [{ itemCode: row.itemCode, level: row.level, pctChange: i % 2 ? 3 : -3 }] })).body as { version: number };
      const t1 = now();
      await call('GET', `/api/scenarios/${sid}/impact`);
      const t2 = now();
      version = p.version;
      if (i >= 5) {
        patchOnly.push(t1 - t0);
        edit.push(t2 - t0);
      }
    }

    // ---- many users at once
    const endpoints = new Map<string, Endpoint>();
    const ep = (name: string) => endpoints.get(name) ?? endpoints.set(name, { name, ms: [], errors: 0 }).get(name)!;
    const versions = new Map<number, number>();
    // every client has its scenario open already (its impact read once), as users do before they work on it
    for (const id of setup.scenarioIds) {
      versions.set(id, ((await call('GET', `/api/scenarios/${id}`)).body as { version: number }).version);
      await call('GET', `/api/scenarios/${id}/impact`);
    }
    const evalBody = JSON.stringify({ ruleSetId: presetId, regionCode: BENCH_REGION, year: 2023 });
    const memStart = memory(api.child.pid!);
    // the peak so far (set-up and first requests), then the kernel's peak counter reset: the goal is the peak under load
    const setupPeakMB = memStart.peakMB;
    const peakFromNow = resetPeak(api.child.pid!);
    log(`${clients} clients for ${seconds} s (load average ${loadAverage()}); RSS ${memStart.rssMB} MB`);
    // health, probed beside the clients: a slow request must not stall it
    const firstOnConnection: number[] = [];
    const ramp: Endpoint = { name: 'ramp', ms: [], errors: 0 };
    let rampEnd: number | null = null;
    let startedClients = 0;
    const probe = healthProbe(api.base, 100, (t0) => rampEnd !== null && t0 >= rampEnd);
    let peakRss = memStart.rssMB;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, memory(api!.child.pid!).rssMB);
    }, 250);
    // the bench's own event loop: a request's time is taken in it, so a stalled loop here inflates every figure
    const benchLoop = monitorEventLoopDelay({ resolution: 5 });
    benchLoop.enable();
    const cpu0 = { api: cpuMs(api.child.pid!), pg: postgresCpuMs(), bench: process.cpuUsage() };
    const started = Date.now();
    // autocannon paces a client by the second: at each tick of its own 1 s timer it sends its `rate` requests one after
    // another, then waits for the next tick. Clients started together tick together, and all of them would send in
    // the same millisecond of every second — a herd no set of users makes. Each client starts 1/clients of a second
    // after the one before, so that the requests arrive spread over the second, at the same rate.
    const stagger = (k: number) => new Promise<void>((resolve) => setTimeout(resolve, rate > 0 ? (k * 1000) / clients : 0));
    const runs = setup.scenarioIds.map(async (scenarioId, k) => {
      await stagger(k);
      // each client: its own connection and scenario; its first edit staggered over the first interval
      let nextEdit = started + ((k + 0.5) / clients) * editEvery * 1000;
      let rowAt = k * 101;
      const state = { kind: '', t0: 0, first: true };
      const timed = (kind: string) => (req: CannonRequest): CannonRequest => {
        state.kind = kind;
        state.t0 = now();
        return req;
      };
      const done = (status: number, body: string) => {
        // while clients are still being started, this process is busy starting them (about 11 ms of its CPU each):
        // answers wait for it, not for the API, so those requests are counted apart (the ramp)
        const steady = rampEnd !== null && state.t0 >= rampEnd;
        const e = steady ? ep(state.kind) : ramp;
        if (state.first) firstOnConnection.push(now() - state.t0);
        state.first = false;
        e.ms.push(now() - state.t0);
        if (status < 200 || status >= 300) e.errors++;
        else if (state.kind === 'PATCH changes (one cell)') versions.set(scenarioId, (JSON.parse(body) as { version: number }).version);
      };
      const instance = autocannon({
        url: api!.base,
        // the signed-in session: its cookie, and the CSRF token the PATCH and POST requests need
        headers: benchHeaders(),
        connections: 1,
        ...(rate > 0 ? { connectionRate: rate } : {}),
        duration: seconds,
        timeout: 30,
        requests: [
          { method: 'GET', path: `/api/rounds?region=${BENCH_REGION}`, setupRequest: timed('GET rounds list'), onResponse: done },
          { method: 'GET', path: `/api/rounds/${setup.roundId}/total`, setupRequest: timed('GET total'), onResponse: done },
          {
            method: 'GET',
            path: `/api/scenarios/${scenarioId}/impact`,
            setupRequest: (req) => {
              if (Date.now() < nextEdit) return timed('GET impact')(req);
              nextEdit += editEvery * 1000;
              const row = setup.rows[rowAt++ % setup.rows.length];
              const body = JSON.stringify({ version: versions.get(scenarioId), set: [{ itemCode: row.itemCode, level: row.level, pctChange: rowAt % 2 ? 4 : -4 }] });
              return timed('PATCH changes (one cell)')({ ...req, method: 'PATCH', path: `/api/scenarios/${scenarioId}/changes`, body, headers: { ...req.headers, 'content-type': 'application/json' } });
            },
            onResponse: done,
          },
          { method: 'POST', path: '/api/rule-sets/evaluate', body: evalBody, headers: { 'content-type': 'application/json' }, setupRequest: timed('POST evaluate'), onResponse: done },
        ],
      });
      if (++startedClients === clients) rampEnd = now();
      return instance;
    });
    const results = await Promise.all(runs);
    benchLoop.disable();
    const wallMs = Date.now() - started;
    const bu = process.cpuUsage(cpu0.bench);
    const share = (ms: number) => +((100 * ms) / wallMs).toFixed(0);
    const cpuShare = { api: share(cpuMs(api.child.pid!) - cpu0.api), postgres: share(postgresCpuMs() - cpu0.pg), bench: share((bu.user + bu.system) / 1000) };
    clearInterval(sampler);
    const health = await probe.stop();
    const memEnd = memory(api.child.pid!);
    if (peakFromNow) peakRss = Math.max(peakRss, memEnd.peakMB);
    const elapsed = (Date.now() - started) / 1000;

    const all = [...endpoints.values()].flatMap((e) => e.ms);
    const errors = results.reduce((s, r) => s + r.errors + r.timeouts, 0);
    const non2xx = results.reduce((s, r) => s + r.non2xx, 0);
    const requests = results.reduce((s, r) => s + r.requests.total, 0);
    const f1 = (n: number) => n.toFixed(1);
    const p99 = pct(all, 99);
    const editP50 = pct(edit, 50);
    const met = {
      p99: p99 <= GOALS.p99Ms && errors === 0 && non2xx === 0,
      edit: editP50 <= GOALS.editMs,
      firstImpact: firstImpactMs <= GOALS.firstImpactMs,
      rss: peakRss <= GOALS.rssMB,
    };
    const yes = (b: boolean) => (b ? 'yes' : 'NO');
    console.log(`
  Load benchmark — PostgreSQL ${server} (${national.mode}), ${os.cpus().length} cores, Node ${process.version}; load average at the end ${loadAverage()}
    data: national (${Object.entries(national.rows).map(([k, n]) => `${k} ${n.toLocaleString('en')}`).join(', ')}); region ${BENCH_REGION}, ${clients} scenarios × ${BENCH_CHANGES.toLocaleString('en')} changed rows
    ${clients} clients × ${seconds} s, each ${rate > 0 ? `${rate} requests/s` : 'as fast as answered'}: rounds list → total → impact (an edit every ${editEvery} s instead) → evaluation, one request at a time
    requests ${requests.toLocaleString('en')} in ${f1(elapsed)} s = ${f1(requests / elapsed)}/s; errors ${errors}, non-2xx ${non2xx}
    ${'endpoint'.padEnd(28)} ${'requests'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}  non-2xx
  ${[...endpoints.values()].map((e) => `    ${e.name.padEnd(28)} ${String(e.ms.length).padStart(9)} ${f1(pct(e.ms, 50)).padStart(8)} ${f1(pct(e.ms, 99)).padStart(8)} ${f1(Math.max(...e.ms)).padStart(8)}  ${e.errors}`).join('\n')}
    ${'all'.padEnd(28)} ${String(all.length).padStart(9)} ${f1(pct(all, 50)).padStart(8)} ${f1(p99).padStart(8)} ${f1(Math.max(...all)).padStart(8)}   goal p99 ≤ ${GOALS.p99Ms} ms, 0 errors: ${yes(met.p99)}
    ${'GET health (probe, 10/s)'.padEnd(28)} ${String(health.length).padStart(9)} ${f1(pct(health, 50)).padStart(8)} ${f1(pct(health, 99)).padStart(8)} ${f1(Math.max(...health)).padStart(8)}
    CPU during the run, % of one core: API ${cpuShare.api}, PostgreSQL ${cpuShare.postgres}, the clients (this process) ${cpuShare.bench} — of ${os.cpus().length * 100} in all
    not counted above: the ${ramp.ms.length} requests sent while the clients were being started (${f1(pct(ramp.ms, 50))} ms p50, ${f1(pct(ramp.ms, 99))} p99; ${ramp.errors} non-2xx) — this process spends about 11 ms starting each client, and answers wait for it
    each client's first request (its connection opened, within the ramp): p50 ${f1(pct(firstOnConnection, 50))} ms, p99 ${f1(pct(firstOnConnection, 99))} ms
    bench process event-loop delay: p99 ${f1(benchLoop.percentile(99) / 1e6)} ms, max ${f1(benchLoop.max / 1e6)} ms (the clients' own stalls, counted in the figures above)
    API RSS: ${memStart.rssMB} MB at the start, ${memEnd.rssMB} MB at the end, peak under the load ${peakRss} MB (goal ≤ ${GOALS.rssMB} MB: ${yes(met.rss)}${peakFromNow ? '' : '; sampled every 250 ms'}); before it (set-up, first requests) peak ${setupPeakMB} MB
    quiet API: one edit saved (PATCH) and the new impact returned p50 ${f1(editP50)} ms, p95 ${f1(pct(edit, 95))} (PATCH alone p50 ${f1(pct(patchOnly, 50))}) — goal ≤ ${GOALS.editMs} ms: ${yes(met.edit)}
    first requests after the API starts (nothing cached): impact ${f1(firstImpactMs)} ms (goal ≤ ${GOALS.firstImpactMs}: ${yes(met.firstImpact)}; ${(firstBytes / 1024).toFixed(0)} KiB, ${first.summary.rowCount.toLocaleString('en')} rows, ${first.summary.changedRowCount.toLocaleString('en')} changed), total ${f1(firstTotalMs)} ms, impact with hospitals ${f1(firstHospitalsMs)} ms, with cross-region positions ${f1(firstPositionsMs)} ms
      GET health beside them (every 25 ms, ${firstHealth.length} probes): p50 ${f1(pct(firstHealth, 50))} ms, max ${f1(Math.max(...firstHealth))} ms
  `);
    console.log(JSON.stringify({
      bench: 'load', server, mode: national.mode, cores: os.cpus().length, node: process.version, loadAverage: os.loadavg().map((x) => +x.toFixed(2)),
      clients, rate, seconds, editEvery, requests, requestsPerSecond: +(requests / elapsed).toFixed(1), errors, non2xx,
      endpoints: Object.fromEntries([...endpoints.values()].map((e) => [e.name, { requests: e.ms.length, p50: +f1(pct(e.ms, 50)), p99: +f1(pct(e.ms, 99)), non2xx: e.errors }])),
      all: { p50: +f1(pct(all, 50)), p99: +f1(p99) }, health: { p50: +f1(pct(health, 50)), p99: +f1(pct(health, 99)) },
      ramp: { requests: ramp.ms.length, p50: +f1(pct(ramp.ms, 50)), p99: +f1(pct(ramp.ms, 99)), non2xx: ramp.errors },
      cpuPercent: cpuShare, benchLoopMs: { p99: +f1(benchLoop.percentile(99) / 1e6), max: +f1(benchLoop.max / 1e6) },
      rssMB: { start: memStart.rssMB, end: memEnd.rssMB, peak: peakRss, setupPeak: setupPeakMB },
      edit: { p50: +f1(editP50), p95: +f1(pct(edit, 95)), patchP50: +f1(pct(patchOnly, 50)) },
      first: {
        impactMs: +f1(firstImpactMs), totalMs: +f1(firstTotalMs), hospitalsMs: +f1(firstHospitalsMs), positionsMs: +f1(firstPositionsMs),
        health: { probes: firstHealth.length, p50: +f1(pct(firstHealth, 50)), max: +f1(Math.max(...firstHealth)) },
      },
      goals: GOALS, met,
    }));
    return 0;
  } finally {
    await api?.stop();
    await national.close();
  }
}

export const loadBench: Bench = {
  summary: 'many users at once on the national dataset: p50/p99 per endpoint, one-cell edits, first impact, API memory',
  usage: USAGE,
  run: runLoad,
};
