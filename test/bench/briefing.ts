// npm run bench -- briefing: the PDF 测算简报 of the demo round's 1,398-price scenario (苏州 320500, 2025; the size of
// the pilot cities' first round, 1,398 item prices) on a scratch database with the demo dataset, beside printing the
// same scenario's web page to PDF in Debian's Chromium (page.pdf()) in the same run. Times: the server route over HTTP
// (cold, then the p50 of --runs warm runs) and the briefing CLI as one process (its wall time and peak RSS); the
// browser route from navigation until the PDF bytes (cold, then warm). Prints the machine's load average.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import { Pool } from 'pg';
import pino from 'pino';
import { createApp } from '../../api/src/app';
import { loadConfig } from '../../api/src/config/config';
import { loadPath } from '../../etl/src/run';
import { buildWebApp } from '../support/build-web';
import { launchBrowser } from '../support/chromium';
import type { Bench } from './bench';
import { withScratchDatabase } from './scratch';
import { benchSignIn } from './session';
import { apiFetch } from '../support/http';
import { signedInPage } from '../support/chromium';

const RUNS = 5;
const CHANGED = 1398;
const GOALS = { ms: 3000, ratio: 0.3 };
const USAGE = `npm run bench -- briefing [--runs N] [--keep]
  --runs    warm runs of each route (default ${RUNS})
  --keep    keep the scratch database (its name is printed)
  Uses DATABASE_URL, else the embedded server; loads data/demo, builds the web app first.`;

const root = path.resolve(__dirname, '../../..');
const now = () => Number(process.hrtime.bigint()) / 1e6;
const p50 = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const mib = (bytes: number) => bytes / 1024 / 1024;

/** Sum of VmHWM (peak resident set) over this process's descendants (Chromium and its helpers), bytes. */
function descendantsPeakRss(): number {
  const parent = new Map<number, number>();
  for (const d of fs.readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after the last ")"
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // ended meanwhile
    }
  }
  const mine = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parent) {
      if (!mine.has(pid) && mine.has(ppid)) {
        mine.add(pid);
        grew = true;
      }
    }
  }
  mine.delete(process.pid);
  let kib = 0;
  for (const pid of mine) {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) kib += Number(m[1]);
    } catch {
      // ended meanwhile
    }
  }
  return kib * 1024;
}

export const briefingBench: Bench = {
  summary: 'the PDF briefing of the 1,398-price demo scenario beside Chromium printing its web page',
  usage: USAGE,
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { runs: { type: 'string' }, keep: { type: 'boolean' } } });
    const runs = Number(values.runs ?? RUNS);
    if (!Number.isInteger(runs) || runs < 1 || runs > 100) {
      console.error(`参数 --runs 须为 1 至 100 的整数，收到“${values.runs}” (--runs must be an integer 1–100)`);
      return 2;
    }
    const log = (s: string) => process.stderr.write(`[bench briefing] ${s}\n`);
    const loadBefore = os.loadavg();
    log('building the web app');
    buildWebApp(root);
    return withScratchDatabase('mspr_bench_briefing', values.keep === true, log, async ({ url }) => {
      const pool = new Pool({ connectionString: url, max: 2 });
      log('loading data/demo through the loaders');
      try {
        const loaded = await loadPath(pool, path.join(root, 'data/demo'), { dryRun: false, skipInvalid: false, maxErrors: 5, origin: 'generated', user: 'bench' });
        const failed = loaded.filter((s) => s.status !== 'loaded');
        if (failed.length) throw new Error(`demo dataset did not load: ${failed.map((f) => f.file).join(', ')}`);
      } finally {
        await pool.end();
      }
      let app: INestApplication | null = null;
      const browser = await launchBrowser();
      try {
        app = await createApp({ config: loadConfig({ DATABASE_URL: url, NODE_ENV: 'production', DEMO_DATA: 'false' }), databaseUrl: url, databaseMode: 'server', logger: pino({ level: 'silent' }) });
        await app.listen(0, '127.0.0.1');
        const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
        const session = await benchSignIn(app, base);
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const api = async (method: string, p: string, body?: unknown): Promise<any> => {
          const r = await apiFetch(base, p, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
          const j = await r.json();
          if (!r.ok) throw new Error(`${method} ${p}: ${JSON.stringify(j).slice(0, 300)}`);
          return j;
        };

        // the scenario: 1,398 item prices of 苏州 — exams and lab cut by 10%, the rest raised by 8%
        const round = await api('POST', '/api/rounds', {
          regionCode: '320500', year: 2025, name: '苏州市2025年医疗服务价格调整', effectiveDate: '2025-01-01', params: { itemShareFloor: 0.05, changeCap: 0.3 },
        });
        const sc = await api('POST', `/api/rounds/${round.id}/scenarios`, { name: `有升有降方案（${CHANGED}项）` });
        const rows: { itemCode: string; level: number; family: string }[] = await api('GET', `/api/scenarios/${sc.id}/impact/items?scope=all`);
        const cuts = rows.filter((r) => r.family === 'equipment').slice(0, 500);
        const raises = rows.filter((r) => r.family !== 'equipment').slice(0, CHANGED - cuts.length);
        const changes = [...cuts.map((r) => ({ ...r, pct: -10 })), ...raises.map((r) => ({ ...r, pct: 8 }))].map((r) => ({ itemCode: r.itemCode, level: r.level, pctChange: r.pct }));
        const put = await api('PUT', `/api/scenarios/${sc.id}/changes`, { version: 1, changes });
        log(`round ${round.id}, scenario ${sc.id}: ${put.changeCount} changed item prices`);

        // the server route over HTTP; the peak RSS of this process sampled while it renders
        let peak = process.memoryUsage().rss;
        const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
        const briefingPath = `/api/rounds/${round.id}/briefing.pdf?scenario=${sc.id}`;
        const serverTimes: number[] = [];
        let pdfBytes = 0;
        for (let i = 0; i <= runs; i++) {
          const t0 = now();
          const res = await apiFetch(base, briefingPath);
          const buf = Buffer.from(await res.arrayBuffer());
          if (res.status !== 200) throw new Error(`briefing: HTTP ${res.status} ${buf.toString('utf8').slice(0, 300)}`);
          serverTimes.push(now() - t0);
          pdfBytes = buf.length;
          if (i === 0) fs.writeFileSync(path.join(os.tmpdir(), 'mspr-bench-briefing.pdf'), buf);
        }
        clearInterval(sampler);
        const pages = Number(/Pages:\s+(\d+)/.exec(spawnSync('pdfinfo', [path.join(os.tmpdir(), 'mspr-bench-briefing.pdf')], { encoding: 'utf8' }).stdout ?? '')?.[1] ?? NaN);
        const [serverCold, ...serverWarm] = serverTimes;

        // the CLI as one process (compiled server): wall time and its peak RSS (getrusage, from GNU time)
        const out = path.join(os.tmpdir(), `mspr-bench-briefing-cli-${process.pid}.pdf`);
        const cliJs = path.join(root, 'build/api/src/briefing/briefing.cli.js');
        const t0 = now();
        const cli = spawnSync('/usr/bin/time', ['-f', 'MAXRSS_KIB=%M', process.execPath, cliJs, '--round', String(round.id), '--scenario', String(sc.id), '--out', out], {
          encoding: 'utf8', env: { ...process.env, DATABASE_URL: url },
        });
        const cliMs = now() - t0;
        if (cli.status !== 0) throw new Error(`briefing CLI failed: ${cli.stderr}`);
        const cliRss = Number(/MAXRSS_KIB=(\d+)/.exec(cli.stderr)?.[1] ?? NaN) * 1024;
        fs.rmSync(out, { force: true });

        // the browser route: the scenario page, its charts drawn, printed to A4 PDF
        const pageUrl = `${base}/rounds/${round.id}/scenarios/${sc.id}`;
        const browserTimes: number[] = [];
        const printTimes: number[] = [];
        let browserBytes = 0;
        for (let i = 0; i <= runs; i++) {
          const page = await signedInPage(browser, base, session, { viewport: { width: 1600, height: 1000 } });
          const t1 = now();
          await page.goto(pageUrl);
          await page.locator('[data-chart=editor-categories][data-finished=true]').waitFor({ timeout: 120_000 });
          const t2 = now();
          const buf = await page.pdf({ format: 'A4', printBackground: true });
          const t3 = now();
          browserTimes.push(t3 - t1);
          printTimes.push(t3 - t2);
          browserBytes = buf.length;
          await page.close();
        }
        const chromiumRss = descendantsPeakRss();
        const [browserCold, ...browserWarm] = browserTimes;
        const loadAfter = os.loadavg();

        const serverP50 = p50(serverWarm);
        const browserP50 = p50(browserWarm);
        const ratio = serverP50 / browserP50;
        const lines: [string, number, number, string][] = [
          [`briefing over HTTP (${pages} pages, ${(pdfBytes / 1024).toFixed(0)} KiB), cold`, serverCold, serverCold, ''],
          [`briefing over HTTP, warm (${serverWarm.length} runs)`, serverP50, Math.max(...serverWarm), `≤ ${GOALS.ms} ms ${serverP50 <= GOALS.ms ? '✓' : '✗'}`],
          ['npm run briefing: one process (start, connect, render, write)', cliMs, cliMs, ''],
          [`Chromium: page → page.pdf() (${(browserBytes / 1024).toFixed(0)} KiB), cold`, browserCold, browserCold, ''],
          [`Chromium: page → page.pdf(), warm (${browserWarm.length} runs)`, browserP50, Math.max(...browserWarm), ''],
          ['  of which page.pdf() alone, warm', p50(printTimes.slice(1)), Math.max(...printTimes.slice(1)), ''],
        ];
        console.log('\nmeasurement'.padEnd(72) + 'p50 ms'.padStart(10) + 'max ms'.padStart(10) + '  goal');
        for (const [m, a, b, g] of lines) console.log(m.padEnd(71) + a.toFixed(0).padStart(10) + b.toFixed(0).padStart(10) + `  ${g}`);
        console.log(`server ÷ browser route (warm p50): ${ratio.toFixed(2)}× (goal ≤ ${GOALS.ratio}× ${ratio <= GOALS.ratio ? '✓' : '✗'})`);
        console.log(
          `peak RSS: briefing CLI process ${mib(cliRss).toFixed(0)} MiB; this process (app + bench) while serving ${mib(peak).toFixed(0)} MiB; ` +
            `Chromium (sum over its processes) ${mib(chromiumRss).toFixed(0)} MiB`,
        );
        console.log(`load average (1, 5, 15 min): before ${loadBefore.map((x) => x.toFixed(2)).join(' ')}, after ${loadAfter.map((x) => x.toFixed(2)).join(' ')}; ${os.cpus().length} CPUs`);
        console.log(
          JSON.stringify({
            bench: 'briefing',
            changedPrices: put.changeCount,
            pages,
            pdfKiB: Math.round(pdfBytes / 1024),
            serverMs: { cold: Math.round(serverCold), warmP50: Math.round(serverP50) },
            cliMs: Math.round(cliMs),
            browserMs: { cold: Math.round(browserCold), warmP50: Math.round(browserP50), printP50: Math.round(p50(printTimes.slice(1))) },
            ratio: Number(ratio.toFixed(3)),
            peakRssMiB: { cli: Math.round(mib(cliRss)), serverProcess: Math.round(mib(peak)), chromium: Math.round(mib(chromiumRss)) },
            loadavg: { before: loadBefore, after: loadAfter },
            goals: { ms: GOALS.ms, ratio: GOALS.ratio, met: serverP50 <= GOALS.ms && ratio <= GOALS.ratio },
          }),
        );
        return 0;
      } finally {
        await app?.close();
        await browser.close();
      }
    });
  },
};
