import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ListRoundsQuery, Round, RoundStatus } from './rounds.schemas';

/** Every SQL statement on round and round_allocation. Writes that must not interleave run in one transaction. */

const ROUND_COLUMNS = `
  r.id::int as id, r.region_code as "regionCode", g.name as "regionName", r.year::int as year, r.name, r.kind, r.status,
  r.params, r.base_period_from::text as "basePeriodFrom", r.base_period_to::text as "basePeriodTo",
  r.effective_date::text as "effectiveDate", r.total_fen::float8 as "totalFen",
  r.approved_scenario_id::int as "approvedScenarioId", r.rule_set_id::int as "ruleSetId", r.evaluation,
  (select count(*)::int from scenario s where s.round_id = r.id) as "scenarioCount", r.version, r.created_by as "createdBy",
  to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt",
  to_char(r.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "updatedAt"`;

export interface NewRound {
  regionCode: string;
  year: number;
  name: string;
  kind: 'regular' | 'special';
  params: Record<string, unknown>;
  basePeriodFrom: string;
  basePeriodTo: string;
  effectiveDate: string | null;
}

export interface RoundUpdate {
  name: string;
  year: number;
  kind: string;
  params: Record<string, unknown>;
  basePeriodFrom: string | null;
  basePeriodTo: string | null;
  effectiveDate: string | null;
  /** The parameters changed: the stored total and allocation are out of date and are cleared. */
  paramsChanged: boolean;
}

export interface AllocationRow {
  institutionCode: string;
  baseRevenueFen: number;
  weight: number;
  allocatedFen: number;
}

@Injectable()
export class RoundsRepository {
  constructor(private readonly ds: DataSource) {}

  async create(r: NewRound): Promise<number> {
    const rows: { id: number }[] = await this.ds.query(
      `insert into round (region_code, year, name, kind, status, params, base_period_from, base_period_to, effective_date)
       values ($1, $2, $3, $4, 'draft', $5, $6, $7, $8) returning id::int as id`,
      [r.regionCode, r.year, r.name, r.kind, JSON.stringify(r.params), r.basePeriodFrom, r.basePeriodTo, r.effectiveDate],
    );
    return rows[0].id;
  }

  list(q: ListRoundsQuery): Promise<Round[]> {
    return this.ds.query(
      `select ${ROUND_COLUMNS}
         from round r join region g on g.code = r.region_code
        where ($1::text is null or r.region_code = $1)
          and ($2::smallint is null or r.year = $2)
          and ($3::text is null or r.kind = $3)
          and ($4::text is null or r.status = $4)
        order by r.region_code, r.year desc, r.id desc`,
      [q.region ?? null, q.year ?? null, q.kind ?? null, q.status ?? null],
    );
  }

  async get(id: number): Promise<Round | null> {
    const rows: Round[] = await this.ds.query(
      `select ${ROUND_COLUMNS} from round r join region g on g.code = r.region_code where r.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Applies an update when the stored version is `version`; returns false (nothing written) otherwise. */
  update(id: number, version: number, u: RoundUpdate): Promise<boolean> {
    return this.ds.transaction(async (em) => {
      const rows: unknown[] = await em.query(
        `with u as (
           update round set name = $3, year = $4, kind = $5, params = $6, base_period_from = $7, base_period_to = $8,
                  effective_date = $9, total_fen = case when $10 then null else total_fen end,
                  version = version + 1, updated_at = now()
            where id = $1 and version = $2 and kind <> 'historic'
           returning id)
         select id from u`,
        [id, version, u.name, u.year, u.kind, JSON.stringify(u.params), u.basePeriodFrom, u.basePeriodTo, u.effectiveDate, u.paramsChanged],
      );
      if (rows.length === 0) return false;
      if (u.paramsChanged) await em.query('delete from round_allocation where round_id = $1', [id]);
      return true;
    });
  }

  /**
   * Moves the round from `from` to `to` when its version is still `version`. With an approved scenario, marks that
   * scenario approved in the same transaction. Returns false (nothing written) when the row moved on meanwhile.
   */
  transition(
    id: number,
    version: number,
    from: RoundStatus,
    to: RoundStatus,
    extra: { evaluation?: Record<string, unknown>; approvedScenarioId?: number },
  ): Promise<boolean> {
    return this.ds.transaction(async (em) => {
      const rows: unknown[] = await em.query(
        `with u as (
           update round set status = $4, version = version + 1, updated_at = now(),
                  evaluation = coalesce($5::jsonb, evaluation),
                  approved_scenario_id = coalesce($6::bigint, approved_scenario_id)
            where id = $1 and version = $2 and status = $3
           returning id)
         select id from u`,
        [id, version, from, to, extra.evaluation ? JSON.stringify(extra.evaluation) : null, extra.approvedScenarioId ?? null],
      );
      if (rows.length === 0) return false;
      if (extra.approvedScenarioId !== undefined) {
        await em.query(`update scenario set status = 'approved', updated_at = now() where id = $1 and round_id = $2`, [
          extra.approvedScenarioId,
          id,
        ]);
      }
      return true;
    });
  }

  /** Replaces the stored allocation of a round and records the allocated total. */
  saveAllocation(id: number, regionCode: string, totalFen: number, rows: readonly AllocationRow[]): Promise<void> {
    return this.ds.transaction(async (em) => {
      await em.query('delete from round_allocation where round_id = $1', [id]);
      if (rows.length) {
        await em.query(
          `insert into round_allocation (round_id, region_code, institution_code, base_revenue_fen, weight, allocated_fen)
           select $1, $2, * from unnest($3::text[], $4::bigint[], $5::numeric[], $6::bigint[])`,
          [
            id,
            regionCode,
            rows.map((r) => r.institutionCode),
            rows.map((r) => String(r.baseRevenueFen)),
            rows.map((r) => String(r.weight)),
            rows.map((r) => String(r.allocatedFen)),
          ],
        );
      }
      await em.query('update round set total_fen = $2, updated_at = now() where id = $1', [id, totalFen]);
    });
  }

  allocation(id: number): Promise<(AllocationRow & { name: string | null; level: number | null })[]> {
    return this.ds.query(
      `select a.institution_code as "institutionCode", i.name, i.hospital_level::int as level,
              a.base_revenue_fen::float8 as "baseRevenueFen", a.weight::float8 as weight, a.allocated_fen::float8 as "allocatedFen"
         from round_allocation a
         left join institution i on i.region_code = a.region_code and i.code = a.institution_code
        where a.round_id = $1
        order by i.hospital_level desc nulls last, a.institution_code`,
      [id],
    );
  }
}
