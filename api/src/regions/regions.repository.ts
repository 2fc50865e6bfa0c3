import { Injectable } from '@nestjs/common';
import { inScope, regionScope } from '../auth/access';
import { DataSource } from 'typeorm';
import type { IndicatorQuery, IndicatorRow, Institution, Region, RegionQuery } from './regions.schemas';

/** A compared region's round (of the year asked, else its latest) and that round's most recently updated scenario. */
export interface CompareRoundRow {
  regionCode: string;
  roundId: number | null;
  scenarioId: number | null;
  scenarioName: string | null;
  scenarioUpdatedAt: string | null;
}

@Injectable()
export class RegionsRepository {
  constructor(private readonly ds: DataSource) {}

  list(q: RegionQuery): Promise<Region[]> {
    return this.ds.query(
      `select code, name, level, parent_code as "parentCode", pilot
         from region
        where ($1::smallint is null or level = $1)
          and ($2::text is null or parent_code = $2)
          and ($3::boolean is null or (pilot is not null) = $3)
          and (${inScope('code', 4)} or ($5::boolean and pilot is not null))
        order by code`,
      [q.level ?? null, q.parent ?? null, q.pilot ?? null, regionScope(), q.comparable ?? false],
    );
  }

  async get(code: string): Promise<Region | null> {
    const rows: Region[] = await this.ds.query(
      `select code, name, level, parent_code as "parentCode", pilot from region where code = $1 and ${inScope('code', 2)}`,
      [code, regionScope()],
    );
    return rows[0] ?? null;
  }

  /** The institutions of a region the current request may read (none of a region outside its scope), by level then name. */
  institutions(code: string): Promise<Institution[]> {
    return this.ds.query(
      `select code, name, hospital_level::int as level
         from institution
        where region_code = $1 and ${inScope('region_code', 2)}
        order by hospital_level desc, name, code`,
      [code, regionScope()],
    );
  }

  /**
   * The values of the given indicators of one region, every period whose year lies in from … to and every release
   * of it, in the order of the codes asked for, then by period and release (公报, 快报, 统计年鉴, 测算, 其他).
   *
   * 累计结余可支付月数 (fund_reserve_months), when asked for and not stored for an annual period and release, is
   * derived as the trigger evaluator derives it (domain/triggers/evaluate.ts evalReserveMonths): 累计结余 ÷ (基金支出 ÷
   * 12), both of that period and release, both in one money unit (元/万元/亿元 converted), spending above 0. Only
   * annual periods: a part-year spending figure is not twelve months' spending.
   */
  indicators(code: string, q: IndicatorQuery): Promise<IndicatorRow[]> {
    return this.ds.query(
      `with stored as (
         select v.indicator_code as indicator, i.name_zh as "nameZh", v.unit, v.period, v.value::float8 as value,
                v.source, v.release_type as "releaseType", v.is_generated as "isGenerated", array[]::text[] as "derivedFrom"
           from indicator_value v
           join indicator i on i.code = v.indicator_code
          where v.region_code = $1
            and v.indicator_code = any($2::text[])
            and ($3::text is null or left(v.period, 4) >= $3)
            and ($4::text is null or left(v.period, 4) <= $4)),
       money as (
         select v.*, v.value * case v.unit when '元' then 1 when '万元' then 1e4 when '亿元' then 1e8 end as yuan
           from indicator_value v
          where v.region_code = $1
            and v.indicator_code in ('fund_accumulated_balance', 'fund_expenditure')
            and length(v.period) = 4
            and ($3::text is null or v.period >= $3)
            and ($4::text is null or v.period <= $4)),
       derived as (
         select 'fund_reserve_months' as indicator, i.name_zh as "nameZh", i.unit, b.period,
                (b.yuan / (e.yuan / 12))::float8 as value,
                case when b.source = e.source then b.source else b.source || '；' || e.source end as source,
                b.release_type as "releaseType", b.is_generated or e.is_generated as "isGenerated",
                array['fund_accumulated_balance', 'fund_expenditure']::text[] as "derivedFrom"
           from money b
           join money e on e.period = b.period and e.release_type = b.release_type and e.indicator_code = 'fund_expenditure'
           join indicator i on i.code = 'fund_reserve_months'
          where b.indicator_code = 'fund_accumulated_balance'
            and 'fund_reserve_months' = any($2::text[])
            and b.yuan is not null and e.yuan > 0
            and not exists (select 1 from indicator_value m
                             where m.region_code = $1 and m.indicator_code = 'fund_reserve_months'
                               and m.period = b.period and m.release_type = b.release_type))
       select * from (select * from stored union all select * from derived) r
        order by array_position($2::text[], r.indicator), r.period,
                 array_position(array['final', 'express', 'yearbook', 'estimate', 'other'], r."releaseType")`,
      [code, q.codes, q.from === undefined ? null : String(q.from), q.to === undefined ? null : String(q.to)],
    );
  }

  /**
   * The regions of `codes` a comparison may show (GET /api/regions/compare): those in the current request's scope and
   * every pilot region (region.pilot not null), whose aggregates the pilots exchange. Codes neither in scope nor a
   * pilot are left out, as unknown codes are.
   */
  compareRegions(codes: readonly string[]): Promise<Region[]> {
    return this.ds.query(
      `select code, name, level, parent_code as "parentCode", pilot
         from region
        where code = any($1::text[]) and (pilot is not null or ${inScope('code', 2)})`,
      [codes, regionScope()],
    );
  }

  /**
   * Per region of `codes` (within the request's scope): its round of `year` (the newest of that year), else with
   * `year` null its newest round (latest year, then highest id, as the rounds list orders them), and that round's most
   * recently updated scenario. A region without a round has no row.
   */
  compareRounds(codes: readonly string[], year: number | null): Promise<CompareRoundRow[]> {
    return this.ds.query(
      `select distinct on (r.region_code) r.region_code as "regionCode", r.id::int as "roundId",
              s.id::int as "scenarioId", s.name as "scenarioName",
              to_char(s.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "scenarioUpdatedAt"
         from round r
         left join lateral (select s.id, s.name, s.updated_at from scenario s
                             where s.round_id = r.id and ${inScope('s.region_code', 3)}
                             order by s.updated_at desc, s.id desc limit 1) s on true
        where r.region_code = any($1::text[])
          and ($2::smallint is null or r.year = $2)
          and ${inScope('r.region_code', 3)}
        order by r.region_code, r.year desc, r.id desc`,
      [codes, year, regionScope()],
    );
  }
}
