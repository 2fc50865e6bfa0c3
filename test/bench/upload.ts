// npm run bench -- upload: a generated volume file of a given size uploaded through the API (the compiled server as
// its own process, as in production) on a scratch database, its load job polled as the 数据管理 page polls it. Prints
// the upload's and the load's wall time, rows/s, the API process's peak RSS (VmHWM) and the load average: the upload
// is streamed to disk and the load streams the file into COPY, so the API's memory stays bounded whatever the size.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { loadFile } from '../../etl/src/run';
import { writeBulk } from '../../data/generator/bulk';
import { apiFetch } from '../support/http';
import { loadAverage, memory, startApi } from './api-process';
import type { Bench } from './bench';
import { withScratchDatabase } from './scratch';
import { benchSignInRemote } from './session';

const REGION = '330000';

const USAGE = `npm run bench -- upload [--gb N] [--keep]
  --gb     size of the generated volume file in GB (default 1; 0.1 for a quick run)
  --keep   keep the scratch database
  Builds the server first when build/ is missing (npm run build:server). Uses DATABASE_URL's server, else the
  embedded one; the files are generated into a temporary folder and removed after.`;

/**
 * A volumes CSV of about `bytes`: every institution × item of the region for one whole year after another (月份 0),
 * from 2023 backwards, so that no key repeats.
 */
async function writeVolumes(file: string, bytes: number, institutions: string[], items: string[]): Promise<number> {
  const out = fs.createWriteStream(file, { highWaterMark: 1 << 22 });
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write('行政区划代码,机构编码,项目编码,年份,月份,服务量\n');
  let size = 0;
  let rows = 0;
  let state = 2463534242;
  outer: for (let year = 2023; year >= 1991; year--) {
    for (const inst of institutions) {
      let buf = '';
      for (const item of items) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        buf += `${REGION},${inst},${item},${year},0,${((state >>> 0) % 50_000) + 1}\n`;
        rows++;
      }
      size += Buffer.byteLength(buf);
      await write(buf);
      if (size >= bytes) break outer;
    }
  }
  out.end();
  await new Promise<void>((r) => out.once('finish', () => r()));
  return rows;
}

async function runUpload(argv: string[]): Promise<number> {
  const { values: v } = parseArgs({ args: argv, options: { gb: { type: 'string', default: '1' }, keep: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } });
  if (v.help) {
    console.log(USAGE);
    return 0;
  }
  const gb = Number(v.gb);
  if (!(gb > 0 && gb <= 8)) throw new Error('--gb must be a number above 0 and at most 8');
  const log = (s: string) => console.error(`  ${s}`);
  if (!fs.existsSync('build/api/src/main.js')) {
    log('building the server (npm run build:server)');
    const r = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('the server did not build');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mspr-bench-upload-'));
  try {
    return await withScratchDatabase('mspr_bench_upload', v.keep === true, log, async (scratch) => {
      // the region's catalogue, institutions and price table, loaded by the ETL (not timed)
      await writeBulk({ scale: 'province', outDir: dir, seed: 7, institutionCounts: [20, 40, 60] });
      const pool = new Pool({ connectionString: scratch.url, max: 2 });
      const opts = { dryRun: false, skipInvalid: false, maxErrors: 20, origin: 'generated' as const, user: 'bench' };
      for (const [f, kind] of [['catalogue.csv', 'catalogue'], ['institutions.csv', 'institutions'], [`price-tables/price-table-${REGION}.csv`, 'price-table']] as const) {
        const s = await loadFile(pool, path.join(dir, f), { ...opts, kind, effectiveDate: '2022-01-01' });
        if (s.status !== 'loaded') throw new Error(`${f}: ${s.status} ${JSON.stringify(s.errors.slice(0, 3))}`);
      }
      const institutions = (await pool.query(`select code from institution where region_code = $1 order by code`, [REGION])).rows.map((r) => r.code as string);
      const items = (await pool.query(`select item_code from region_item where region_code = $1 and not is_group order by item_code`, [REGION])).rows.map((r) => r.item_code as string);
      await pool.end();
      const file = path.join(dir, `volumes-${REGION}-${gb}gb.csv`);
      const t0 = Date.now();
      const rows = await writeVolumes(file, gb * 1024 ** 3, institutions, items);
      const bytes = fs.statSync(file).size;
      log(`volume file: ${(bytes / 1024 ** 3).toFixed(2)} GB, ${rows.toLocaleString('en')} rows (${institutions.length} institutions × ${items.length} items × years), written in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      fs.rmSync(path.join(dir, 'volumes.csv'), { force: true });

      // the API's default memory budget for an upload's load, whatever the bench's environment says
      const api = await startApi(scratch.url, undefined, { UPLOAD_MEMORY_MB: undefined });
      try {
        const pid = api.child.pid!;
        await benchSignInRemote(scratch.url, api.base);
        const idle = memory(pid);
        let peakSeen = idle.rssMB;
        const sampler = setInterval(() => {
          try {
            peakSeen = Math.max(peakSeen, memory(pid).rssMB);
          } catch {
            // the process ended
          }
        }, 200);
        const load0 = loadAverage();
        const form = new FormData();
        form.append('files', await fs.openAsBlob(file, { type: 'text/csv' }), path.basename(file));
        const t1 = Date.now();
        const res = await apiFetch(api.base, `/api/loads/uploads?mode=load&kind=volumes&region=${REGION}`, { method: 'POST', body: form });
        const started = (await res.json()) as { id: string; code?: string; message?: string };
        if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${started.code} ${started.message}`);
        const uploadSeconds = (Date.now() - t1) / 1000;
        log(`uploaded in ${uploadSeconds.toFixed(1)} s (${(bytes / 1024 ** 2 / uploadSeconds).toFixed(0)} MB/s); loading…`);
        const t2 = Date.now();
        type Phase = { code: string; zh: string; seconds: number };
        let job: {
          status: string;
          files: {
            rowsRead: number; totalRows: number | null; rowsPerSecond: number; etaSeconds: number | null; phase: Phase | null; phases: Phase[];
            summary: { status: string; rowsLoaded: number; errors: unknown[]; seconds: number } | null;
          }[];
        };
        let lastLog = 0;
        for (;;) {
          job = (await (await apiFetch(api.base, `/api/loads/jobs/${started.id}`)).json()) as typeof job;
          const f = job.files[0]!;
          if (Date.now() - lastLog > 5000) {
            lastLog = Date.now();
            const now = f.phase && f.phase.code !== 'read' ? `${f.phase.code} for ${f.phase.seconds.toFixed(0)} s` : `ETA ${f.etaSeconds ?? '?'} s`;
            log(`progress: ${f.rowsRead.toLocaleString('en')} / ${f.totalRows?.toLocaleString('en') ?? '?'} rows, ${f.rowsPerSecond.toLocaleString('en')} rows/s, ${now}, RSS ${memory(pid).rssMB} MB`);
          }
          if (job.status === 'done' || job.status === 'failed') break;
          await new Promise((r) => setTimeout(r, 500));
        }
        const loadSeconds = (Date.now() - t2) / 1000;
        clearInterval(sampler);
        const mem = memory(pid);
        const s = job.files[0]!.summary;
        if (!s || s.status !== 'loaded') throw new Error(`the load ended ${job.status} / ${s?.status}: ${JSON.stringify(s?.errors.slice(0, 3))}`);
        const result = {
          bench: 'upload',
          fileGB: +(bytes / 1024 ** 3).toFixed(3),
          rows: s.rowsLoaded,
          uploadSeconds: +uploadSeconds.toFixed(1),
          loadSeconds: +loadSeconds.toFixed(1),
          wallSeconds: +(uploadSeconds + loadSeconds).toFixed(1),
          rowsPerSecond: Math.round(s.rowsLoaded / loadSeconds),
          apiRssIdleMB: idle.rssMB,
          apiPeakRssMB: Math.max(mem.peakMB, peakSeen),
          phases: job.files[0]!.phases.map((p) => ({ code: p.code, seconds: +p.seconds.toFixed(1) })),
          loadAverageBefore: load0,
          loadAverageAfter: loadAverage(),
          database: scratch.mode,
        };
        console.log(`
| measure | value |
|---|---|
| volume file | ${result.fileGB} GB, ${result.rows.toLocaleString('en')} rows |
| upload (HTTP, streamed to disk) | ${result.uploadSeconds} s |
| load job (the ETL's volumes loader) | ${result.loadSeconds} s, ${result.rowsPerSecond.toLocaleString('en')} rows/s |
| wall time | ${result.wallSeconds} s |
| API memory budget of the load (UPLOAD_MEMORY_MB) | default (256 MB) |
| phases of the load (the job's progress) | ${result.phases.map((p) => `${p.code} ${p.seconds} s`).join(', ')} |
| API RSS: idle → peak (VmHWM) | ${result.apiRssIdleMB} MB → ${result.apiPeakRssMB} MB |
| load average (1/5/15 min) before → after | ${result.loadAverageBefore} → ${result.loadAverageAfter} |`);
        console.log(JSON.stringify(result));
        return 0;
      } finally {
        await api.stop();
      }
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const uploadBench: Bench = {
  summary: 'a generated volume file uploaded through the API and loaded as a polled job: wall time, rows/s, the API\'s peak RSS',
  usage: USAGE,
  run: runUpload,
};
