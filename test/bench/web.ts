// npm run bench -- web: the scenario editor in Debian's Chromium on national-scale data (a scratch database of 31
// regions × 10,000 items; the round's scenario changes 10,000 rows of its 30,000): one price edit until the impact
// panel shows the recomputed net (p50/p95 of 50 edits), navigation to the scenario page until its first chart has
// rendered (cold, then warm), and the gzipped size of the initial JavaScript and of the scenario route.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { parseArgs } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import pino from 'pino';
import { createApp } from '../../api/src/app';
import { loadConfig } from '../../api/src/config/config';
import { dataRequirements, HUNAN_2021 } from '../../api/src/domain/triggers';
import { buildWebApp } from '../support/build-web';
import { launchBrowser } from '../support/chromium';
import type { Bench } from './bench';
import { withScratchDatabase } from './scratch';
import { ROUND_YEAR, seed } from './engine/data';
import { benchSignIn } from './session';
import { apiFetch } from '../support/http';
import { signedInPage } from '../support/chromium';

const EDITS = 50;
const NAVIGATIONS = 5;
const GOALS = { editMs: 16, firstChartMs: 1500, initialKiB: 400 };
const USAGE = `npm run bench -- web [--edits N] [--keep]
  --edits   price edits timed (default ${EDITS})
  --keep    keep the scratch database (its name is printed)
  Uses DATABASE_URL, else the embedded server; builds the web app first.`;

const root = path.resolve(__dirname, '../../..');
const now = () => Number(process.hrtime.bigint()) / 1e6;
const pct = (xs: readonly number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}

/** The gzipped bytes of a chunk and its static imports (each once), leaving out `skip`. */
function closure(manifest: Record<string, ManifestChunk>, start: string, skip: ReadonlySet<string> = new Set()): Set<string> {
  const out = new Set<string>();
  const walk = (k: string) => {
    if (out.has(k) || skip.has(k) || !manifest[k]) return;
    out.add(k);
    for (const i of manifest[k].imports ?? []) walk(i);
  };
  walk(start);
  return out;
}
function gzipKiB(manifest: Record<string, ManifestChunk>, keys: Iterable<string>, dist: string): number {
  let bytes = 0;
  for (const k of keys) bytes += zlib.gzipSync(fs.readFileSync(path.join(dist, manifest[k].file)), { level: 9 }).length;
  return bytes / 1024;
}

export const webBench: Bench = {
  summary: 'the scenario editor in Chromium: edit → panel, navigation → first chart, JavaScript sizes',
  usage: USAGE,
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { edits: { type: 'string' }, keep: { type: 'boolean' } } });
    const edits = Number(values.edits ?? EDITS);
    const log = (s: string) => process.stderr.write(`[bench web] ${s}\n`);
    log('building the web app');
    buildWebApp(root);
    const dist = path.join(root, 'web/dist');
    const manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
    const entry = Object.keys(manifest).find((k) => manifest[k].isEntry)!;
    const initial = closure(manifest, entry);
    const scenarioKey = Object.keys(manifest).find((k) => k.endsWith('pages/scenarios/ScenarioPage.vue'))!;
    const initialKiB = gzipKiB(manifest, initial, dist);
    const routeKiB = gzipKiB(manifest, closure(manifest, scenarioKey, initial), dist);

    const browser = await launchBrowser();
    try {
      return await withScratchDatabase('mspr_bench_web', values.keep === true, log, async ({ url }) => {
        const pg = new Client({ connectionString: url });
        await pg.connect();
        let app: INestApplication | null = null;
        try {
          log('seeding 31 regions × 10,000 items');
          const seeded = await seed(pg, '430000', dataRequirements(HUNAN_2021, ROUND_YEAR).indicators, log);
          app = await createApp({ config: loadConfig({ DATABASE_URL: url, NODE_ENV: 'production', DEMO_DATA: 'false' }), databaseUrl: url, databaseMode: 'server', logger: pino({ level: 'silent' }) });
          await app.listen(0, '127.0.0.1');
          const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
          const session = await benchSignIn(app, base);
          const pageUrl = `${base}/rounds/${seeded.roundId}/scenarios/${seeded.scenarioId}`;

          // what the scenario page reads, timed from Node (second request of each: the facts are cached by then)
          const reads: { name: string; ms: number; kib: number }[] = [];
          for (const [name, p] of [
            ['GET /api/scenarios/:id/facts (Arrow)', `/api/scenarios/${seeded.scenarioId}/facts`],
            ['GET /api/scenarios/:id (the changes)', `/api/scenarios/${seeded.scenarioId}`],
            ['GET /api/rounds/:id', `/api/rounds/${seeded.roundId}`],
          ] as const) {
            await (await apiFetch(base, p)).arrayBuffer();
            const t0 = now();
            const body = await (await apiFetch(base, p)).arrayBuffer();
            reads.push({ name, ms: now() - t0, kib: body.byteLength / 1024 });
          }
          const page = await signedInPage(browser, base, session, { viewport: { width: 1600, height: 1000 } });
          const navigations: number[] = [];
          for (let i = 0; i <= NAVIGATIONS; i++) {
            const t0 = now();
            await page.goto(pageUrl);
            await page.locator('[data-chart=editor-categories][data-finished=true]').waitFor({ timeout: 120_000 });
            navigations.push(now() - t0);
          }
          const [cold, ...warm] = navigations;
          const rows = await page.getByTestId('row-count').innerText();

          // edits: set a visible row's new price and wait until the panel's net shows the recomputed figure
          // (the in-page code is given as text: the server-side typecheck knows no DOM)
          const times = (await page.evaluate(`(async (n) => {
            const net = document.querySelector('[data-testid=panel-net]');
            const out = [];
            for (let k = 0; k < n; k++) {
              const inputs = [...document.querySelectorAll('input[data-testid^="price-"]')];
              const input = inputs[k % inputs.length];
              const before = net.textContent;
              const t0 = performance.now();
              await new Promise((resolve) => {
                const obs = new MutationObserver(() => {
                  if (net.textContent !== before) { obs.disconnect(); resolve(); }
                });
                obs.observe(net, { childList: true, characterData: true, subtree: true });
                input.value = (Number(input.value) + 0.01 * (k + 1)).toFixed(2);
                input.dispatchEvent(new Event('change', { bubbles: true }));
              });
              out.push(performance.now() - t0);
              await new Promise((r) => requestAnimationFrame(() => r(null)));
            }
            return out;
          })(${edits})`)) as number[];

          const table = [
            { metric: `one price edit → impact panel (${rows}), ${edits} edits`, p50: pct(times, 50), p95: pct(times, 95), goal: `≤ ${GOALS.editMs} ms p50` , met: pct(times, 50) <= GOALS.editMs },
            { metric: 'navigation → first chart of the scenario page, cold', p50: cold, p95: cold, goal: '', met: true },
            { metric: `navigation → first chart, warm (${warm.length} runs)`, p50: pct(warm, 50), p95: pct(warm, 95), goal: `≤ ${GOALS.firstChartMs} ms`, met: pct(warm, 50) <= GOALS.firstChartMs },
          ];
          console.log('\nmeasurement'.padEnd(64) + 'p50 ms'.padStart(10) + 'p95 ms'.padStart(10) + '  goal');
          for (const l of table) console.log(l.metric.padEnd(63) + l.p50.toFixed(1).padStart(10) + l.p95.toFixed(1).padStart(10) + `  ${l.goal}${l.goal ? (l.met ? ' ✓' : ' ✗') : ''}`);
          for (const r of reads) console.log(`  ${r.name.padEnd(60)}${r.ms.toFixed(1).padStart(10)} ms  ${r.kib.toFixed(0)} KiB`);
          console.log(`initial JavaScript (gzip): ${initialKiB.toFixed(1)} KiB (goal ≤ ${GOALS.initialKiB} KiB ${initialKiB <= GOALS.initialKiB ? '✓' : '✗'}); scenario route (gzip, beyond the initial): ${routeKiB.toFixed(1)} KiB`);
          console.log(JSON.stringify({ bench: 'web', editMs: { p50: pct(times, 50), p95: pct(times, 95) }, firstChartMs: { cold, warmP50: pct(warm, 50) }, initialKiB, routeKiB, rows }));
          return 0;
        } finally {
          await app?.close();
          await pg.end();
        }
      });
    } finally {
      await browser.close();
    }
  },
};
