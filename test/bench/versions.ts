// npm run bench -- versions: what a scenario version costs for a 10,000-row scenario, in a scratch database — the
// size of a version as stored (gzip'd JSON of the whole list; a PATCH's delta) beside the same list as plain JSON and
// as a jsonb column (PostgreSQL's own TOAST compression), the time a save takes with its version and the version's
// own part of it, and the time to read a version back (a full list, and the worst chain: a full list and 19 deltas).
import { AuditRepository } from '../../api/src/audit/audit.repository';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../api/src/database/data-source';
import { encodeVersionBody, SNAPSHOT_EVERY, type StoredRow } from '../../api/src/database/scenario-version-body';
import type { HospitalLevel } from '../../api/src/domain/reference';
import { ScenariosRepository, type ChangeRow } from '../../api/src/scenarios/scenarios.repository';
import { ScenarioVersionsRepository } from '../../api/src/scenarios/versions.repository';
import type { Bench } from './bench';
import { withScratchDatabase } from './scratch';

const ROWS = 10_000;
const RUNS = 10;
const USAGE = `npm run bench -- versions [--rows N] [--runs N] [--keep]
  --rows    changes in the scenario (default ${ROWS.toLocaleString('en')})
  --runs    timed runs of each measurement (default ${RUNS})
  --keep    keep the scratch database (its name is printed)
  Uses DATABASE_URL, else the embedded server.`;

const now = () => Number(process.hrtime.bigint()) / 1e6;
const pct = (xs: readonly number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};

/**
 * A change list in the shape of a real one: 9-digit item codes, three levels, prices from 5元 to 500元 moved by up to
 * ±10%, a reason on every other row (a few recurring phrases), the source of an imported file's row on a third of
 * them. `shift` moves every new price, so successive saves differ.
 */
function changeList(n: number, shift: number): ChangeRow[] {
  const reasons = [null, '体现技术劳务价值，上调', '设备物耗为主，下调', null, '通用型联动 +3.5%'];
  const rows: ChangeRow[] = [];
  for (let i = 0; rows.length < n; i++) {
    for (const level of [3, 2, 1] as HospitalLevel[]) {
      if (rows.length >= n) break;
      const old = 500 + ((i * 7919 + level * 131) % 50_000);
      rows.push({
        itemCode: `${310000000 + i * 13}`,
        level,
        oldPriceFen: old,
        newPriceFen: Math.max(0, Math.round(old * (1 + ((((i * 31 + shift) % 21) - 10) / 100)))),
        reason: reasons[i % reasons.length],
        source: i % 3 === 0 ? `调价项目表.xlsx:${i + 3}` : 'manual',
      });
    }
  }
  return rows;
}

async function timed(runs: number, f: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await f(-1); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = now();
    await f(i);
    ms.push(now() - t0);
  }
  return { p50: pct(ms, 50), p95: pct(ms, 95) };
}

export const versionsBench: Bench = {
  summary: 'scenario versions: stored size, save and read time of a 10,000-row scenario',
  usage: USAGE,
  async run(argv) {
    const { values: v } = parseArgs({
      args: argv,
      options: {
        rows: { type: 'string', default: String(ROWS) },
        runs: { type: 'string', default: String(RUNS) },
        keep: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (v.help) {
      console.log(USAGE);
      return 0;
    }
    const n = Number(v.rows);
    const runs = Number(v.runs);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--rows must be a positive whole number: ${v.rows}`);
    if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive whole number: ${v.runs}`);
    const log = (s: string) => process.stderr.write(`[bench versions] ${s}\n`);
    return withScratchDatabase('mspr_bench_versions', v.keep === true, log, async ({ url }) => {
      const ds: DataSource = createDataSource(url, 2);
      await ds.initialize();
      try {
        const versions = new ScenarioVersionsRepository(ds);
        const repo = new ScenariosRepository(ds, versions, new AuditRepository(ds));
        const round = Number(
          (await ds.query(`insert into round (region_code, year, name, kind, status) values ('320500', 2025, '版本基准', 'regular', 'scenarios') returning id`))[0].id,
        );
        const id = await repo.create(round, '320500', '一万条', 'manual', null);
        const lists = [changeList(n, 0), changeList(n, 7)];
        const stored = (r: ChangeRow): StoredRow => [r.itemCode, r.level, r.oldPriceFen, r.newPriceFen, r.reason, r.source];
        let version = 1;

        // sizes: the version as stored, beside plain JSON and a jsonb column of the same rows
        const json = JSON.stringify({ rows: lists[0].map(stored) });
        const gz = await encodeVersionBody({ kind: 'full', rows: lists[0].map(stored) });
        await ds.query('create table bench_jsonb (v int, body jsonb)');

        // a save of the whole list (PUT, import, scale…) with its version, and the version's part alone
        const save = await timed(runs, async (i) => {
          const r = await repo.replaceChanges(id, version, lists[(i + 2) % 2], 'manual');
          if (!r.ok) throw new Error(`save refused: ${r.reason}`);
          version = r.version;
        });
        // (versions from 1,000,000 up, the warm-up's included, removed after)
        const recordOnly = await timed(runs, (i) =>
          ds.transaction((em) => versions.recordFull(em, { scenarioId: id, version: 1_000_000 + i + 1, action: 'manual', name: 'x', params: {} }, lists[0])),
        );
        const jsonbInsert = await timed(runs, (i) => ds.query('insert into bench_jsonb values ($1, $2::jsonb)', [i, json]));
        const sizes = (
          await ds.query(
            `select (select octet_length(body) from scenario_version where scenario_id = $1 and version = $2) as stored,
                    (select pg_column_size(body) from bench_jsonb limit 1) as jsonb`,
            [id, version],
          )
        )[0] as { stored: number; jsonb: number };
        await ds.query('delete from scenario_version where scenario_id = $1 and version >= 1000000', [id]);

        // a PATCH of one cell and its delta; then deltas up to the longest chain before the next full list
        const patch = await timed(runs, async (i) => {
          const r0 = lists[0][(i + 2) * 37];
          const r = await repo.patchChanges(id, version, [{ ...r0, newPriceFen: r0.newPriceFen + i + 2 }], []);
          if (!r.ok) throw new Error(`patch refused: ${r.reason}`);
          version = r.version;
        });
        const delta = (await ds.query(`select octet_length(body) as b from scenario_version where scenario_id = $1 and version = $2`, [id, version]))[0].b as number;
        // land on the version just before the next full one: the longest chain a read decodes
        for (;;) {
          const k = (await ds.query(`select $2 - max(version) as d from scenario_version where scenario_id = $1 and kind = 'full'`, [id, version]))[0].d as number;
          if (k >= SNAPSHOT_EVERY - 1) break;
          const r0 = lists[0][k * 11];
          const r = await repo.patchChanges(id, version, [{ ...r0, newPriceFen: r0.newPriceFen + 1 }], []);
          if (!r.ok) throw new Error(`patch refused: ${r.reason}`);
          version = r.version;
        }
        const fullVersion = (await ds.query(`select max(version) as v from scenario_version where scenario_id = $1 and kind = 'full'`, [id]))[0].v as number;
        const readFull = await timed(runs, () => versions.rows(id, fullVersion));
        const readChain = await timed(runs, () => versions.rows(id, version));
        const readTable = await timed(runs, () => repo.changeRows(id));
        const perDay = (bytes: number) => (bytes * 200) / 1024 / 1024;

        const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;
        console.log(`\n${n.toLocaleString('en')} changes; ${runs} timed runs each; ${os.cpus().length} CPUs, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
        console.log('\nsize of one version of the whole list');
        console.log(`  plain JSON                              ${kib(Buffer.byteLength(json)).padStart(10)}`);
        console.log(`  jsonb column (TOAST, pglz)              ${kib(sizes.jsonb).padStart(10)}`);
        console.log(`  gzip'd JSON (stored)                    ${kib(sizes.stored).padStart(10)}   (${gz.length} bytes encoded here)`);
        console.log(`  a PATCH of one cell (delta)             ${`${delta} B`.padStart(10)}   (the whole list each time: ${perDay(sizes.stored).toFixed(1)} MiB per 200 edits)`);
        console.log('\ntime'.padEnd(44) + 'p50 ms'.padStart(10) + 'p95 ms'.padStart(10));
        const line = (label: string, t: { p50: number; p95: number }) => console.log(`  ${label.padEnd(40)}${t.p50.toFixed(1).padStart(10)}${t.p95.toFixed(1).padStart(10)}`);
        line('save of the whole list, with its version', save);
        line('  of which the version (encode, insert)', recordOnly);
        line('  a jsonb insert of the same list', jsonbInsert);
        line('PATCH of one cell, with its delta', patch);
        line('read a version: a full list', readFull);
        line(`read a version: full + ${version - fullVersion} deltas`, readChain);
        line('read the saved list (scenario_change)', readTable);
        console.log(
          JSON.stringify({
            bench: 'versions',
            rows: n,
            bytes: { json: Buffer.byteLength(json), jsonb: sizes.jsonb, stored: sizes.stored, patchDelta: delta },
            ms: {
              save: save.p50, version: recordOnly.p50, jsonbInsert: jsonbInsert.p50, patch: patch.p50,
              readFull: readFull.p50, readChain: readChain.p50, readTable: readTable.p50,
            },
            chain: version - fullVersion,
            loadavg: os.loadavg(),
          }),
        );
        return 0;
      } finally {
        await ds.destroy();
      }
    });
  },
};
