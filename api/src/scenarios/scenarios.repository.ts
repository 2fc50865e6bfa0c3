import { Injectable } from '@nestjs/common';
import { inScope, regionScope } from '../auth/access';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository';
import { changeSummary } from '../domain/pricing/change-summary';
import type { ListedChange } from '../domain/pricing/versions';
import { rowKey, type RowChange } from '../domain/pricing/rows';
import type { HospitalLevel } from '../domain/reference';
import { scenarioLocked } from '../domain/rounds/lifecycle';
import { DATA_REVISION } from '../facts/pricing-data.repository';
import { ROUND_COLUMNS } from '../rounds/rounds.repository';
import type { Round } from '../rounds/rounds.schemas';
import type { ChangeRow, Scenario, ScenarioChange, ScenarioHead } from './scenarios.schemas';
import { ScenarioVersionsRepository } from './versions.repository';
import type { VersionAction } from './versions.schemas';

/**
 * Every SQL statement on scenario and scenario_change. Every write of the changes stores the version it makes
 * (ScenarioVersionsRepository) and its audit record (AuditRepository: the scenario's version before and after, and a
 * summary of what the write did to the change list, changeSummary) in its own transaction: a save, its version and
 * its record are written together or not at all.
 */

/** The audit action of each kind of write of a scenario's changes. */
export const SCENARIO_AUDIT_ACTION: Record<VersionAction, string> = {
  create: 'scenario.create',
  manual: 'scenario.changes.put',
  patch: 'scenario.changes.patch',
  import: 'scenario.import',
  scale: 'scenario.scale',
  index: 'scenario.index',
  optimise: 'scenario.optimise',
  quotes: 'scenario.quotes',
  restore: 'scenario.restore',
  historic: 'scenario.historic',
  backfill: 'scenario.backfill',
};

/** What a write tells its audit record beyond the rows: the base-year volume of a row (for the net ΔP·Q) and details. */
export interface WriteNote {
  quantity?: (itemCode: string, level: number) => number;
  details?: Record<string, unknown>;
}

const OLD_ROW_COLUMNS = `item_code as "itemCode", hospital_level::int as level, old_price_fen as "oldPriceFen", new_price_fen as "newPriceFen", reason`;

const HEAD_COLUMNS = `
  s.id::int as id, s.round_id::int as "roundId", s.region_code as "regionCode", s.name, s.method, s.status, s.version,
  s.params, s.notes, s.created_by as "createdBy",
  to_char(s.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt",
  to_char(s.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "updatedAt"`;
const SCENARIO_COLUMNS = `${HEAD_COLUMNS},
  (select count(*)::int from scenario_change c where c.scenario_id = s.id) as "changeCount",
  (select count(*)::int from scenario_change c where c.scenario_id = s.id and c.new_price_fen > c.old_price_fen) as "upCount",
  (select count(*)::int from scenario_change c where c.scenario_id = s.id and c.new_price_fen < c.old_price_fen) as "downCount"`;

export type { ChangeRow } from './scenarios.schemas';

export type ReplaceResult =
  | { ok: true; version: number; updatedAt: string }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'stale'; currentVersion: number }
  | { ok: false; reason: 'locked'; status: string; roundStatus: string; roundKind: string };

export class ScenarioNameTaken extends Error {}

@Injectable()
export class ScenariosRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly versions: ScenarioVersionsRepository,
    private readonly audit: AuditRepository,
  ) {}

  /** Inserts a draft scenario and its version 1 (no changes); `em` runs it inside a caller's transaction. */
  async create(roundId: number, regionCode: string, name: string, method: string, notes: string | null, em?: EntityManager): Promise<number> {
    if (!em) return this.ds.transaction((t) => this.create(roundId, regionCode, name, method, notes, t));
    try {
      const rows: { id: number; version: number }[] = await em.query(
        `insert into scenario (round_id, region_code, name, method, notes) values ($1, $2, $3, $4, $5) returning id::int as id, version`,
        [roundId, regionCode, name, method, notes],
      );
      await this.versions.recordFull(em, { scenarioId: rows[0].id, version: rows[0].version, action: 'create', name, params: {} }, []);
      await this.audit.record(em, {
        action: 'scenario.create', entity: 'scenario', entityId: rows[0].id, regionCode,
        after: { roundId, name, method, notes, version: rows[0].version },
      });
      return rows[0].id;
    } catch (e) {
      if (e instanceof QueryFailedError && (e.driverError as { code?: string })?.code === '23505') throw new ScenarioNameTaken(name);
      throw e;
    }
  }

  list(roundId: number): Promise<Scenario[]> {
    return this.ds.query(`select ${SCENARIO_COLUMNS} from scenario s where s.round_id = $1 and ${inScope('s.region_code', 2)} order by s.id`, [roundId, regionScope()]);
  }

  async get(id: number): Promise<Scenario | null> {
    const rows: Scenario[] = await this.ds.query(`select ${SCENARIO_COLUMNS} from scenario s where s.id = $1 and ${inScope('s.region_code', 2)}`, [id, regionScope()]);
    return rows[0] ?? null;
  }

  /**
   * The scenario without its change counts (one row read, no scan of its changes), its round and the data revision
   * (PricingDataRepository.dataRevision), in one statement: one round trip on one connection.
   */
  async headWithRound(id: number): Promise<{ scenario: ScenarioHead; round: Round; revision: number } | null> {
    const rows: (ScenarioHead & { round: Round; revision: number })[] = await this.ds.query(
      `select ${HEAD_COLUMNS},
              (select row_to_json(x) from (select ${ROUND_COLUMNS} from round r join region g on g.code = r.region_code
                                            where r.id = s.round_id) x) as round,
              ${DATA_REVISION} as revision
         from scenario s where s.id = $1 and ${inScope('s.region_code', 2)}`,
      [id, regionScope()],
    );
    const row = rows[0];
    if (!row) return null;
    const { round, revision, ...scenario } = row;
    return { scenario, round, revision };
  }

  /** The changes as the impact needs them (item, level, prices, reason): no join, small rows. */
  changeRows(id: number): Promise<RowChange[]> {
    return this.ds.query(
      `select item_code as "itemCode", hospital_level::int as level, old_price_fen as "oldPriceFen", new_price_fen as "newPriceFen", reason
         from scenario_change where scenario_id = $1`,
      [id],
    );
  }

  /** The changes with the item's name, unit and category from the region's item list. */
  changes(id: number): Promise<ScenarioChange[]> {
    return this.ds.query(
      `select c.item_code as "itemCode", ri.name, ri.unit, ri.category_code as "categoryCode", c.hospital_level::int as level,
              c.old_price_fen as "oldPriceFen", c.new_price_fen as "newPriceFen",
              (c.new_price_fen - c.old_price_fen) as "deltaFen", c.reason, c.source
         from scenario_change c
         left join region_item ri on ri.region_code = c.region_code and ri.item_code = c.item_code
        where c.scenario_id = $1
        order by ri.sort_no nulls last, c.item_code, c.hospital_level desc`,
      [id],
    );
  }

  /**
   * Replaces every change of a draft scenario in one transaction, when its version is still `expectedVersion` (null:
   * no check), bumps the version, merges `params` into scenario.params and stores the new version (made by `action`;
   * `restoredFrom`: the version a restore writes again). Nothing is written unless it succeeds. With `em` it runs
   * inside that (caller's) transaction.
   */
  replaceChanges(
    id: number,
    expectedVersion: number | null,
    rows: readonly ChangeRow[],
    action: VersionAction,
    params: Record<string, unknown> = {},
    em?: EntityManager,
    restoredFrom?: number,
    note: WriteNote = {},
  ): Promise<ReplaceResult> {
    if (em) return this.replaceIn(em, id, expectedVersion, rows, action, params, restoredFrom, note);
    return this.ds.transaction((t) => this.replaceIn(t, id, expectedVersion, rows, action, params, restoredFrom, note));
  }

  private async replaceIn(
    em: EntityManager,
    id: number,
    expectedVersion: number | null,
    rows: readonly ChangeRow[],
    action: VersionAction,
    params: Record<string, unknown>,
    restoredFrom: number | undefined,
    note: WriteNote,
  ): Promise<ReplaceResult> {
    const c = await this.lockForWrite(em, id, expectedVersion);
    if ('ok' in c) return c;
    // the rows it had, for the audit record's summary (a data-modifying statement inside a select, as in patchChanges)
    const old: ListedChange[] = await em.query(
      `with d as (delete from scenario_change where scenario_id = $1 returning ${OLD_ROW_COLUMNS}) select * from d`,
      [id],
    );
    await this.insertRows(em, c.regionCode, id, rows);
    const { name, params: now, ...done } = await this.bump(em, id, params);
    await this.versions.recordFull(em, { scenarioId: id, version: done.version, action, name, params: now, restoredFrom }, rows);
    await this.audit.record(em, {
      action: SCENARIO_AUDIT_ACTION[action],
      entity: 'scenario',
      entityId: id,
      regionCode: c.regionCode,
      before: { version: c.version, changeCount: old.length },
      after: { version: done.version, changeCount: rows.length },
      details: {
        ...note.details,
        ...(restoredFrom !== undefined ? { restoredFrom } : {}),
        ...(Object.keys(params).length ? { params } : {}),
        changes: changeSummary(old.map(plainRow), rows, { quantity: note.quantity }),
      },
    });
    return done;
  }

  /**
   * Sets some changes (insert or replace, by item and level) and removes others of a draft scenario, when its version
   * is still `expectedVersion`, bumps the version and stores it (action `patch`, as the rows set and removed): a
   * change of one cell writes one row. Nothing is written unless it succeeds.
   */
  patchChanges(
    id: number, expectedVersion: number, set: readonly ChangeRow[], remove: readonly { itemCode: string; level: HospitalLevel }[], note: WriteNote = {},
  ): Promise<ReplaceResult & { removed?: number }> {
    // Four statements in the transaction (a request waits for each answer): the lock with everything the patch needs
    // to know, the writes, the stored version, the audit record.
    return this.ds.transaction(async (em) => {
      const touched = [...set, ...remove];
      // the scenario locked, with the rows this patch touches as they are now (for the audit record's summary and the
      // counts) and what the version store needs; read under the lock, or refused below when the version moved
      const cur: (LockedScenario & { old: ListedChange[]; count: number; prevStored: boolean; lastFull: number | null })[] = await em.query(
        `select ${LOCKED_COLUMNS},
                (select coalesce(json_agg(json_build_object('itemCode', c.item_code, 'level', c.hospital_level, 'oldPriceFen', c.old_price_fen,
                                                            'newPriceFen', c.new_price_fen, 'reason', c.reason)), '[]'::json)
                   from scenario_change c join unnest($3::text[], $4::smallint[]) k(code, lvl) on c.item_code = k.code and c.hospital_level = k.lvl
                  where c.region_code = s.region_code and c.scenario_id = s.id) as old,
                (select count(*)::int from scenario_change c where c.scenario_id = s.id) as count,
                exists (select 1 from scenario_version v where v.scenario_id = s.id and v.version = s.version) as "prevStored",
                (select max(v.version) from scenario_version v where v.scenario_id = s.id and v.kind = 'full' and v.version <= s.version) as "lastFull"
           from scenario s join round r on r.id = s.round_id
          where s.id = $1 and ${inScope('s.region_code', 2)}
            for update of s`,
        [id, regionScope(), touched.map((x) => x.itemCode), touched.map((x) => x.level)],
      );
      const c = cur[0];
      const refused = lockRefusal(c, expectedVersion);
      if (refused) return refused;
      const old = c.old.map(plainRow);
      const before = new Set(old.map((x) => rowKey(x.itemCode, x.level)));
      const removed = remove.filter((x) => before.has(rowKey(x.itemCode, x.level))).length;
      const added = set.filter((x) => !before.has(rowKey(x.itemCode, x.level))).length;
      // the writes and the version bump, one statement (set and remove name different rows)
      const w: { version: number; updatedAt: string; name: string; params: Record<string, unknown> }[] = await em.query(
        `with d as (delete from scenario_change c using unnest($3::text[], $4::smallint[]) k(item_code, hospital_level)
                     where c.region_code = $1 and c.scenario_id = $2 and c.item_code = k.item_code and c.hospital_level = k.hospital_level),
              i as (insert into scenario_change (region_code, scenario_id, item_code, hospital_level, old_price_fen, new_price_fen, reason, source)
                    select $1, $2, * from unnest($5::text[], $6::smallint[], $7::bigint[], $8::bigint[], $9::text[], $10::text[])
                    on conflict (region_code, scenario_id, item_code, hospital_level) do update
                      set old_price_fen = excluded.old_price_fen, new_price_fen = excluded.new_price_fen, reason = excluded.reason, source = excluded.source),
              u as (update scenario set version = version + 1, updated_at = now() where id = $2 returning version, updated_at, name, params)
         select version, to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "updatedAt", name, params from u`,
        [
          c.regionCode, id, remove.map((x) => x.itemCode), remove.map((x) => x.level),
          set.map((r) => r.itemCode), set.map((r) => r.level), set.map((r) => String(r.oldPriceFen)), set.map((r) => String(r.newPriceFen)),
          set.map((r) => r.reason), set.map((r) => r.source),
        ],
      );
      const { name, params, ...done } = { ok: true as const, ...w[0] };
      await this.versions.recordPatch(em, { scenarioId: id, version: done.version, action: 'patch', name, params }, set, remove, {
        prevStored: c.prevStored,
        sinceFull: c.lastFull === null ? null : done.version - c.lastFull,
        rowCount: c.count - removed + added,
      });
      await this.audit.record(em, {
        action: SCENARIO_AUDIT_ACTION.patch,
        entity: 'scenario',
        entityId: id,
        regionCode: c.regionCode,
        before: { version: c.version },
        after: { version: done.version },
        details: { ...note.details, set: set.length, remove: remove.length, changes: changeSummary(old, set, { quantity: note.quantity }) },
      });
      return { ...done, removed };
    });
  }

  /** Locks a scenario row for a write of its changes; a failure when it is missing, stale or locked. */
  private async lockForWrite(em: EntityManager, id: number, expectedVersion: number | null): Promise<Exclude<ReplaceResult, { ok: true }> | { regionCode: string; version: number }> {
    const cur: LockedScenario[] = await em.query(
      `select ${LOCKED_COLUMNS}
         from scenario s join round r on r.id = s.round_id
        where s.id = $1 and ${inScope('s.region_code', 2)}
          for update of s`,
      [id, regionScope()],
    );
    const c = cur[0];
    return lockRefusal(c, expectedVersion) ?? { regionCode: c.regionCode, version: c.version };
  }

  private async insertRows(em: EntityManager, regionCode: string, id: number, rows: readonly ChangeRow[], upsert = false): Promise<void> {
    if (!rows.length) return;
    await em.query(
      `insert into scenario_change (region_code, scenario_id, item_code, hospital_level, old_price_fen, new_price_fen, reason, source)
       select $1, $2, * from unnest($3::text[], $4::smallint[], $5::bigint[], $6::bigint[], $7::text[], $8::text[])
       ${upsert ? `on conflict (region_code, scenario_id, item_code, hospital_level) do update
         set old_price_fen = excluded.old_price_fen, new_price_fen = excluded.new_price_fen, reason = excluded.reason, source = excluded.source` : ''}`,
      [
        regionCode,
        id,
        rows.map((r) => r.itemCode),
        rows.map((r) => r.level),
        rows.map((r) => String(r.oldPriceFen)),
        rows.map((r) => String(r.newPriceFen)),
        rows.map((r) => r.reason),
        rows.map((r) => r.source),
      ],
    );
  }

  /** Bumps the version and merges `params`; returns the new version and the scenario's name and params. */
  private async bump(
    em: EntityManager,
    id: number,
    params: Record<string, unknown>,
  ): Promise<{ ok: true; version: number; updatedAt: string; name: string; params: Record<string, unknown> }> {
    const v: { version: number; updatedAt: string; name: string; params: Record<string, unknown> }[] = await em.query(
      `with u as (update scenario set version = version + 1, updated_at = now(), params = params || $2::jsonb where id = $1
                  returning version, updated_at, name, params)
       select version, to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "updatedAt", name, params from u`,
      [id, JSON.stringify(params)],
    );
    return { ok: true, version: v[0].version, updatedAt: v[0].updatedAt, name: v[0].name, params: v[0].params };
  }
}

/** The columns of LockedScenario, of `scenario s join round r`. */
const LOCKED_COLUMNS = `s.version, s.status, s.region_code as "regionCode", r.status as "roundStatus", r.kind as "roundKind"`;

/** A scenario row locked for a write, with its round's state. */
interface LockedScenario {
  version: number;
  status: string;
  regionCode: string;
  roundStatus: string;
  roundKind: string;
}

/** Why a write of a locked scenario is refused (missing, stale, locked); null: it may be written. */
function lockRefusal(c: LockedScenario | undefined, expectedVersion: number | null): Exclude<ReplaceResult, { ok: true }> | null {
  if (!c) return { ok: false, reason: 'not-found' };
  if (expectedVersion !== null && c.version !== expectedVersion) return { ok: false, reason: 'stale', currentVersion: c.version };
  if (scenarioLocked(c)) return { ok: false, reason: 'locked', status: c.status, roundStatus: c.roundStatus, roundKind: c.roundKind };
  return null;
}

/** A stored change row with its money as numbers (pg answers bigint as text unless the DataSource reads it exactly). */
function plainRow(r: ListedChange): ListedChange {
  return { itemCode: r.itemCode, level: Number(r.level), oldPriceFen: Number(r.oldPriceFen), newPriceFen: Number(r.newPriceFen), reason: r.reason ?? null };
}
