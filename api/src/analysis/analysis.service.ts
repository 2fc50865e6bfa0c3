import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../common/errors';
import { costValueByGroup, costValueFigures } from '../domain/pricing/cost-value';
import { boxOfSorted } from '../domain/pricing/position';
import { BaseDataCache } from '../facts/region-facts.cache';
import { ImpactService } from '../impact/impact.service';
import { ScenariosService } from '../scenarios/scenarios.service';
import { AnalysisRepository } from './analysis.repository';
import type { AnalysisHead, CostValueGroup, CostValueResponse, CostValueRow, PriceSpreadResponse } from './analysis.schemas';

/**
 * The analyst's views of a scenario beside the impact: 成本比价 (every item and level's price against its unit cost
 * and its relative value, by category) and 区域比价 (one item's price among the other regions' prices, per level).
 * The rows are the impact's item table (ImpactService.items, all rows), so prices, volumes and costs are the ones the
 * impact uses; the relative values and the categories are this room's reads.
 */
@Injectable()
export class AnalysisService {
  constructor(
    private readonly scenarios: ScenariosService,
    private readonly impact: ImpactService,
    private readonly cache: BaseDataCache,
    private readonly repo: AnalysisRepository,
  ) {}

  private async head(id: number): Promise<{ head: AnalysisHead; revision: number }> {
    const { scenario, round, ctx, revision } = await this.scenarios.headContext(id);
    const head: AnalysisHead = {
      scenario: { id: scenario.id, name: scenario.name, roundId: scenario.roundId, regionCode: scenario.regionCode, version: scenario.version },
      round: { id: round.id, name: round.name, year: round.year, regionCode: round.regionCode, regionName: round.regionName, status: round.status },
      priceDate: ctx.priceDate,
      baseYear: ctx.baseYear,
    };
    return { head, revision };
  }

  async costValue(id: number): Promise<CostValueResponse> {
    const { head } = await this.head(id);
    const [items, points, categories] = [await this.impact.items(id, true), await this.repo.relativeValues(head.round.regionCode), await this.repo.categories()];
    const rv = new Map(points.map((p) => [p.itemCode, p]));
    const rows: CostValueRow[] = items.map((r) => {
      const p = rv.get(r.itemCode);
      const v = p ? p.relativeValue : null;
      return {
        itemCode: r.itemCode,
        name: r.name,
        unit: r.unit,
        categoryCode: r.categoryCode,
        level: r.level,
        changed: r.changed,
        oldPriceFen: r.oldPriceFen,
        newPriceFen: r.newPriceFen,
        quantity: r.quantity,
        unitCostFen: r.unitCostFen,
        recoveryBefore: r.recoveryBefore,
        recoveryAfter: r.recoveryAfter,
        relativeValue: v,
        catalogueCodes: p ? p.catalogueCodes : [],
        pointPriceBeforeFen: v && v > 0 ? r.oldPriceFen / v : null,
        pointPriceAfterFen: v && v > 0 ? r.newPriceFen / v : null,
      };
    });
    const key = (r: CostValueRow) => `${r.categoryCode}|${r.level}`;
    const input = (price: (r: CostValueRow) => number) => (r: CostValueRow) => ({ priceFen: price(r), unitCostFen: r.unitCostFen, relativeValue: r.relativeValue, quantity: r.quantity, key: key(r) });
    const before = costValueByGroup(rows.map(input((r) => r.oldPriceFen)), (r) => r.key);
    const after = new Map(costValueByGroup(rows.map(input((r) => r.newPriceFen)), (r) => r.key).map((g) => [g.key, g.figures]));
    const byCategory: CostValueGroup[] = before.map((g) => {
      const [categoryCode, level] = g.key.split('|');
      return { categoryCode, level: Number(level) as CostValueGroup['level'], before: g.figures, after: after.get(g.key) ?? costValueFigures([]) };
    });
    // in the catalogue's order of categories, then from level 3 down
    const order = new Map(categories.map((c, i) => [c.code, i]));
    byCategory.sort((a, b) => (order.get(a.categoryCode) ?? order.size) - (order.get(b.categoryCode) ?? order.size) || b.level - a.level);
    return { ...head, categories, rows, byCategory };
  }

  async priceSpread(id: number, itemCode: string): Promise<PriceSpreadResponse> {
    const { head, revision } = await this.head(id);
    const rows = (await this.impact.items(id, true)).filter((r) => r.itemCode === itemCode);
    if (rows.length === 0) {
      throw new NotFoundError('ITEM.NOT_FOUND', `项目 ${itemCode} 在${head.round.regionName}的价格日期 ${head.priceDate} 没有价格 (item not priced in the scenario's region)`);
    }
    const peers = await this.cache.peerPrices(head.round.regionCode, head.priceDate, revision);
    const first = rows[0];
    return {
      ...head,
      item: { code: first.itemCode, name: first.name, unit: first.unit, categoryCode: first.categoryCode },
      levels: rows
        .sort((a, b) => b.level - a.level)
        .map((r) => ({
          level: r.level,
          oldPriceFen: r.oldPriceFen,
          newPriceFen: r.newPriceFen,
          changed: r.changed,
          box: boxOfSorted(peers.prices.get(`${r.itemCode}|${r.level}`) ?? []),
          percentileOld: r.percentileOld,
          percentileNew: r.percentileNew,
        })),
    };
  }
}
