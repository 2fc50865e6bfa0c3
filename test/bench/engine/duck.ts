// The reference side of the impact measurement: the same inputs copied from PostgreSQL into an in-process DuckDB,
// and the same aggregate (Σ ΔP·Q up / down / net and Σ ΔP·Q·fund share, by category and by level) run there — and,
// as a third line, in PostgreSQL itself as one SQL statement.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { HOSPITAL_LEVELS } from '../../../api/src/domain/reference';
import { FundShares } from '../../../api/src/domain/pricing/fund-share';

export interface AggregateRow {
  category: string | null;
  level: number | null;
  rows: number;
  baseFen: number;
  upFen: number;
  downFen: number;
  netFen: number;
  fundFen: number;
}

/** Fund share of every (payment class, level) as the impact service takes it when no reimbursement rates are loaded. */
export function fundShareRows(): { paymentClass: string; level: number; share: number }[] {
  const shares = new FundShares(new Map(), undefined);
  return ['甲', '乙', '丙', '自费', ''].flatMap((pc) => HOSPITAL_LEVELS.map((level) => ({ paymentClass: pc, level, share: shares.of(pc || null, level).share })));
}

const AGGREGATE = (t: { prices: string; changes: string; vol: string; items: string; fund: string }) => `
  with r as (
    select coalesce(c.item_code, p.item_code) as item_code, coalesce(c.level, p.level) as level,
           coalesce(c.old_fen, p.price_fen) as old_fen, coalesce(c.new_fen, p.price_fen) as new_fen
      from ${t.prices} p full join ${t.changes} c on c.item_code = p.item_code and c.level = p.level
  ), x as (
    select coalesce(i.category_code, 'uncategorised') as category, r.level,
           r.old_fen * coalesce(v.quantity, 0) as base_fen, (r.new_fen - r.old_fen) * coalesce(v.quantity, 0) as d,
           coalesce(f.share, 1) as share
      from r left join ${t.items} i on i.item_code = r.item_code
             left join ${t.vol} v on v.item_code = r.item_code and v.level = r.level
             left join ${t.fund} f on f.payment_class = coalesce(i.payment_class, '') and f.level = r.level
  )
  select category, level, count(*) as n, sum(base_fen) as base_fen, sum(greatest(d, 0)) as up_fen, sum(least(d, 0)) as down_fen,
         sum(d) as net_fen, sum(d * share) as fund_fen
    from x
   group by grouping sets ((category), (level), ())
   order by category nulls first, level nulls first`;

/** The PostgreSQL form of the aggregate on the scratch database's own tables (prices in force, rollup, changes). */
export function postgresAggregate(): string {
  return AGGREGATE({
    prices: `(select p.item_code, p.hospital_level::int as level, p.price_fen
                from (select distinct on (p.item_code, p.hospital_level) p.item_code, p.hospital_level, p.price_fen, p.valid_to
                        from price p where p.region_code = $1 and p.valid_from <= $2::date
                       order by p.item_code, p.hospital_level, p.valid_from desc) p
                join region_item ri on ri.region_code = $1 and ri.item_code = p.item_code and not ri.is_group
               where p.valid_to is null or p.valid_to > $2::date)`,
    changes: `(select item_code, hospital_level::int as level, old_price_fen as old_fen, new_price_fen as new_fen
                 from scenario_change where region_code = $1 and scenario_id = $3)`,
    vol: `(select item_code, hospital_level::int as level, quantity from volume_annual_level where region_code = $1 and year = $4 and is_public)`,
    items: `(select item_code, category_code, payment_class from region_item where region_code = $1 and not is_group)`,
    fund: `(select * from jsonb_to_recordset($5::jsonb) as f(payment_class text, level int, share float8))`,
  });
}

export function toAggregateRows(rows: unknown[][]): AggregateRow[] {
  return rows.map((r) => ({
    category: r[0] === null ? null : String(r[0]),
    level: r[1] === null ? null : Number(r[1]),
    rows: Number(r[2]),
    baseFen: Number(r[3]),
    upFen: Number(r[4]),
    downFen: Number(r[5]),
    netFen: Number(r[6]),
    fundFen: Number(r[7]),
  }));
}

export interface DuckSide {
  /** Runs the aggregate once. */
  run(): Promise<AggregateRow[]>;
  /** Sets one changed row's new price, as an edit of the scenario does (not part of the aggregate's time). */
  edit(itemCode: string, level: number, newFen: number): Promise<void>;
  inputRows: Record<string, number>;
  close(): void;
}

/**
 * Copies the inputs of the impact of one scenario from PostgreSQL (COPY … TO STDOUT into CSV files in a temporary
 * folder) into an in-process DuckDB, and returns the aggregate as a callable.
 */
export async function duckSide(pg: Client, region: string, priceDate: string, scenarioId: number, baseYear: number): Promise<DuckSide> {
  if (!/^\d{6}$/.test(region) || !/^\d{4}-\d{2}-\d{2}$/.test(priceDate)) throw new Error('bad region or date');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mspr-bench-engine-'));
  const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const exports: Record<string, { select: string; ddl: string }> = {
    prices: {
      select: `select p.item_code, p.hospital_level, p.price_fen
                 from (select distinct on (p.item_code, p.hospital_level) p.item_code, p.hospital_level, p.price_fen, p.valid_to
                         from price p where p.region_code = ${lit(region)} and p.valid_from <= ${lit(priceDate)}::date
                        order by p.item_code, p.hospital_level, p.valid_from desc) p
                 join region_item ri on ri.region_code = ${lit(region)} and ri.item_code = p.item_code and not ri.is_group
                where p.valid_to is null or p.valid_to > ${lit(priceDate)}::date`,
      ddl: 'item_code varchar, level integer, price_fen bigint',
    },
    changes: {
      select: `select item_code, hospital_level, old_price_fen, new_price_fen from scenario_change
                where region_code = ${lit(region)} and scenario_id = ${Number(scenarioId)}`,
      ddl: 'item_code varchar, level integer, old_fen bigint, new_fen bigint',
    },
    vol: {
      select: `select item_code, hospital_level, quantity from volume_annual_level
                where region_code = ${lit(region)} and year = ${Number(baseYear)} and is_public`,
      ddl: 'item_code varchar, level integer, quantity bigint',
    },
    items: {
      select: `select item_code, category_code, payment_class from region_item where region_code = ${lit(region)} and not is_group`,
      ddl: 'item_code varchar, category_code varchar, payment_class varchar',
    },
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DuckDBInstance } = require('@duckdb/node-api') as typeof import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const inputRows: Record<string, number> = {};
  try {
    for (const [name, e] of Object.entries(exports)) {
      const file = path.join(tmp, `${name}.csv`);
      await pipeline(pg.query(copyTo(`copy (${e.select}) to stdout with (format csv)`)), fs.createWriteStream(file));
      await conn.run(`create table ${name} (${e.ddl})`);
      await conn.run(`copy ${name} from ${lit(file)} (format csv, header false)`);
      inputRows[name] = Number((await conn.runAndReadAll(`select count(*) from ${name}`)).getRows()[0][0]);
    }
    const fund = fundShareRows();
    await conn.run('create table fund (payment_class varchar, level integer, share double)');
    await conn.run(`insert into fund values ${fund.map((f) => `(${lit(f.paymentClass)}, ${f.level}, ${f.share})`).join(', ')}`);
    inputRows.fund = fund.length;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const sql = AGGREGATE({ prices: 'prices', changes: 'changes', vol: 'vol', items: 'items', fund: 'fund' });
  return {
    inputRows,
    run: async () => toAggregateRows((await conn.runAndReadAll(sql)).getRows() as unknown[][]),
    edit: async (itemCode, level, newFen) => {
      await conn.run(`update changes set new_fen = ${Math.round(newFen)} where item_code = ${lit(itemCode)} and level = ${Math.round(level)}`);
    },
    close: () => {
      conn.closeSync();
      instance.closeSync();
    },
  };
}
