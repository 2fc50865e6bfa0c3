// npm run bench -- etl: the volumes loader against PostgreSQL's own `psql \copy` of the same file into a table of
// the same columns, on a scratch database created (and dropped) for the run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Pool } from 'pg';
import { loadConfig } from '../../api/src/config/config';
import { openDatabase } from '../../api/src/database/connect';
import { createDataSource, migrate } from '../../api/src/database/data-source';
import { formatIssue } from '../../etl/src/issues';
import { matchColumns } from '../../etl/src/read';
import { loadFile } from '../../etl/src/run';
import { TABLE_COLUMNS, VOLUME_COLUMNS, VolumeKey } from '../../etl/src/volumes/rows';
import type { Bench } from './bench';

const DEFAULT_FILE = 'data/generated/national/volumes.csv';
const DEFAULT_ROWS = 30_000_000;
const PROVINCES = ['110000', '120000', '130000', '140000', '150000', '210000', '220000', '230000', '310000', '320000', '330000', '340000',
  '350000', '360000', '370000', '410000', '420000', '430000', '440000', '450000', '460000', '500000', '510000', '520000', '530000', '540000',
  '610000', '620000', '630000', '640000', '650000'];

const USAGE = `npm run bench -- etl [--file FILE] [--region CODE]
npm run bench -- etl --synthetic [--rows N]
  --file       volumes CSV (default ${DEFAULT_FILE};
               make it with: npm run data:generate -- --scale national --out data/generated/national)
  --synthetic  generate a CSV of six integer columns into a temporary folder instead (--rows, default ${DEFAULT_ROWS.toLocaleString('en')})
  --region     for a file without a region column
  --repeat N   measure N times, each on a fresh scratch database, and report the median ratio (default 1)`;

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = '/' + db;
  return u.toString();
}

/**
 * A volumes CSV shaped like the national one: 31 provinces × 140 institutions, each reporting a share of 10,000
 * items for two whole years (月份 0), one row per (institution, item, year).
 */
async function writeSynthetic(file: string, rows: number): Promise<void> {
  const institutions = PROVINCES.length * 140;
  const perYear = Math.min(10_000, Math.ceil(rows / (2 * institutions)));
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, '行政区划代码,机构编码,项目编码,年份,月份,服务量\n');
    let written = 0;
    let buf = '';
    let state = 2463534242;
    for (let inst = 0; inst < institutions && written < rows; inst++) {
      const region = PROVINCES[Math.floor(inst / 140)];
      const prefix = `${region},${region.slice(0, 2)}${String(inst + 1).padStart(8, '0')},`;
      const offset = (inst * 104729) % 10_000;
      for (const year of [2022, 2023]) {
        for (let t = 0; t < perYear && written < rows; t++) {
          state ^= state << 13;
          state ^= state >>> 17;
          state ^= state << 5;
          buf += `${prefix}${410000001 + ((offset + t * 7919) % 10_000)},${year},0,${(state >>> 0) % 50_000}\n`;
          written++;
          if (buf.length > 1 << 20) {
            fs.writeSync(fd, buf);
            buf = '';
          }
        }
      }
    }
    fs.writeSync(fd, buf);
  } finally {
    fs.closeSync(fd);
  }
}

function run(cmd: string, args: string[]): Promise<{ code: number; stderr: string; seconds: number }> {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? 1, stderr, seconds: Number(process.hrtime.bigint() - t0) / 1e9 }));
  });
}

/** The table columns of the file's header, in file order (for the \copy column list). */
function headerColumns(file: string): string[] {
  const fd = fs.openSync(file, 'r');
  const b = Buffer.alloc(4096);
  const n = fs.readSync(fd, b, 0, b.length, 0);
  fs.closeSync(fd);
  const line = b.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[0];
  const columns = line.split(',').map((label, index) => ({ index, path: [label], label, letter: String(index + 1) }));
  const m = matchColumns({ columns }, VOLUME_COLUMNS);
  if (m.missing.length) throw new Error(`not a volumes file: missing ${m.missing.join(', ')}`);
  const byIndex = new Map(Object.entries(m.columns).map(([k, c]) => [c!.index, TABLE_COLUMNS[k as VolumeKey]]));
  if (byIndex.size !== columns.length) throw new Error('the benchmark file may only hold the volume columns');
  return columns.map((c) => byIndex.get(c.index)!);
}

const fmt = (n: number, d = 0) => n.toLocaleString('en', { minimumFractionDigits: d, maximumFractionDigits: d });

async function runEtl(argv: string[]): Promise<number> {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      file: { type: 'string' },
      synthetic: { type: 'boolean', default: false },
      rows: { type: 'string' },
      region: { type: 'string' },
      repeat: { type: 'string', default: '1' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (v.help) {
    console.log(USAGE);
    return 0;
  }
  const log = (s: string) => process.stderr.write(`[bench etl] ${s}\n`);
  const repeat = Number(v.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat must be a positive whole number: ${v.repeat}`);
  if (v.region && !/^\d{6}$/.test(v.region)) throw new Error(`--region must be a six-digit region code: ${v.region}`);
  const config = loadConfig();
  let tmp: string | null = null;
  let file: string;
  if (v.synthetic || v.rows) {
    const rows = Number(v.rows ?? DEFAULT_ROWS);
    if (!Number.isSafeInteger(rows) || rows < 1) throw new Error(`--rows must be a positive whole number: ${v.rows}`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mspr-bench-'));
    file = path.join(tmp, 'volumes.csv');
    log(`writing ${fmt(rows)} synthetic rows to ${file}`);
    await writeSynthetic(file, rows);
  } else {
    file = path.resolve(config.projectRoot, v.file ?? DEFAULT_FILE);
    if (!fs.existsSync(file)) {
      console.error(`找不到文件 (file not found): ${path.relative(process.cwd(), file)}
生成全国规模数据 (generate the national-scale data): npm run data:generate -- --scale national --out data/generated/national
或使用合成数据 (or use a synthetic file): npm run bench -- etl --synthetic --rows ${DEFAULT_ROWS}`);
      return 2;
    }
  }
  const columns = headerColumns(file);
  const size = fs.statSync(file).size;
  log(`${path.basename(file)}: ${fmt(size / 2 ** 20)} MiB`);

  const handle = await openDatabase(config, log);
  const admin = new Client({ connectionString: handle.url });
  await admin.connect();
  try {
    const rounds: Round[] = [];
    for (let i = 0; i < repeat; i++) {
      if (repeat > 1) log(`round ${i + 1} of ${repeat}`);
      const r = await round(admin, handle.url, file, columns, v.region ?? null, log);
      if (!r) return 1;
      rounds.push(r);
    }
    report(file, size, rounds);
    return 0;
  } finally {
    await admin.end();
    await handle.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

interface Round {
  server: string;
  copy: { rows: number; seconds: number };
  loader: { rows: number; seconds: number; path: unknown; keys: number; aggregateMB: unknown; phases: { name: string; seconds: number }[] };
}

/** One measurement on a scratch database of its own: (a) psql \copy, (b) the loader. */
async function round(admin: Client, serverUrl: string, file: string, columns: string[], region: string | null, log: (s: string) => void): Promise<Round | null> {
  const scratch = `mspr_bench_${process.pid}_${Date.now().toString(36)}`;
  let pool: Pool | null = null;
  try {
    await admin.query(`create database ${scratch}`);
    const url = withDatabase(serverUrl, scratch);
    const ds = createDataSource(url, 1);
    await ds.initialize();
    await migrate(ds);
    await ds.destroy();
    pool = new Pool({ connectionString: url, max: 2 });
    pool.on('error', () => undefined); // an idle connection closed by the drop at the end
    const server = (await pool.query<{ v: string }>("select current_setting('server_version') as v")).rows[0].v;
    const checkpoint = () => pool!.query('checkpoint').catch(() => undefined);

    // (a) psql \copy into a fresh table of the same columns
    await pool.query(`create table bench_copy (region_code text not null, institution_code text not null, item_code text not null,
      year smallint not null, month smallint not null default 0, quantity bigint not null, batch_id bigint not null default 0)`);
    await checkpoint();
    log(`psql \\copy of ${path.basename(file)}`);
    const copy = await run('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c',
      `\\copy bench_copy (${columns.join(', ')}) from '${file.replace(/'/g, "''")}' with (format csv, header true)`]);
    if (copy.code !== 0) throw new Error(`psql \\copy failed: ${copy.stderr.trim()}`);
    const copied = Number((await pool.query<{ n: string }>('select count(*) as n from bench_copy')).rows[0].n);

    // reference rows the loader checks against, derived set-based from the copied rows
    log('institutions and price-table items for the file');
    const regionExpr = columns.includes('region_code') ? 'region_code' : `'${region ?? ''}'`;
    await pool.query(`insert into institution (region_code, code, name, hospital_level, is_public)
      select ${regionExpr}, institution_code, institution_code, 1 + abs(hashtext(institution_code)) % 3, true
        from bench_copy group by 1, 2`);
    await pool.query(`insert into region_item (region_code, item_code, name) select ${regionExpr}, item_code, item_code from bench_copy group by 1, 2`);
    await pool.query('drop table bench_copy');
    await pool.query('analyze institution; analyze region_item');
    await checkpoint();

    // (b) the loader
    log('volumes loader');
    const t0 = process.hrtime.bigint();
    const s = await loadFile(pool, file, {
      kind: 'volumes', region: region ?? undefined, dryRun: false, skipInvalid: false, maxErrors: 20, origin: 'generated', user: 'bench',
    });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (s.status !== 'loaded') {
      console.error(`loader: ${s.status}\n${s.errors.map(formatIssue).join('\n')}`);
      return null;
    }
    if (s.rowsLoaded !== copied) log(`warning: the loader stored ${s.rowsLoaded} rows, \\copy ${copied}`);
    return {
      server,
      copy: { rows: copied, seconds: copy.seconds },
      loader: {
        rows: s.rowsLoaded, seconds, path: s.details?.path, keys: Number(s.details?.keys), aggregateMB: s.details?.aggregateMB,
        phases: ((s.details?.phases ?? []) as { name: string; seconds: number }[]).map((p) => ({ name: p.name, seconds: +p.seconds.toFixed(2) })),
      },
    };
  } finally {
    await pool?.end();
    await admin.query(`drop database if exists ${scratch} with (force)`).catch((e) => log(`could not drop ${scratch}: ${e.message}`));
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function report(file: string, size: number, rounds: Round[]): void {
  const lines = rounds.map((r, i) => {
    const copyRate = r.copy.rows / r.copy.seconds;
    const loadRate = r.loader.rows / r.loader.seconds;
    const rest = r.loader.seconds - r.loader.phases.reduce((t, p) => t + p.seconds, 0);
    const tag = rounds.length > 1 ? ` (round ${i + 1})` : '';
    return `  ${`psql \\copy${tag}`.padEnd(26)} ${fmt(r.copy.rows).padStart(12)} ${fmt(r.copy.seconds, 1).padStart(9)} ${fmt(copyRate).padStart(12)}
  ${`volumes loader${tag}`.padEnd(26)} ${fmt(r.loader.rows).padStart(12)} ${fmt(r.loader.seconds, 1).padStart(9)} ${fmt(loadRate).padStart(12)}   ratio ${(loadRate / copyRate).toFixed(2)}
    phases: header, batch and the rest ${rest.toFixed(1)} s${r.loader.phases.map((p) => `, ${p.name} ${p.seconds.toFixed(1)} s`).join('')}`;
  });
  const ratios = rounds.map((r) => r.loader.rows / r.loader.seconds / (r.copy.rows / r.copy.seconds));
  const last = rounds[rounds.length - 1];
  console.log(`
ETL benchmark — ${path.basename(file)}, ${fmt(size / 2 ** 20)} MiB, PostgreSQL ${last.server}, ${os.cpus().length} cores
                                     rows   seconds       rows/s
${lines.join('\n')}
  ratio (loader ÷ \\copy, rows/s)${rounds.length > 1 ? ', median' : ''}: ${median(ratios).toFixed(2)}
  loader path: ${last.loader.path}; aggregate ${fmt(last.loader.keys)} keys, ${last.loader.aggregateMB} MiB; peak RSS ${fmt(process.resourceUsage().maxRSS / 1024)} MiB
`);
  console.log(JSON.stringify({
    bench: 'etl', file: path.basename(file), bytes: size, server: last.server, cores: os.cpus().length,
    copy: { rows: last.copy.rows, seconds: +median(rounds.map((r) => r.copy.seconds)).toFixed(2), rowsPerSecond: Math.round(median(rounds.map((r) => r.copy.rows / r.copy.seconds))) },
    loader: { rows: last.loader.rows, seconds: +median(rounds.map((r) => r.loader.seconds)).toFixed(2), rowsPerSecond: Math.round(median(rounds.map((r) => r.loader.rows / r.loader.seconds))) },
    ratio: +median(ratios).toFixed(3),
    rounds: rounds.map((r) => ({ copySeconds: +r.copy.seconds.toFixed(2), loaderSeconds: +r.loader.seconds.toFixed(2), phases: r.loader.phases })),
  }));
}

export const etlBench: Bench = {
  summary: 'volumes loader vs psql \\copy of the same CSV (rows/s and ratio)',
  usage: USAGE,
  run: runEtl,
};
