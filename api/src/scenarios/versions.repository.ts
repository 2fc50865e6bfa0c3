import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { currentAccess, currentRequestId, inScope, regionScope } from '../auth/access';
import {
  applyVersionBodies,
  decodeVersionBody,
  encodeVersionBody,
  SNAPSHOT_EVERY,
  type StoredKey,
  type StoredRow,
  type VersionBody,
} from '../database/scenario-version-body';
import type { HospitalLevel } from '../domain/reference';
import type { ChangeRow } from './scenarios.schemas';
import type { VersionAction, VersionHead } from './versions.schemas';

/** Every SQL statement on scenario_version: the write of each saved version (in its save's transaction) and the reads. */

const HEAD_COLUMNS = `
  v.version, v.action, v.row_count as "rowCount", v.user_id::int as "userId", v.actor, u.display_name as "displayName",
  to_char(v.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, v.request_id as "requestId", v.name,
  v.restored_from as "restoredFrom"`;

const toStored = (r: ChangeRow): StoredRow => [r.itemCode, r.level, r.oldPriceFen, r.newPriceFen, r.reason, r.source];

/** What a save wrote: the version it made and the scenario's name and params at that version. */
export interface SavedVersion {
  scenarioId: number;
  version: number;
  action: VersionAction;
  name: string;
  params: Record<string, unknown>;
  restoredFrom?: number;
}

@Injectable()
export class ScenarioVersionsRepository {
  constructor(private readonly ds: DataSource) {}

  /** Stores a version whose whole change list is `rows` (a replacing save, a new scenario). */
  async recordFull(em: EntityManager, v: SavedVersion, rows: readonly ChangeRow[]): Promise<void> {
    await this.insert(em, v, { kind: 'full', rows: rows.map(toStored) }, rows.length);
  }

  /**
   * Stores a version made by setting `set` and removing `remove` on the version before it (a PATCH): as that delta
   * when the version before is stored and the last full list is fewer than SNAPSHOT_EVERY versions back, else as the
   * whole list (read from scenario_change, already written in this transaction).
   */
  async recordPatch(
    em: EntityManager,
    v: SavedVersion,
    set: readonly ChangeRow[],
    remove: readonly { itemCode: string; level: HospitalLevel }[],
    known?: { prevStored: boolean; sinceFull: number | null; rowCount: number },
  ): Promise<void> {
    // `known`: the same facts, read by the caller with its lock (one statement fewer)
    const r: { prev: boolean; sinceFull: number | null; n: number }[] = known
      ? [{ prev: known.prevStored, sinceFull: known.sinceFull, n: known.rowCount }]
      : await em.query(
          `select exists (select 1 from scenario_version where scenario_id = $1 and version = $2 - 1) as prev,
                  $2 - (select max(version) from scenario_version where scenario_id = $1 and kind = 'full' and version < $2) as "sinceFull",
                  (select count(*)::int from scenario_change where scenario_id = $1) as n`,
          [v.scenarioId, v.version],
        );
    const { prev, sinceFull, n } = r[0];
    if (prev && sinceFull !== null && sinceFull < SNAPSHOT_EVERY) {
      await this.insert(em, v, { kind: 'delta', set: set.map(toStored), remove: remove.map((k): StoredKey => [k.itemCode, k.level]) }, n);
      return;
    }
    const rows: StoredRow[] = (
      await em.query(
        `select item_code, hospital_level::int as level, old_price_fen as old, new_price_fen as new, reason, source
           from scenario_change where scenario_id = $1 order by item_code, hospital_level desc`,
        [v.scenarioId],
      )
    ).map((x: { item_code: string; level: number; old: number; new: number; reason: string | null; source: string | null }): StoredRow => [
      x.item_code, x.level, x.old, x.new, x.reason, x.source,
    ]);
    await this.insert(em, v, { kind: 'full', rows }, rows.length);
  }

  private async insert(em: EntityManager, v: SavedVersion, body: VersionBody, rowCount: number): Promise<void> {
    const a = currentAccess();
    await em.query(
      `insert into scenario_version (scenario_id, version, action, kind, body, row_count, user_id, actor, request_id, name, params, restored_from)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        v.scenarioId, v.version, v.action, body.kind, await encodeVersionBody(body), rowCount, a?.userId ?? null, a?.username ?? null,
        currentRequestId() ?? null, v.name, JSON.stringify(v.params), v.restoredFrom ?? null,
      ],
    );
  }

  /** The scenario's versions, newest first (none when the scenario is missing or outside the request's regions). */
  list(scenarioId: number): Promise<VersionHead[]> {
    return this.ds.query(
      `select ${HEAD_COLUMNS}
         from scenario_version v join scenario s on s.id = v.scenario_id left join app_user u on u.id = v.user_id
        where v.scenario_id = $1 and ${inScope('s.region_code', 2)}
        order by v.version desc`,
      [scenarioId, regionScope()],
    );
  }

  /** One version's head and params (null: no such version, or the scenario is outside the request's regions). */
  async head(scenarioId: number, version: number): Promise<(VersionHead & { params: Record<string, unknown> }) | null> {
    const rows: (VersionHead & { params: Record<string, unknown> })[] = await this.ds.query(
      `select ${HEAD_COLUMNS}, v.params
         from scenario_version v join scenario s on s.id = v.scenario_id left join app_user u on u.id = v.user_id
        where v.scenario_id = $1 and v.version = $2 and ${inScope('s.region_code', 3)}`,
      [scenarioId, version, regionScope()],
    );
    return rows[0] ?? null;
  }

  /**
   * The change list of a version (null: not stored), rebuilt from the latest full list at or before it and the deltas
   * after that; rows in item-code order, level 3 → 1.
   */
  async rows(scenarioId: number, version: number): Promise<ChangeRow[] | null> {
    const chain: { version: number; kind: 'full' | 'delta'; body: Buffer }[] = await this.ds.query(
      `select v.version, v.kind, v.body
         from scenario_version v join scenario s on s.id = v.scenario_id
        where v.scenario_id = $1 and v.version <= $2 and ${inScope('s.region_code', 3)}
          and v.version >= (select max(f.version) from scenario_version f where f.scenario_id = $1 and f.kind = 'full' and f.version <= $2)
        order by v.version`,
      [scenarioId, version, regionScope()],
    );
    if (chain.length === 0 || chain[chain.length - 1].version !== version) return null;
    chain.forEach((c, i) => {
      if (c.version !== chain[0].version + i) throw new Error(`scenario_version: versions of scenario ${scenarioId} missing before ${c.version}`);
    });
    const bodies = await Promise.all(chain.map((c) => decodeVersionBody(c.kind, c.body)));
    return applyVersionBodies(bodies)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : b[1] - a[1]))
      .map(([itemCode, level, oldPriceFen, newPriceFen, reason, source]) => ({ itemCode, level: level as HospitalLevel, oldPriceFen, newPriceFen, reason, source }));
  }

  /** Name, unit, category and order of the region's items among `codes`. */
  itemInfo(regionCode: string, codes: readonly string[]): Promise<{ itemCode: string; name: string; unit: string | null; categoryCode: string | null; sortNo: number | null }[]> {
    return this.ds.query(
      `select item_code as "itemCode", name, unit, category_code as "categoryCode", sort_no::int as "sortNo"
         from region_item where region_code = $1 and item_code = any($2::text[])`,
      [regionCode, codes],
    );
  }
}
