// npm run bench -- cost: what one request of each endpoint of the load mix costs the API, in CPU time (user + system
// of the API process, from /proc), one request at a time on the national dataset. Unlike latency under load, CPU
// time per request barely moves with what else the machine runs, so it says where the API's time goes and what a
// core can serve: 1000 ms ÷ the mix's mean is the requests per second one core sustains before requests queue.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { HUNAN_2021 } from '../../api/src/domain/triggers';
import { cpuMs, loadAverage, pct, startApi, type Api } from './api-process';
import type { Bench } from './bench';
import { apiCaller, BENCH_REGION, benchRound, nationalDatabase } from './national';
import { benchSignInRemote } from './session';

const USAGE = `npm run bench -- cost [--requests N] [--scenarios N]
  --requests   timed requests per endpoint (default 400; edits and the impacts after them: a quarter of it)
  --scenarios  scenarios of 10,000 changed rows the requests go round (default 20)
  Uses DATABASE_URL's server, else the embedded one, and the national dataset of npm run bench -- load.`;

interface Row {
  name: string;
  cpu: number;
  wall: number[];
}

async function runCost(argv: string[]): Promise<number> {
  const { values: v } = parseArgs({
    args: argv,
    options: { requests: { type: 'string', default: '400' }, scenarios: { type: 'string', default: '20' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (v.help) {
    console.log(USAGE);
    return 0;
  }
  const n = Number(v.requests);
  const count = Number(v.scenarios);
  if (!Number.isInteger(n) || n < 20 || n > 100_000) throw new Error('--requests must be a whole number from 20 to 100000');
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw new Error('--scenarios must be a whole number from 1 to 1000');
  const log = (s: string) => process.stderr.write(`[bench cost] ${s}\n`);
  const national = await nationalDatabase(false, log);
  let api: Api | null = null;
  try {
    api = await startApi(national.url);
    await benchSignInRemote(national.url, api.base);
    const call = apiCaller(api.base);
    const setup = await benchRound(call, count, log);
    const ids = setup.scenarioIds;
    const versions = new Map<number, number>();
    for (const id of ids) {
      versions.set(id, ((await call('GET', `/api/scenarios/${id}`)).body as { version: number }).version);
      await call('GET', `/api/scenarios/${id}/impact`);
    }
    const presets = (await call('GET', '/api/rule-sets')).body as { id: number; name: string }[];
    const evaluation = { ruleSetId: presets.find((p) => p.name === HUNAN_2021.name)!.id, regionCode: BENCH_REGION, year: 2023 };
    const pid = api.child.pid!;
    const base = api.base;
    let k = 0;
    const edit = async () => {
      const id = ids[k % ids.length];
      const row = setup.rows[(k * 37) % setup.rows.length];
      k++;
      const r = await call('PATCH', `/api/scenarios/${id}/changes`, { version: versions.get(id), set: [{ itemCode: row.itemCode, level: row.level, pctChange: k % 2 ? 3 : -3 }] });
      versions.set(id, (r.body as { version: number }).version);
      return id;
    };
    const cases: [string, () => Promise<unknown>][] = [
      ['GET health', () => fetch(`${base}/api/health`).then((r) => r.arrayBuffer())],
      ['GET rounds list', () => call('GET', `/api/rounds?region=${BENCH_REGION}`)],
      ['GET total', () => call('GET', `/api/rounds/${setup.roundId}/total`)],
      ['GET impact (kept)', () => call('GET', `/api/scenarios/${ids[k++ % ids.length]}/impact`)],
      ['POST evaluate', () => call('POST', '/api/rule-sets/evaluate', evaluation)],
      ['PATCH changes (one cell)', edit],
    ];
    const rows: Row[] = [];
    for (const [name, f] of cases) {
      const m = name.startsWith('PATCH') ? Math.max(20, n >> 2) : n;
      for (let i = 0; i < 20; i++) await f();
      const row: Row = { name, cpu: 0, wall: [] };
      const c0 = cpuMs(pid);
      for (let i = 0; i < m; i++) {
        const t0 = performance.now();
        await f();
        row.wall.push(performance.now() - t0);
      }
      row.cpu = (cpuMs(pid) - c0) / m;
      rows.push(row);
    }
    // the impact right after an edit (nothing kept for the new version): the edit's own CPU left out
    const after: Row = { name: 'GET impact after an edit', cpu: 0, wall: [] };
    for (let i = 0; i < Math.max(20, n >> 2); i++) {
      const id = await edit();
      const c0 = cpuMs(pid);
      const t0 = performance.now();
      await call('GET', `/api/scenarios/${id}/impact`);
      after.wall.push(performance.now() - t0);
      after.cpu += cpuMs(pid) - c0;
    }
    after.cpu /= after.wall.length;
    rows.push(after);

    // the load mix of npm run bench -- load: per client cycle rounds, total, impact or (every 2.5 cycles) an edit
    // followed by an impact not kept, evaluation
    const by = (s: string) => rows.find((r) => r.name === s)!.cpu;
    const editShare = 0.4;
    const mix = (by('GET rounds list') + by('GET total') + by('POST evaluate') + (1 - editShare) * by('GET impact (kept)') + editShare * by('PATCH changes (one cell)') +
      editShare * (by('GET impact after an edit') - by('GET impact (kept)'))) / 4;
    const f2 = (x: number) => x.toFixed(2);
    console.log(`
  Cost per request — the API's CPU (user + system), one request at a time; ${os.cpus().length} cores, Node ${process.version}; load average ${loadAverage()}
    data: national, region ${BENCH_REGION}, ${ids.length} scenarios × 10,000 changed rows
    ${'endpoint'.padEnd(28)} ${'requests'.padStart(8)} ${'CPU ms'.padStart(8)} ${'wall p50'.padStart(9)} ${'wall p99'.padStart(9)}
${rows.map((r) => `    ${r.name.padEnd(28)} ${String(r.wall.length).padStart(8)} ${f2(r.cpu).padStart(8)} ${f2(pct(r.wall, 50)).padStart(9)} ${f2(pct(r.wall, 99)).padStart(9)}`).join('\n')}
    the load mix (npm run bench -- load): ${f2(mix)} ms of API CPU per request on average → one core serves about ${Math.round(1000 / mix)} requests/s of it
    before they queue; 100 clients at 2 requests/s ask ${(200 * mix / 10).toFixed(0)}% of a core of the API, besides PostgreSQL's share and the clients' own.
  `);
    console.log(JSON.stringify({
      bench: 'cost', cores: os.cpus().length, node: process.version, loadAverage: os.loadavg().map((x) => +x.toFixed(2)),
      endpoints: Object.fromEntries(rows.map((r) => [r.name, { requests: r.wall.length, cpuMs: +f2(r.cpu), p50: +f2(pct(r.wall, 50)), p99: +f2(pct(r.wall, 99)) }])),
      mixCpuMs: +f2(mix),
    }));
    return 0;
  } finally {
    await api?.stop();
    await national.close();
  }
}

export const costBench: Bench = {
  summary: 'the API CPU time of one request of each endpoint of the load mix (robust to a busy machine)',
  usage: USAGE,
  run: runCost,
};
