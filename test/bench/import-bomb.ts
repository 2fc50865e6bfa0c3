// npm run bench -- import-bomb: uploads of decompression bombs to POST /api/scenarios/:id/import — small xlsx files
// whose sheet unpacks to --mb MB of XML (default 100, as in the incident; 2.4 MB of file) and to --under MB (default
// 30, below the declared-size limit, so the server reads it: about 108,000 rows) — one at a time and --concurrent at
// once (default 4). For each: the answers, the wall time, the longest stall of the API's event loop
// (monitorEventLoopDelay), the slowest of the health requests another process sends every 25 ms meanwhile, and the
// resident memory of the API's process before, at its peak (VmHWM, reset before each run) and 2 s after. The API runs in this process (the compiled server,
// as npm start runs it) on a scratch database; the scenario's region needs no data, the bomb's rows are unknown codes.
// The bench signs in as its administrator (test/bench/session.ts); the health requests need no session.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import pino from 'pino';
import { createApp } from '../../api/src/app';
import { loadConfig } from '../../api/src/config/config';
import { apiFetch } from '../support/http';
import { xlsxBomb } from '../support/xlsx-bomb';
import type { Bench } from './bench';
import { withScratchDatabase } from './scratch';
import { benchSignIn } from './session';

const USAGE = `npm run bench -- import-bomb [--mb N] [--under N] [--concurrent N] [--keep]
  --mb          unpacked size of the bomb's sheet, MB (default 100)
  --under       unpacked size of a second bomb, MB, below the declared-size limit (default 30; 0 leaves it out)
  --concurrent  uploads at once in the second run of each bomb (default 4)
  --keep        keep the scratch database (its name is printed)
  Uses DATABASE_URL, else the embedded server.`;

const now = () => performance.now();
const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** Resident memory of this process now and at its peak since the last reset, bytes. */
function memory(): { rss: number; peak: number } {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** Resets the peak resident set (VmHWM) to the current one; false where the kernel does not allow it. */
function resetPeak(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * GET /api/health every 25 ms from another process (this one's event loop is the API's) until stopped: the slowest
 * answer in ms, how many were answered and how many failed.
 */
function healthProber(url: string): { stop(): Promise<{ maxMs: number; count: number; failed: number }> } {
  const script = `
    const ms = []; let failed = 0; let on = true;
    process.stdin.on('end', () => { on = false; });
    process.stdin.resume();
    (async () => {
      while (on) {
        const t = performance.now();
        try { await (await fetch(process.argv[1])).arrayBuffer(); ms.push(performance.now() - t); } catch { failed++; }
        await new Promise((r) => setTimeout(r, 25));
      }
      process.stdout.write(JSON.stringify({ maxMs: Math.round(Math.max(0, ...ms)), count: ms.length, failed }));
    })();`;
  const child = spawn(process.execPath, ['-e', script, url], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return {
    stop: () =>
      new Promise((resolve, reject) => {
        child.once('exit', () => {
          try {
            resolve(JSON.parse(out));
          } catch (e) {
            reject(e);
          }
        });
        child.stdin.end();
      }),
  };
}

interface Row {
  bomb: string;
  concurrent: number;
  answers: string;
  wallMs: number;
  loopMaxMs: number;
  healthMaxMs: number;
  healthCount: number;
  healthFailed: number;
  rssBeforeMB: number;
  rssPeakMB: number;
  rssAfterMB: number;
}

export const importBombBench: Bench = {
  summary: 'xlsx decompression bombs uploaded to the import: answers, event-loop stalls, memory',
  usage: USAGE,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { mb: { type: 'string', default: '100' }, under: { type: 'string', default: '30' }, concurrent: { type: 'string', default: '4' }, keep: { type: 'boolean', default: false } },
    });
    const mb = Number(values.mb);
    const under = Number(values.under);
    const concurrent = Number(values.concurrent);
    if (!(mb > 0 && mb <= 2000) || !(under >= 0 && under <= 2000) || !Number.isInteger(concurrent) || concurrent < 1 || concurrent > 16) {
      console.error(`参数无效 (invalid arguments)\n${USAGE}`);
      return 2;
    }
    const log = (s: string) => process.stderr.write(`[bench import-bomb] ${s}\n`);
    const bombs: [string, Uint8Array][] = [];
    for (const size of [mb, under].filter((x) => x > 0)) {
      const t0 = now();
      const bytes = xlsxBomb(size);
      bombs.push([`${size} MB sheet in ${Math.round(bytes.length / 1024)} KB`, bytes]);
      log(`made the ${size} MB bomb (${bytes.length} bytes) in ${(now() - t0).toFixed(0)} ms`);
    }
    const loadBefore = os.loadavg();
    return withScratchDatabase('mspr_bench_bomb', values.keep === true, log, async ({ url }) => {
      let app: INestApplication | null = null;
      try {
        app = await createApp({ config: loadConfig({ DATABASE_URL: url, NODE_ENV: 'production', DEMO_DATA: 'false' }), databaseUrl: url, databaseMode: 'server', logger: pino({ level: 'silent' }) });
        await app.listen(0, '127.0.0.1');
        const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
        await benchSignIn(app, base);
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const api = async (method: string, p: string, body?: unknown): Promise<any> => {
          const r = await apiFetch(base, p, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
          const j = await r.json();
          if (!r.ok) throw new Error(`${method} ${p}: ${JSON.stringify(j).slice(0, 300)}`);
          return j;
        };
        const round = await api('POST', '/api/rounds', { regionCode: '320500', year: 2025, name: '导入炸弹', params: { itemShareFloor: 0, changeCap: 0.3 } });
        const sc = await api('POST', `/api/rounds/${round.id}/scenarios`, { name: '导入炸弹' });
        const upload = async (bytes: Uint8Array): Promise<string> => {
          const fd = new FormData();
          fd.append('file', new Blob([bytes]), 'bomb.xlsx');
          fd.append('version', String(sc.version)); // every upload is refused: the version stays
          try {
            const res = await apiFetch(base, `/api/scenarios/${sc.id}/import`, { method: 'POST', body: fd });
            const j = (await res.json()) as { code?: string };
            return `${res.status} ${j.code ?? ''}`.trim();
          } catch (e) {
            return `failed: ${(e as Error).message}`;
          }
        };
        const canReset = resetPeak();
        if (!canReset) log('cannot reset the peak resident set (/proc/self/clear_refs): peaks are since the start');
        const settle = () => new Promise((r) => setTimeout(r, 2000));
        await upload(new Uint8Array(Buffer.from('项目编码,新价（元）\nX,1\n'))); // warm up the route
        await settle();

        const rows: Row[] = [];
        for (const [name, bytes] of bombs) {
          for (const n of [1, concurrent]) {
            resetPeak();
            const before = memory().rss;
            const loop = monitorEventLoopDelay({ resolution: 10 });
            loop.enable();
            const prober = healthProber(`${base}/api/health`);
            await new Promise((r) => setTimeout(r, 300)); // the prober's first answers
            const t0 = now();
            const answers = await Promise.all(Array.from({ length: n }, () => upload(bytes)));
            const wallMs = now() - t0;
            const health = await prober.stop();
            loop.disable();
            const peak = memory().peak;
            await settle();
            const counts = new Map<string, number>();
            for (const a of answers) counts.set(a, (counts.get(a) ?? 0) + 1);
            rows.push({
              bomb: name,
              concurrent: n,
              answers: [...counts].map(([a, k]) => `${k}× ${a}`).join(', '),
              wallMs: Math.round(wallMs),
              loopMaxMs: Math.round(loop.max / 1e6),
              healthMaxMs: health.maxMs,
              healthCount: health.count,
              healthFailed: health.failed,
              rssBeforeMB: mib(before),
              rssPeakMB: mib(peak),
              rssAfterMB: mib(memory().rss),
            });
            log(`${name} ×${n}: ${JSON.stringify(rows[rows.length - 1])}`);
          }
        }
        const loadAfter = os.loadavg();
        console.log(
          '\nbomb'.padEnd(30) + 'at once'.padStart(8) + 'wall ms'.padStart(9) + 'loop max ms'.padStart(13) + 'health max ms (n)'.padStart(18) +
            'RSS MB before/peak/after'.padStart(26) + '  answers',
        );
        for (const r of rows) {
          console.log(
            r.bomb.padEnd(29) + String(r.concurrent).padStart(8) + String(r.wallMs).padStart(9) + String(r.loopMaxMs).padStart(13) +
              `${r.healthMaxMs} (${r.healthCount}${r.healthFailed ? `, ${r.healthFailed} failed` : ''})`.padStart(18) + `${r.rssBeforeMB} / ${r.rssPeakMB} / ${r.rssAfterMB}`.padStart(26) + `  ${r.answers}`,
          );
        }
        console.log(`load average (1, 5, 15 min): before ${loadBefore.map((x) => x.toFixed(2)).join(' ')}, after ${loadAfter.map((x) => x.toFixed(2)).join(' ')}; ${os.cpus().length} CPUs`);
        console.log(JSON.stringify({ bench: 'import-bomb', peakReset: canReset, rows }));
        return 0;
      } finally {
        await app?.close();
      }
    });
  },
};
