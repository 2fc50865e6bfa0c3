import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../common/errors';
import { changeListDiff, impactDifference, type RowDiffKind } from '../domain/pricing';
import { ImpactService, type ImpactResponse } from '../impact/impact.service';
import type { ScenarioChange } from '../scenarios/scenarios.schemas';
import { ScenariosRepository, type ChangeRow } from '../scenarios/scenarios.repository';
import { ScenariosService } from '../scenarios/scenarios.service';
import { ScenarioVersionsRepository } from '../scenarios/versions.repository';
import type { RestoreResult, VersionComparison, VersionDetail, VersionHead, VersionImpact } from '../scenarios/versions.schemas';

/**
 * A scenario's versions: the list, one version's change list, two versions compared (the rows that differ and the
 * impact of each, computed by ImpactService exactly as GET /api/scenarios/:id/impact computes the saved list, with
 * the domain's impactDifference) and a restore, which writes an earlier version's change list as the newest version
 * through the same write path as every save (optimistic lock, locked rounds refused) and records it in the audit trail.
 */
@Injectable()
export class VersionsService {
  constructor(
    private readonly versions: ScenarioVersionsRepository,
    private readonly repo: ScenariosRepository,
    private readonly scenarios: ScenariosService,
    private readonly impact: ImpactService,
  ) {}

  async list(id: number): Promise<VersionHead[]> {
    await this.scenarios.headContext(id);
    return this.versions.list(id);
  }

  private notFound(id: number, version: number): NotFoundError {
    return new NotFoundError('SCENARIO.VERSION_NOT_FOUND', `调价方案 ${id} 没有第 ${version} 版 (no such version of the scenario)`, { version });
  }

  /** A version's change list; 404 when the scenario or the version does not exist (or is out of the user's regions). */
  private async rows(id: number, version: number): Promise<ChangeRow[]> {
    const rows = await this.versions.rows(id, version);
    if (!rows) throw this.notFound(id, version);
    return rows;
  }

  async get(id: number, version: number): Promise<VersionDetail> {
    const { scenario } = await this.scenarios.headContext(id);
    const head = await this.versions.head(id, version);
    if (!head) throw this.notFound(id, version);
    const rows = await this.rows(id, version);
    const info = await this.itemInfo(scenario.regionCode, rows);
    const changes: ScenarioChange[] = rows.map((r) => {
      const it = info.get(r.itemCode);
      return {
        itemCode: r.itemCode, name: it?.name ?? null, unit: it?.unit ?? null, categoryCode: it?.categoryCode ?? null, level: r.level,
        oldPriceFen: r.oldPriceFen, newPriceFen: r.newPriceFen, deltaFen: r.newPriceFen - r.oldPriceFen, reason: r.reason, source: r.source,
      };
    });
    // the order of the scenario's own change list: the region's item list, then code, level 3 → 1
    const sortNo = (code: string) => info.get(code)?.sortNo ?? Number.MAX_SAFE_INTEGER;
    changes.sort((a, b) => sortNo(a.itemCode) - sortNo(b.itemCode) || (a.itemCode < b.itemCode ? -1 : a.itemCode > b.itemCode ? 1 : b.level - a.level));
    return { ...head, scenarioId: id, changes };
  }

  private async itemInfo(regionCode: string, rows: readonly { itemCode: string }[]) {
    const codes = [...new Set(rows.map((r) => r.itemCode))];
    return new Map((await this.versions.itemInfo(regionCode, codes)).map((x) => [x.itemCode, x]));
  }

  async compare(id: number, from: number, to: number): Promise<VersionComparison> {
    const head = await this.scenarios.headContext(id);
    const heads = new Map((await this.versions.list(id)).map((v) => [v.version, v]));
    for (const v of [from, to]) if (!heads.has(v)) throw this.notFound(id, v);
    const a = await this.rows(id, from);
    const b = from === to ? a : await this.rows(id, to);
    // one impact after the other: a request holds one pooled connection at a time
    const impactFrom = await this.impact.versionImpact(head, from, async () => a);
    const impactTo = await this.impact.versionImpact(head, to, async () => b);
    const diff = changeListDiff(a, b);
    const info = await this.itemInfo(head.scenario.regionCode, diff);
    const counts: Record<RowDiffKind, number> = { added: 0, removed: 0, changed: 0, reason: 0 };
    for (const d of diff) counts[d.kind]++;
    const side = (v: number, x: ImpactResponse): VersionImpact => {
      const h = heads.get(v)!;
      return { version: v, action: h.action, at: h.at, rowCount: h.rowCount, displayName: h.displayName, actor: h.actor, summary: x.summary, warnings: x.warnings };
    };
    return {
      scenarioId: id,
      priceDate: head.ctx.priceDate,
      from: side(from, impactFrom),
      to: side(to, impactTo),
      items: diff.map((d) => ({ ...d, name: info.get(d.itemCode)?.name ?? null, unit: info.get(d.itemCode)?.unit ?? null })),
      counts,
      difference: impactDifference(impactFrom.summary, impactTo.summary),
    };
  }

  /**
   * Writes version `version`'s change list again as the newest version (action restore), when the scenario is still
   * at `current` (409 SCENARIO.STALE otherwise), not locked (422 SCENARIO.LOCKED) and the rows keep the round's limits as
   * they stand now (422 SCENARIO.LIMIT_EXCEEDED); nothing is written otherwise.
   */
  async restore(id: number, version: number, current: number): Promise<RestoreResult> {
    const rows = await this.rows(id, version);
    await this.scenarios.guardRewrite(id, current, rows);
    // the write records the restore in the audit trail (scenario.restore, with restoredFrom) in its own transaction
    const r = await this.repo.replaceChanges(id, current, rows, 'restore', {}, undefined, version);
    if (!r.ok) this.scenarios.refuse(id, current, r);
    return { scenario: await this.scenarios.get(id), restoredFrom: version };
  }
}
