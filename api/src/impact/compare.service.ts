import { Injectable } from '@nestjs/common';
import { ValidationError, type FieldIssue } from '../common/errors';
import { differingPrices } from '../domain/pricing';
import { roundContext } from '../domain/rounds/context';
import { BaseDataCache } from '../facts/region-facts.cache';
import { RoundsService } from '../rounds/rounds.service';
import { ScenariosService } from '../scenarios/scenarios.service';
import type { Comparison } from './impact.schemas';
import { ImpactService, type ImpactResponse } from './impact.service';

/**
 * Two to four scenarios of one round side by side (for the compare page and the briefing): each one's summary figures
 * and checks, from the same impact computation as GET /api/scenarios/:id/impact, and the items whose new prices
 * differ between them (domain/pricing/compare.ts).
 */
@Injectable()
export class CompareService {
  constructor(
    private readonly rounds: RoundsService,
    private readonly scenarios: ScenariosService,
    private readonly impact: ImpactService,
    private readonly cache: BaseDataCache,
  ) {}

  async compare(roundId: number, ids: readonly number[]): Promise<Comparison> {
    const round = await this.rounds.get(roundId);
    const list = await this.scenarios.list(roundId);
    const mine = new Set(list.map((s) => s.id));
    const issues: FieldIssue[] = [];
    ids.forEach((id, i) => {
      if (!mine.has(id)) issues.push({ path: `query.scenarios.${i}`, message: `调价方案 ${id} 不属于调价轮次 ${roundId} (scenario not in this round)` });
    });
    if (issues.length) throw new ValidationError(issues, 'query');

    const impacts: ImpactResponse[] = [];
    for (const id of ids) impacts.push(await this.impact.impact(id));
    const changes = [];
    for (const id of ids) changes.push((await this.scenarios.cachedChanges((await this.scenarios.headContext(id)).scenario)).toArray());
    const ctx = roundContext(round);
    const base = await this.cache.base(round.regionCode, ctx.priceDate, ctx.baseYear, ctx.params, await this.cache.revision());
    const rows = differingPrices(changes, (k) => base.priceOf.get(k));
    const info = new Map(base.rows.map((r) => [r.itemCode, r]));
    return {
      round: { id: round.id, name: round.name, year: round.year, regionCode: round.regionCode, regionName: round.regionName, status: round.status },
      priceDate: ctx.priceDate,
      scenarios: impacts.map((x) => {
        const s = x.summary;
        return {
          id: x.scenario.id,
          name: x.scenario.name,
          method: x.scenario.method,
          status: x.scenario.status,
          version: x.scenario.version,
          summary: {
            totalFen: s.totalFen, netFen: s.netFen, grossUpFen: s.grossUpFen, grossDownFen: s.grossDownFen, withinTotal: s.withinTotal,
            overByFen: s.overByFen, fundFen: s.fundFen, outOfPocketFen: s.outOfPocketFen, baseRevenueFen: s.baseRevenueFen,
            newRevenueFen: s.newRevenueFen, changedRowCount: s.changedRowCount, upRowCount: s.upRowCount, downRowCount: s.downRowCount,
            itemCount: s.itemCount, adjustedItemCount: s.adjustedItemCount, adjustedItemShare: s.adjustedItemShare,
            minAdjustedItems: s.minAdjustedItems, labourShare: s.labour.share,
            serviceRevenueShareBefore: x.serviceRevenueShare?.before ?? null,
            serviceRevenueShareAfter: x.serviceRevenueShare?.after ?? null,
          },
          byCategory: s.byCategory,
          byLevel: s.byLevel,
          checks: s.checks,
          warnings: x.warnings,
        };
      }),
      items: rows.map((r) => {
        const it = info.get(r.itemCode);
        return { ...r, name: it?.name ?? r.itemCode, unit: it?.unit ?? null, categoryCode: it?.categoryCode ?? 'uncategorised' };
      }),
    };
  }
}
