import type { IndicatorRow } from './facts.schemas';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import { yieldToLoop } from '../common/yield';
import { parseInt8 } from '../database/data-source';
import type { HospitalLevel } from '../domain/reference';

/**
 * Reads of the facts a round is computed from: the region's item list, prices in force at a date, base-year volumes
 * (from the rollup volume_annual_level; per institution, from the volume fact table), item costs, indicators,
 * reimbursement rates and institutions. Every SQL statement of these reads is here.
 *
 * Price in force at date d: the row with the latest valid_from ≤ d, unless its (exclusive) valid_to is ≤ d.
 */

export interface RegionItemRow {
  itemCode: string;
  name: string;
  unit: string | null;
  categoryCode: string | null;
  family: 'labour' | 'equipment' | 'mixed' | null;
  paymentClass: string | null;
  /** region_item.kind, else the catalogue item's kind. */
  kind: 'general' | 'complex' | null;
  labourShare: number | null;
}

export interface PriceRow {
  itemCode: string;
  level: HospitalLevel;
  priceFen: number;
}

export interface LevelVolumeRow {
  itemCode: string;
  level: HospitalLevel;
  quantity: number;
}

export interface InstitutionVolumeRow {
  institutionCode: string;
  itemCode: string;
  quantity: number;
}

export interface InstitutionRow {
  code: string;
  name: string;
  level: HospitalLevel;
  isPublic: boolean;
  type: string | null;
}

export interface CostRow {
  itemCode: string;
  year: number;
  unitCostFen: number;
  labourFen: number;
}

export type { IndicatorRow } from './facts.schemas';

export interface OtherRegionPriceRow {
  itemCode: string;
  level: HospitalLevel;
  /** the other regions' prices in force, ascending */
  pricesFen: Float64Array;
}

/**
 * A list of bigint fen as text ('120,130,4500'), exactly: each must be a safe integer. Cheaper to read than an int8[]
 * (whose text form the driver parses element by element, with quoting and nulls, in the socket's callback).
 */
export function fenList(text: string): Float64Array {
  const parts = text.split(',');
  const out = new Float64Array(parts.length);
  for (let i = 0; i < parts.length; i++) out[i] = parseInt8(parts[i]);
  return out;
}

/** What the reads need of a DataSource (a QueryRunner's connection can stand in, see `on`). */
export type Queryable = Pick<DataSource, 'query'>;

/** The data revision as an SQL expression, for statements that read it beside other things (see dataRevision). */
export const DATA_REVISION = '(select count(*)::int from data_change)';

const IN_FORCE = `
  select x.item_code, x.hospital_level, x.price_fen
    from (select distinct on (p.item_code, p.hospital_level) p.item_code, p.hospital_level, p.price_fen, p.valid_to
            from price p
           where p.region_code = $1 and p.valid_from <= $2::date
           order by p.item_code, p.hospital_level, p.valid_from desc) x
   where x.valid_to is null or x.valid_to > $2::date`;

@Injectable()
export class PricingDataRepository {
  constructor(@Inject(DataSource) private readonly ds: Queryable) {}

  /** The same reads on a caller's connection, e.g. inside one snapshot (a REPEATABLE READ transaction). */
  on(runner: QueryRunner): PricingDataRepository {
    return new PricingDataRepository({ query: (sql: string, params?: unknown[]) => runner.query(sql, params) } as Queryable);
  }

  /**
   * The data revision: how many transactions have written the facts these reads come from (table data_change, one
   * row per writing transaction, kept by triggers). Read in the same snapshot as cached facts, it tells whether
   * they are still current.
   */
  async dataRevision(): Promise<number> {
    const r: { n: number }[] = await this.ds.query(`select ${DATA_REVISION} as n`);
    return r[0].n;
  }

  async regionExists(code: string): Promise<boolean> {
    const r: unknown[] = await this.ds.query('select 1 from region where code = $1', [code]);
    return r.length > 0;
  }

  /** The region's service items (group rows of the price table left out). */
  async regionItems(region: string): Promise<RegionItemRow[]> {
    const rows: (Omit<RegionItemRow, 'labourShare'> & { labourShare: string | null })[] = await this.ds.query(
      `select ri.item_code as "itemCode", ri.name, ri.unit, ri.category_code as "categoryCode", c.family,
              ri.payment_class as "paymentClass", coalesce(ri.kind, i.kind) as kind, ri.labour_share::text as "labourShare"
         from region_item ri
         left join category c on c.code = ri.category_code
         left join item i on i.code = ri.item_code
        where ri.region_code = $1 and not ri.is_group
        order by ri.sort_no nulls last, ri.item_code`,
      [region],
    );
    return rows.map((r) => ({ ...r, labourShare: r.labourShare === null ? null : Number(r.labourShare) }));
  }

  /** Prices of the region's service items in force on `date`. */
  pricesInForce(region: string, date: string): Promise<PriceRow[]> {
    return this.ds.query(
      `select f.item_code as "itemCode", f.hospital_level::int as level, f.price_fen as "priceFen"
         from (${IN_FORCE}) f
         join region_item ri on ri.region_code = $1 and ri.item_code = f.item_code and not ri.is_group`,
      [region, date],
    );
  }

  /** Base-year volumes of public hospitals by item and level (rollup volume_annual_level). */
  publicLevelVolumes(region: string, year: number): Promise<LevelVolumeRow[]> {
    return this.ds.query(
      `select v.item_code as "itemCode", v.hospital_level::int as level, v.quantity::float8 as quantity
         from volume_annual_level v
        where v.region_code = $1 and v.year = $2 and v.is_public`,
      [region, year],
    );
  }

  /** Number of volume rows of public hospitals in a year whose item is not priced at its level on `date`. */
  async unpricedVolumeRows(region: string, year: number, date: string): Promise<number> {
    const r: { n: number }[] = await this.ds.query(
      `select count(*)::int as n
         from volume_annual_level v
         join region_item ri on ri.region_code = v.region_code and ri.item_code = v.item_code and not ri.is_group
        where v.region_code = $1 and v.year = $3 and v.is_public and v.quantity > 0
          and not exists (select 1 from (${IN_FORCE}) f where f.item_code = v.item_code and f.hospital_level = v.hospital_level)`,
      [region, date, year],
    );
    return r[0]?.n ?? 0;
  }

  institutions(region: string): Promise<InstitutionRow[]> {
    return this.ds.query(
      `select code, name, hospital_level::int as level, is_public as "isPublic", type
         from institution where region_code = $1 order by hospital_level desc, code`,
      [region],
    );
  }

  /**
   * Base-year volumes of the public institutions: Σ quantity over the year per institution and item, from the
   * partitions of `volume` that hold the region's year (its volume_coverage rows name them). A scan of those
   * partitions: at national scale seconds, not milliseconds.
   */
  publicInstitutionVolumes(region: string, year: number): Promise<InstitutionVolumeRow[]> {
    return this.ds.query(
      `select v.institution_code as "institutionCode", v.item_code as "itemCode", sum(v.quantity)::float8 as quantity
         from volume v
         join institution i on i.region_code = v.region_code and i.code = v.institution_code and i.is_public
        where v.region_code = $1 and v.year = $2
          and v.batch_id = any (array(select c.batch_id from volume_coverage c where c.region_code = $1 and c.year = $2))
        group by v.institution_code, v.item_code`,
      [region, year],
    );
  }

  /** Regional average item costs: the year closest to `year` at or before it, else the earliest after it. */
  costs(region: string, year: number): Promise<CostRow[]> {
    return this.ds.query(
      `select distinct on (item_code) item_code as "itemCode", year::int as year, unit_cost_fen as "unitCostFen",
              labour_fen as "labourFen"
         from cost
        where region_code = $1 and institution_code = ''
        order by item_code, (year > $2), abs(year - $2)`,
      [region, year],
    );
  }

  /**
   * Indicator values of a region and period, one per indicator: the release preferred is 公报 (final), then 统计年鉴,
   * 快报, 测算, other.
   */
  indicators(region: string, codes: readonly string[], period: string): Promise<IndicatorRow[]> {
    return this.ds.query(
      `select distinct on (v.indicator_code) v.indicator_code as code, d.name_zh as "nameZh", v.period,
              v.release_type as "releaseType", v.value::text as value, v.unit, v.source
         from indicator_value v join indicator d on d.code = v.indicator_code
        where v.region_code = $1 and v.indicator_code = any($2::text[]) and v.period = $3
        order by v.indicator_code, array_position(array['final', 'yearbook', 'express', 'estimate', 'other'], v.release_type)`,
      [region, codes, period],
    );
  }

  /** reimbursement_rate in force on `date`: key `${class}|${level}` → fund share. */
  async reimbursementRates(region: string, date: string): Promise<Map<string, number>> {
    const rows: { paymentClass: string; level: number; share: string }[] = await this.ds.query(
      `select distinct on (payment_class, hospital_level) payment_class as "paymentClass", hospital_level::int as level,
              fund_share::text as share
         from reimbursement_rate
        where region_code = $1 and valid_from <= $2::date
        order by payment_class, hospital_level, valid_from desc`,
      [region, date],
    );
    return new Map(rows.map((r) => [`${r.paymentClass}|${r.level}`, Number(r.share)]));
  }

  /**
   * For each item of the region and level, the prices in force on `date` in every other region, sorted ascending:
   * one row per (item, level) rather than one per region, so the database does the grouping. "In force" = the latest
   * valid_from on or before the date (an anti-join on the primary key, no sort of all candidate rows). The region's
   * items are a semi-join, not an array parameter: `= any($array)` of 10,000 codes was tested per price row.
   */
  async otherRegionPrices(region: string, date: string): Promise<OtherRegionPriceRow[]> {
    const rows: { itemCode: string; level: HospitalLevel; pricesText: string }[] = await this.ds.query(
      `select p.item_code as "itemCode", p.hospital_level::int as level,
              string_agg(p.price_fen::text, ',' order by p.price_fen) as "pricesText"
         from price p
        where p.region_code <> $1 and p.valid_from <= $2::date
          and p.item_code in (select ri.item_code from region_item ri where ri.region_code = $1 and not ri.is_group)
          and (p.valid_to is null or p.valid_to > $2::date)
          and not exists (select 1 from price q
                           where q.region_code = p.region_code and q.item_code = p.item_code
                             and q.hospital_level = p.hospital_level and q.valid_from > p.valid_from and q.valid_from <= $2::date)
        group by p.item_code, p.hospital_level`,
      [region, date],
    );
    // about a million prices at national scale: read in slices, letting other requests in between
    const out: OtherRegionPriceRow[] = new Array(rows.length);
    for (let k = 0; k < rows.length; k++) {
      if (k > 0 && k % 2048 === 0) await yieldToLoop();
      const r = rows[k];
      out[k] = { itemCode: r.itemCode, level: r.level, pricesFen: fenList(r.pricesText) };
    }
    return out;
  }

}
