import { Injectable } from '@nestjs/common';
import {
  analyzeImpact,
  rowFundFen,
  summarizeImpactBy,
  type ImpactGroup,
  type ImpactItem,
  type ImpactParams,
  type ImpactResult,
} from '../domain/pricing';
import { pricePosition, type PricePosition } from '../domain/pricing/position';
import { CATEGORIES, type CategoryFamily, type HospitalLevel } from '../domain/reference';
import { PricingDataRepository, type IndicatorRow, type RegionItemRow } from './pricing-data.repository';
import { FUND_SHARE_RULE_ZH, FundShares, percentTextToRate, type FundShareSource, type RoundContext } from './round-context';
import type { Round } from './rounds.schemas';
import type { Scenario } from './scenarios.schemas';
import { ScenariosService } from './scenarios.service';
import { RoundTotalService } from './total.service';

/**
 * Impact of a scenario (DOMAIN.md §4 identities, §7 step 5) from the loaded facts.
 *
 * Rows: every service item priced at the round's price date, at each level it is priced at, plus the scenario's
 * changes (a changed row takes the change's stored old and new price; an unchanged row keeps the price in force).
 * Q is the base-year volume of the public hospitals at that level (volume_annual_level; 0 when none), the fund share
 * follows round-context.ts (reimbursement_rate, else level share × payment-class factor), the unit cost is the
 * region's average cost of the base year (the closest year when that one is missing) and the labour share is
 * region_item.labour_share, else labour cost ÷ unit cost. analyzeImpact gives the totals, identities and checks.
 *
 * By hospital: the same rows at each public hospital's own volumes (volume_annual_institution) and level; the
 * hospitals' figures add up to the scenario's when the two rollups agree.
 *
 * 医疗服务收入占比 before/after: the share s₀ is the indicator service_revenue_share of the base year. Its
 * numerator, service revenue without 检查 and 化验, is taken to be S₀ = Σ P⁰·Q of the rows outside the exam and lab
 * categories, so medical revenue is M₀ = S₀ ÷ s₀; at fixed volumes and with drugs and consumables unchanged, after the
 * scenario s₁ = (S₀ + ΔS) ÷ (M₀ + ΔS + ΔE), ΔS and ΔE the net changes of the service and the exam/lab rows.
 *
 * Cross-region position of a row: the prices in force on the same date for the same item code and level in every
 * other region; the percentile rank of a price p among those n prices is 100 × (#below + ½ #equal) ÷ n.
 */

/** Categories whose revenue counts as 检查 or 化验, outside 医疗服务收入 in the 医疗服务收入占比 indicator. */
export const EXAM_LAB_CATEGORIES: ReadonlySet<string> = new Set(['imaging', 'ultrasound', 'nuclear', 'pathology', 'lab', 'blood']);

const FAMILY_OF = new Map(CATEGORIES.map((c) => [c.code, c.family]));

export interface ImpactRow extends ImpactItem {
  unit: string | null;
  paymentClass: string | null;
  fundShareSource: FundShareSource;
  changed: boolean;
  reason: string | null;
}

export type { PricePosition } from '../domain/pricing/position';

export interface ImpactItemRow {
  itemCode: string;
  name: string;
  unit: string | null;
  categoryCode: string;
  family: CategoryFamily;
  paymentClass: string | null;
  level: HospitalLevel;
  changed: boolean;
  oldPriceFen: number;
  newPriceFen: number;
  deltaFen: number;
  /** ΔP ÷ P⁰, decimal; null when P⁰ = 0. */
  changeRate: number | null;
  quantity: number;
  /** ΔP·Q */
  deltaRevenueFen: number;
  fundShare: number;
  fundFen: number;
  outOfPocketFen: number;
  unitCostFen: number | null;
  recoveryBefore: number | null;
  recoveryAfter: number | null;
  labourShare: number | null;
  otherRegionCount: number;
  otherMinFen: number | null;
  otherMedianFen: number | null;
  otherMaxFen: number | null;
  percentileOld: number | null;
  percentileNew: number | null;
}

export interface HospitalImpact extends ImpactGroup {
  level: HospitalLevel;
  type: string | null;
}

export interface ServiceShareImpact {
  indicator: IndicatorRow;
  before: number;
  after: number;
  serviceRevenueFen: number;
  examLabRevenueFen: number;
  impliedMedicalRevenueFen: number;
  deltaServiceFen: number;
  deltaExamLabFen: number;
  methodZh: string;
}

export interface ImpactResponse {
  scenario: Pick<Scenario, 'id' | 'name' | 'method' | 'status' | 'version' | 'roundId' | 'regionCode'>;
  round: Pick<Round, 'id' | 'name' | 'year' | 'kind' | 'status'>;
  baseYear: number;
  priceDate: string;
  total: { totalFen: number | null; source: 'round' | 'params' | 'computed' | 'none'; note: string | null };
  paramsUsed: {
    changeCap: number | null;
    itemShareFloor: number;
    labourRuleShare: number;
    labourItemThreshold: number;
    fundShareRuleZh: string;
    fundShareSources: Record<string, number>;
  };
  summary: ImpactResult;
  byHospital: HospitalImpact[];
  byHospitalType: ImpactGroup[];
  byPaymentClass: ImpactGroup[];
  serviceRevenueShare: ServiceShareImpact | null;
  positions: (Pick<ImpactItemRow, 'itemCode' | 'name' | 'level' | 'oldPriceFen' | 'newPriceFen'> & PricePosition)[];
  warnings: string[];
}

interface Built {
  scenario: Scenario;
  round: Round;
  ctx: RoundContext;
  rows: ImpactRow[];
}

@Injectable()
export class ImpactService {
  constructor(
    private readonly scenarios: ScenariosService,
    private readonly data: PricingDataRepository,
    private readonly totals: RoundTotalService,
  ) {}

  private async build(id: number): Promise<Built> {
    const { scenario, round, ctx } = await this.scenarios.context(id);
    const region = round.regionCode;
    const [items, prices, volumes, costs, rates, changes] = await Promise.all([
      this.data.regionItems(region),
      this.data.pricesInForce(region, ctx.priceDate),
      this.data.publicLevelVolumes(region, ctx.baseYear),
      this.data.costs(region, ctx.baseYear),
      this.data.reimbursementRates(region, ctx.priceDate),
      this.scenarios.get(id).then((s) => s.changes),
    ]);
    const info = new Map<string, RegionItemRow>(items.map((i) => [i.itemCode, i]));
    const q = new Map(volumes.map((v) => [`${v.itemCode}|${v.level}`, v.quantity]));
    const cost = new Map(costs.map((c) => [c.itemCode, c]));
    const shares = new FundShares(rates, ctx.params.fundShareByLevel);
    const byKey = new Map<string, { old: number; neu: number; changed: boolean; reason: string | null }>();
    for (const p of prices) byKey.set(`${p.itemCode}|${p.level}`, { old: p.priceFen, neu: p.priceFen, changed: false, reason: null });
    for (const c of changes) byKey.set(`${c.itemCode}|${c.level}`, { old: c.oldPriceFen, neu: c.newPriceFen, changed: true, reason: c.reason });
    const rows: ImpactRow[] = [];
    for (const [key, v] of byKey) {
      const [itemCode, lv] = key.split('|');
      const level = Number(lv) as HospitalLevel;
      const it = info.get(itemCode);
      const categoryCode = it?.categoryCode ?? 'uncategorised';
      const family: CategoryFamily = it?.family ?? FAMILY_OF.get(categoryCode) ?? 'mixed';
      const c = cost.get(itemCode);
      const unitCostFen = c ? c.unitCostFen : null;
      const labourShare = it?.labourShare ?? (c && c.unitCostFen > 0 ? Math.min(1, c.labourFen / c.unitCostFen) : null);
      const fs = shares.of(it?.paymentClass ?? null, level);
      rows.push({
        itemCode,
        name: it?.name ?? itemCode,
        unit: it?.unit ?? null,
        categoryCode,
        family,
        level,
        oldPriceFen: v.old,
        newPriceFen: v.neu,
        quantity: q.get(key) ?? 0,
        fundShare: fs.share,
        fundShareSource: fs.source,
        unitCostFen,
        labourShare,
        paymentClass: it?.paymentClass ?? null,
        changed: v.changed,
        reason: v.reason,
      });
    }
    rows.sort((a, b) => (a.itemCode < b.itemCode ? -1 : a.itemCode > b.itemCode ? 1 : b.level - a.level));
    return { scenario, round, ctx, rows };
  }

  private async positions(b: Built, rows: readonly ImpactRow[]): Promise<Map<string, PricePosition>> {
    const codes = [...new Set(rows.map((r) => r.itemCode))];
    const other = await this.data.otherRegionPrices(b.round.regionCode, codes, b.ctx.priceDate);
    const lists = new Map<string, number[]>();
    for (const o of other) lists.set(`${o.itemCode}|${o.level}`, o.pricesFen);
    const out = new Map<string, PricePosition>();
    for (const r of rows) {
      const k = `${r.itemCode}|${r.level}`;
      out.set(k, pricePosition(lists.get(k) ?? [], r.oldPriceFen, r.newPriceFen));
    }
    return out;
  }

  async impact(id: number): Promise<ImpactResponse> {
    const b = await this.build(id);
    const { round, ctx, rows, scenario } = b;
    const p = ctx.params;
    const warnings: string[] = [];
    const total = await this.totals.effectiveTotal(round);
    let net = 0;
    for (const r of rows) net += (r.newPriceFen - r.oldPriceFen) * r.quantity;
    if (total.totalFen === null) warnings.push(`没有可用的调价总量，未检查净调价金额是否超出总量：${total.note ?? ''}`);
    const params: ImpactParams = {
      changeCap: p.changeCap ?? 0,
      itemShareFloor: p.itemShareFloor ?? 0,
      labourRuleShare: p.labourRuleShare,
      labourItemThreshold: p.labourItemThreshold,
    };
    const summary = analyzeImpact(rows, total.totalFen ?? net, params);
    if (p.changeCap === undefined) {
      summary.checks = summary.checks.filter((c) => c.code !== 'SCENARIO.ITEM_OVER_CAP');
      warnings.push('轮次未设定调价幅度上限，未检查单项变动幅度。');
    }
    const changedRows = rows.filter((r) => r.changed);
    if (changedRows.length && changedRows.every((r) => r.quantity === 0)) warnings.push(`基期 ${ctx.baseYear} 年没有调价项目的服务量，金额均为 0。`);

    // by hospital, at each public hospital's own volumes
    const [institutions, instVolumes, indicators] = await Promise.all([
      this.data.institutions(round.regionCode),
      this.data.publicInstitutionVolumes(round.regionCode, ctx.baseYear),
      this.data.indicators(round.regionCode, ['service_revenue_share'], String(ctx.baseYear)),
    ]);
    const inst = new Map(institutions.filter((i) => i.isPublic).map((i) => [i.code, i]));
    const rowOf = new Map(rows.map((r) => [`${r.itemCode}|${r.level}`, r]));
    const instItems: (ImpactItem & { institutionCode: string })[] = [];
    for (const v of instVolumes) {
      const h = inst.get(v.institutionCode);
      const r = h && rowOf.get(`${v.itemCode}|${h.level}`);
      if (!h || !r) continue;
      instItems.push({ ...r, quantity: v.quantity, institutionCode: h.code });
    }
    const byHospital: HospitalImpact[] = summarizeImpactBy(instItems, (it) => (it as ImpactItem & { institutionCode: string }).institutionCode, (k) => inst.get(k)?.name ?? k)
      .map((g) => ({ ...g, level: inst.get(g.key)!.level, type: inst.get(g.key)!.type }))
      .sort((a, b2) => b2.level - a.level || (a.key < b2.key ? -1 : 1));
    const byHospitalType = summarizeImpactBy(instItems, (it) => inst.get((it as ImpactItem & { institutionCode: string }).institutionCode)!.type ?? '未分类');
    const byPaymentClass = summarizeImpactBy(rows, (it) => (it as ImpactRow).paymentClass ?? '未标注');

    // 医疗服务收入占比
    let serviceRevenueShare: ServiceShareImpact | null = null;
    const ind = indicators[0];
    if (ind) {
      let S0 = 0;
      let E0 = 0;
      let dS = 0;
      let dE = 0;
      for (const r of rows) {
        const base = r.oldPriceFen * r.quantity;
        const d = (r.newPriceFen - r.oldPriceFen) * r.quantity;
        if (EXAM_LAB_CATEGORIES.has(r.categoryCode)) {
          E0 += base;
          dE += d;
        } else {
          S0 += base;
          dS += d;
        }
      }
      const s0 = percentTextToRate(ind.value);
      if (s0 > 0 && S0 > 0) {
        const M0 = S0 / s0;
        serviceRevenueShare = {
          indicator: ind,
          before: s0,
          after: (S0 + dS) / (M0 + dS + dE),
          serviceRevenueFen: S0,
          examLabRevenueFen: E0,
          impliedMedicalRevenueFen: Math.round(M0),
          deltaServiceFen: dS,
          deltaExamLabFen: dE,
          methodZh:
            `基期医疗服务收入占比 ${ind.value}%（${ind.period}，${ind.source}）；以基期公立医疗机构检查化验以外的医疗服务项目收入为分子推算医疗收入，` +
            '服务量不变、药品耗材收入不变，调价后占比 = (服务收入 + 服务项目净调价) ÷ (医疗收入 + 全部净调价)。',
        };
      }
    } else {
      warnings.push(`地区 ${round.regionCode} 没有 ${ctx.baseYear} 年的医疗服务收入占比指标，未测算调价前后占比。`);
    }

    const pos = await this.positions(b, changedRows);
    const fundShareSources: Record<string, number> = {};
    for (const r of rows) fundShareSources[r.fundShareSource] = (fundShareSources[r.fundShareSource] ?? 0) + 1;
    return {
      scenario: {
        id: scenario.id,
        name: scenario.name,
        method: scenario.method,
        status: scenario.status,
        version: scenario.version,
        roundId: scenario.roundId,
        regionCode: scenario.regionCode,
      },
      round: { id: round.id, name: round.name, year: round.year, kind: round.kind, status: round.status },
      baseYear: ctx.baseYear,
      priceDate: ctx.priceDate,
      total,
      paramsUsed: {
        changeCap: p.changeCap ?? null,
        itemShareFloor: params.itemShareFloor,
        labourRuleShare: summary.labour.ruleShare,
        labourItemThreshold: summary.labour.threshold,
        fundShareRuleZh: FUND_SHARE_RULE_ZH,
        fundShareSources,
      },
      summary,
      byHospital,
      byHospitalType,
      byPaymentClass,
      serviceRevenueShare,
      positions: changedRows.map((r) => ({
        itemCode: r.itemCode,
        name: r.name,
        level: r.level,
        oldPriceFen: r.oldPriceFen,
        newPriceFen: r.newPriceFen,
        ...pos.get(`${r.itemCode}|${r.level}`)!,
      })),
      warnings,
    };
  }

  /** The per-row table: the changed rows, or every row with `all`. */
  async items(id: number, all: boolean): Promise<ImpactItemRow[]> {
    const b = await this.build(id);
    const rows = all ? b.rows : b.rows.filter((r) => r.changed);
    const pos = await this.positions(b, rows);
    return rows.map((r) => {
      const d = r.newPriceFen - r.oldPriceFen;
      const fund = rowFundFen(r);
      const ps = pos.get(`${r.itemCode}|${r.level}`)!;
      const c = r.unitCostFen ?? null;
      return {
        itemCode: r.itemCode,
        name: r.name,
        unit: r.unit,
        categoryCode: r.categoryCode,
        family: r.family,
        paymentClass: r.paymentClass,
        level: r.level,
        changed: r.changed,
        oldPriceFen: r.oldPriceFen,
        newPriceFen: r.newPriceFen,
        deltaFen: d,
        changeRate: r.oldPriceFen > 0 ? d / r.oldPriceFen : null,
        quantity: r.quantity,
        deltaRevenueFen: d * r.quantity,
        fundShare: r.fundShare,
        fundFen: fund,
        outOfPocketFen: d * r.quantity - fund,
        unitCostFen: c,
        recoveryBefore: c && c > 0 ? r.oldPriceFen / c : null,
        recoveryAfter: c && c > 0 ? r.newPriceFen / c : null,
        labourShare: r.labourShare ?? null,
        otherRegionCount: ps.regionCount,
        otherMinFen: ps.minFen,
        otherMedianFen: ps.medianFen,
        otherMaxFen: ps.maxFen,
        percentileOld: ps.percentileOld,
        percentileNew: ps.percentileNew,
      };
    });
  }
}
