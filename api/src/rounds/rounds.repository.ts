import { Injectable } from '@nestjs/common';
import { inScope, regionScope } from '../auth/access';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository';
import type { ListRoundsQuery, Round, RoundStatus } from './rounds.schemas';

/**
 * Every SQL statement on round and round_allocation. Writes that must not interleave run in one transaction, and
 * every write stores its audit record (AuditRepository) in that transaction.
 */

export interface PriceConflictRow {
  itemCode: string;
  level: number;
  oldPriceFen: number;
  /** the price in force the day before 执行日期 (null: none) */
  currentFen: number | null;
  /** the batch or round that wrote a price on 执行日期 already */
  batchId: number | null;
  roundId: number | null;
}

export type ImplementProblem =
  | { kind: 'no-effective-date' }
  /** old prices of the approved scenario that are no longer the prices in force the day before 执行日期 */
  | { kind: 'moved'; count: number; rows: PriceConflictRow[] }
  /** prices already written for 执行日期 (a price table or another round) */
  | { kind: 'taken'; count: number; rows: PriceConflictRow[] };

export type TransitionResult =
  | { ok: true; pricesWritten: number }
  | { ok: false; reason: 'stale' }
  /** the scenario approved is no longer at the version it was checked at */
  | { ok: false; reason: 'scenario-moved' }
  | { ok: false; reason: 'prices'; problem: ImplementProblem };

class ScenarioMoved extends Error {}

class ImplementAbort extends Error {
  constructor(readonly problem: ImplementProblem) {
    super(problem.kind);
  }
}

/** How many conflicting rows an answer lists (all are counted). */
const CONFLICTS_LISTED = 20;

/**
 * 实施: the approved scenario's changed prices (new ≠ old) take effect on 执行日期 d. For each, a price row from d is
 * inserted (round_id set, the floating band of the row it replaces kept), ending where the replaced row ended or
 * where a later price starts, whichever is first; the row in force on d is closed at d (valid_to is exclusive). Refused
 * (nothing written) when a scenario's old price is not the price in force on d − 1 any more (prices were reloaded
 * since the scenario was built), or when a price starting on d exists already. Returns the rows written.
 */
async function implementPrices(em: EntityManager, roundId: number, region: string, scenarioId: number, d: string): Promise<number> {
  const CH = `select item_code, hospital_level, old_price_fen, new_price_fen from scenario_change
               where scenario_id = $1 and new_price_fen <> old_price_fen`;
  // the row a price is read from at d − 1 and replaced at d: the latest one starting before d (its valid_to may end it)
  const LATEST = `(select q.* from price q
      where q.region_code = $2 and q.item_code = ch.item_code and q.hospital_level = ch.hospital_level and q.valid_from < $3::date
      order by q.valid_from desc limit 1)`;
  const conflicts = async (where: string, join: string): Promise<{ count: number; rows: PriceConflictRow[] }> => {
    const r: (PriceConflictRow & { total: number })[] = await em.query(
      `select ch.item_code as "itemCode", ch.hospital_level::int as level, ch.old_price_fen as "oldPriceFen",
              case when cur.valid_to is null or cur.valid_to >= $3::date then cur.price_fen end as "currentFen",
              t.batch_id::int as "batchId", t.round_id::int as "roundId", count(*) over ()::int as total
         from (${CH}) ch
         left join lateral ${LATEST} cur on true
         ${join}
        where ${where}
        order by ch.item_code, ch.hospital_level desc
        limit ${CONFLICTS_LISTED}`,
      [scenarioId, region, d],
    );
    return { count: r[0]?.total ?? 0, rows: r.map(({ total: _t, ...x }) => x) };
  };
  const moved = await conflicts(
    '(case when cur.valid_to is null or cur.valid_to >= $3::date then cur.price_fen end) is distinct from ch.old_price_fen',
    'left join lateral (select null::bigint as batch_id, null::bigint as round_id) t on true',
  );
  if (moved.count > 0) throw new ImplementAbort({ kind: 'moved', ...moved });
  const taken = await conflicts('true',
    'join price t on t.region_code = $2 and t.item_code = ch.item_code and t.hospital_level = ch.hospital_level and t.valid_from = $3::date');
  if (taken.count > 0) throw new ImplementAbort({ kind: 'taken', ...taken });

  const ins: unknown[] = await em.query(
    `insert into price (region_code, item_code, hospital_level, valid_from, valid_to, price_fen, float_up_pct, float_down_pct, round_id)
     select $2, ch.item_code, ch.hospital_level, $3::date,
            least(case when cur.valid_to > $3::date then cur.valid_to end,
                  (select min(n.valid_from) from price n where n.region_code = $2 and n.item_code = ch.item_code
                      and n.hospital_level = ch.hospital_level and n.valid_from > $3::date)),
            ch.new_price_fen, cur.float_up_pct, cur.float_down_pct, $4
       from (${CH}) ch
       left join lateral ${LATEST} cur on true
     returning 1`,
    [scenarioId, region, d, roundId],
  );
  await em.query(
    `update price p set valid_to = $3::date
       from (${CH}) ch cross join lateral ${LATEST} cur
      where p.region_code = $2 and p.item_code = cur.item_code and p.hospital_level = cur.hospital_level and p.valid_from = cur.valid_from
        and (p.valid_to is null or p.valid_to > $3::date)`,
    [scenarioId, region, d],
  );
  return ins.length;
}

/** The columns of a Round, from `round r join region g on g.code = r.region_code`. */
export const ROUND_COLUMNS = `
  r.id::int as id, r.region_code as "regionCode", g.name as "regionName", r.year::int as year, r.name, r.kind, r.status,
  r.params, r.base_period_from::text as "basePeriodFrom", r.base_period_to::text as "basePeriodTo",
  r.effective_date::text as "effectiveDate", r.total_fen as "totalFen",
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
  /** the fields this update changes, as they were and as they will be (the audit record) */
  changed: { before: Record<string, unknown>; after: Record<string, unknown> };
}

export interface AllocationRow {
  institutionCode: string;
  baseRevenueFen: number;
  weight: number;
  allocatedFen: number;
}

@Injectable()
export class RoundsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditRepository,
  ) {}

  create(r: NewRound): Promise<number> {
    return this.ds.transaction(async (em) => {
      const rows: { id: number }[] = await em.query(
        `insert into round (region_code, year, name, kind, status, params, base_period_from, base_period_to, effective_date)
         values ($1, $2, $3, $4, 'draft', $5, $6, $7, $8) returning id::int as id`,
        [r.regionCode, r.year, r.name, r.kind, JSON.stringify(r.params), r.basePeriodFrom, r.basePeriodTo, r.effectiveDate],
      );
      const { regionCode, ...fields } = r;
      await this.audit.record(em, { action: 'round.create', entity: 'round', entityId: rows[0].id, regionCode, after: { ...fields, status: 'draft', version: 1 } });
      return rows[0].id;
    });
  }

  list(q: ListRoundsQuery): Promise<Round[]> {
    return this.ds.query(
      `select ${ROUND_COLUMNS}
         from round r join region g on g.code = r.region_code
        where ($1::text is null or r.region_code = $1)
          and ($2::smallint is null or r.year = $2)
          and ($3::text is null or r.kind = $3)
          and ($4::text is null or r.status = $4)
          and ${inScope('r.region_code', 5)}
        order by r.region_code, r.year desc, r.id desc`,
      [q.region ?? null, q.year ?? null, q.kind ?? null, q.status ?? null, regionScope()],
    );
  }

  /** The round a scenario belongs to (null: no such scenario). */
  async roundOfScenario(scenarioId: number): Promise<number | null> {
    const rows: { roundId: number }[] = await this.ds.query(`select round_id::int as "roundId" from scenario where id = $1 and ${inScope('region_code', 2)}`, [scenarioId, regionScope()]);
    return rows[0]?.roundId ?? null;
  }

  async get(id: number): Promise<Round | null> {
    const rows: Round[] = await this.ds.query(
      `select ${ROUND_COLUMNS} from round r join region g on g.code = r.region_code where r.id = $1 and ${inScope('r.region_code', 2)}`,
      [id, regionScope()],
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
           returning id, region_code as "regionCode", version)
         select * from u`,
        [id, version, u.name, u.year, u.kind, JSON.stringify(u.params), u.basePeriodFrom, u.basePeriodTo, u.effectiveDate, u.paramsChanged],
      );
      const done = rows[0] as { regionCode: string; version: number } | undefined;
      if (!done) return false;
      if (u.paramsChanged) await em.query('delete from round_allocation where round_id = $1', [id]);
      await this.audit.record(em, {
        action: 'round.update', entity: 'round', entityId: id, regionCode: done.regionCode,
        before: { ...u.changed.before, version }, after: { ...u.changed.after, version: done.version },
        details: u.paramsChanged ? { totalAndAllocationCleared: true } : {},
      });
      return true;
    });
  }

  /**
   * Moves a round from `from` to `to` when its version is still `version`, in one transaction. Approving marks the
   * scenario approved, when it is still at `approvedScenarioVersion` (the version its checks were made on);
   * implementing writes the approved scenario's new prices (implementPrices). Nothing is written unless everything
   * succeeds.
   */
  async transition(
    id: number,
    version: number,
    from: RoundStatus,
    to: RoundStatus,
    extra: { evaluation?: Record<string, unknown>; approvedScenarioId?: number; approvedScenarioVersion?: number; effectiveDate?: string },
  ): Promise<TransitionResult> {
    try {
      return await this.ds.transaction(async (em) => {
        const rows: { effectiveDate: string | null; approvedScenarioId: number | null; regionCode: string; version: number }[] = await em.query(
          `with u as (
             update round set status = $4, version = version + 1, updated_at = now(),
                    evaluation = coalesce($5::jsonb, evaluation),
                    approved_scenario_id = coalesce($6::bigint, approved_scenario_id),
                    effective_date = coalesce(effective_date, $7::date)
              where id = $1 and version = $2 and status = $3
             returning effective_date::text as "effectiveDate", approved_scenario_id::int as "approvedScenarioId", region_code as "regionCode", version)
           select * from u`,
          [id, version, from, to, extra.evaluation ? JSON.stringify(extra.evaluation) : null, extra.approvedScenarioId ?? null, extra.effectiveDate ?? null],
        );
        if (rows.length === 0) return { ok: false, reason: 'stale' } as const;
        if (extra.approvedScenarioId !== undefined) {
          const approved: unknown[] = await em.query(
            `with u as (update scenario set status = 'approved', updated_at = now()
                         where id = $1 and round_id = $2 and ($3::int is null or version = $3) returning id)
             select id from u`,
            [extra.approvedScenarioId, id, extra.approvedScenarioVersion ?? null],
          );
          if (approved.length === 0) throw new ScenarioMoved();
        }
        let pricesWritten = 0;
        if (to === 'implemented') {
          const r = rows[0];
          if (!r.effectiveDate) throw new ImplementAbort({ kind: 'no-effective-date' });
          pricesWritten = await implementPrices(em, id, r.regionCode, r.approvedScenarioId!, r.effectiveDate);
        }
        const r = rows[0];
        await this.audit.record(em, {
          action: 'round.status', entity: 'round', entityId: id, regionCode: r.regionCode,
          before: { status: from, version },
          after: {
            status: to,
            version: r.version,
            ...(extra.evaluation ? { evaluation: extra.evaluation } : {}),
            ...(extra.approvedScenarioId !== undefined ? { approvedScenarioId: extra.approvedScenarioId, approvedScenarioVersion: extra.approvedScenarioVersion ?? null } : {}),
            ...(to === 'implemented' ? { effectiveDate: r.effectiveDate, pricesWritten } : {}),
          },
          details: { from, to },
        });
        return { ok: true, pricesWritten } as const;
      });
    } catch (e) {
      if (e instanceof ImplementAbort) return { ok: false, reason: 'prices', problem: e.problem };
      if (e instanceof ScenarioMoved) return { ok: false, reason: 'scenario-moved' };
      throw e;
    }
  }

  /** Replaces the stored allocation of a round and records the allocated total. */
  /**
   * Stores an allocation and its total when the round's version is still `version` (and moves the version on);
   * returns false, having written nothing, otherwise.
   */
  saveAllocation(
    id: number, version: number, regionCode: string, totalFen: number, rows: readonly AllocationRow[], details: Record<string, unknown> = {},
  ): Promise<boolean> {
    return this.ds.transaction(async (em) => {
      const moved: { totalFen: number | null; version: number }[] = await em.query(
        `with old as (select total_fen from round where id = $1 and version = $2),
              u as (update round set total_fen = $3, version = version + 1, updated_at = now() where id = $1 and version = $2 returning version)
         select (select total_fen from old) as "totalFen", version from u`,
        [id, version, totalFen],
      );
      if (moved.length === 0) return false;
      await this.audit.record(em, {
        action: 'round.allocate', entity: 'round', entityId: id, regionCode,
        before: { totalFen: moved[0].totalFen, version },
        after: { totalFen, version: moved[0].version, institutions: rows.length, allocatedFen: rows.reduce((s, r) => s + r.allocatedFen, 0) },
        details,
      });
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
      return true;
    });
  }

  allocation(id: number): Promise<(AllocationRow & { name: string | null; level: number | null })[]> {
    return this.ds.query(
      `select a.institution_code as "institutionCode", i.name, i.hospital_level::int as level,
              a.base_revenue_fen as "baseRevenueFen", a.weight::float8 as weight, a.allocated_fen as "allocatedFen"
         from round_allocation a
         left join institution i on i.region_code = a.region_code and i.code = a.institution_code
        where a.round_id = $1
        order by i.hospital_level desc nulls last, a.institution_code`,
      [id],
    );
  }
}
