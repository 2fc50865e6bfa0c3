import type { AllocationResponse, TotalResponse } from './rounds.schemas';
import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors';
import {
  computeAdjustmentTotal,
  planRound,
  validateRoundParameters,
  type AllocationBasis,
  type BaseItem,
  type FundCapConfig,
  type GrowthConfig,
  type RoundParameters,
  type RoundPlan,
  type TotalConfig,
  type TotalResult,
} from '../domain/pricing';
import type { HospitalLevel } from '../domain/reference';
import { PricingDataRepository, type IndicatorRow } from '../facts/pricing-data.repository';
import { BaseDataCache } from '../facts/region-facts.cache';
import { RevisionCache } from '../facts/revision-cache';
import { FUND_SHARE_RULE_ZH, FundShares } from '../domain/pricing/fund-share';
import { percentTextToRate, scaleDecimalText } from '../domain/rational';
import { roundContext, type RoundContext } from '../domain/rounds/context';
import { ROUND_PARAM_DEFAULTS } from '../domain/rounds/params';
import { RoundsRepository } from './rounds.repository';
import { roundStale } from './rounds.service';
import type { AllocateRequest, Round } from './rounds.schemas';

/**
 * 调价总量 of a round (DOMAIN.md §4) from the loaded facts, and its allocation to hospitals.
 *
 * Base revenue R₀ = Σ P⁰·Q over the region's service items (region_item not is_group) at the public hospitals, Q the
 * base-year volume by level (volume_annual_level), P⁰ the price in force at the base end. Components come from the
 * round's params; any value a component needs and the params leave out is read from the region's indicators of the
 * base year (公报 preferred over 年鉴 over 快报), and each step's inputs name the indicator, period and release:
 * - growth: params.growth {rate} or {from: gdp|income|wage, value?}; default GDP growth (gdp_growth).
 * - cost control (when params.costControl is set): target = cost_growth_target, actual = medical_total_cost_growth,
 *   base spending = R₀ unless given (the indicators give growth rates, not the spending itself).
 * - procurement (when params.procurement is set): α × procurement_savings.
 * - fund cap (when params.fundCap is set): fund_current_balance, fund_accumulated_balance, fund_expenditure, the
 *   minimum reserve months (default 3), and the fund share: params.fundCap.fundShare, else the base-revenue-weighted
 *   fund share of the base rows (round-context.ts), rounded to 4 decimals.
 */

const GROWTH_INDICATOR = { gdp: 'gdp_growth', income: 'disposable_income_growth', wage: 'avg_wage_growth' } as const;

const AMOUNT_SHIFT: Record<string, number> = { 亿元: 10, 万元: 6, 元: 2 };

export interface BaseData {
  ctx: RoundContext;
  items: (BaseItem & { paymentClass: string | null })[];
  unpricedVolumeRows: number;
}

export type { AllocationResponse, TotalResponse } from './rounds.schemas';

/** A computed total, or the error computing it gave, at a data revision. */
interface TotalEntry {
  key: string;
  revision: number;
  total?: TotalResponse;
  error?: unknown;
}

@Injectable()
export class RoundTotalService {
  /**
   * Totals per round and what they depend on (its region, year, base period, params), kept while the data revision
   * stays: the total re-reads a region's prices, volumes and items (at national scale ~30k rows each), so that a
   * dashboard's many requests cost one small query each. An error (e.g. an indicator missing) is kept alike.
   */
  private readonly totals = new RevisionCache<TotalEntry>(32);

  constructor(
    private readonly data: PricingDataRepository,
    private readonly rounds: RoundsRepository,
    private readonly facts: BaseDataCache,
  ) {}

  /** The base rows; the reads run one after another on `d` (one connection, e.g. one snapshot). */
  async baseData(round: Round, d: PricingDataRepository = this.data): Promise<BaseData> {
    const ctx = roundContext(round);
    const prices = await d.pricesInForce(round.regionCode, ctx.basePriceDate);
    const volumes = await d.publicLevelVolumes(round.regionCode, ctx.baseYear);
    const items = await d.regionItems(round.regionCode);
    const unpriced = await d.unpricedVolumeRows(round.regionCode, ctx.baseYear, ctx.basePriceDate);
    const priceOf = new Map(prices.map((p) => [`${p.itemCode}|${p.level}`, p.priceFen]));
    const classOf = new Map(items.map((i) => [i.itemCode, i.paymentClass]));
    const out: BaseData['items'] = [];
    for (const v of volumes) {
      const p = priceOf.get(`${v.itemCode}|${v.level}`);
      if (p === undefined || !classOf.has(v.itemCode)) continue;
      out.push({ itemCode: v.itemCode, level: v.level, priceFen: p, quantity: v.quantity, paymentClass: classOf.get(v.itemCode) ?? null });
    }
    out.sort((a, b) => (a.itemCode < b.itemCode ? -1 : a.itemCode > b.itemCode ? 1 : b.level - a.level));
    return { ctx, items: out, unpricedVolumeRows: unpriced };
  }

  /** 调价总量 of the round (cached per data revision, see `totals`). */
  async total(round: Round): Promise<TotalResponse> {
    const key = JSON.stringify([round.regionCode, round.regionName, round.year, round.kind, round.basePeriodFrom, round.basePeriodTo, round.effectiveDate, round.params]);
    const entry = await this.totals.get(`${round.id}|${key}`, await this.facts.revision(), () => this.computeEntry(round, key));
    if (entry.error !== undefined) throw entry.error;
    return entry.total!;
  }

  private computeEntry(round: Round, key: string): Promise<TotalEntry> {
    return this.facts.snapshot(async (d, revision) => {
      try {
        return { key, revision, total: await this.compute(round, d) };
      } catch (error) {
        if (error instanceof AppError) return { key, revision, error };
        throw error;
      }
    });
  }

  private async compute(round: Round, d: PricingDataRepository): Promise<TotalResponse> {
    const base = await this.baseData(round, d);
    const { ctx } = base;
    const p = ctx.params;
    const period = String(ctx.baseYear);
    const wanted = new Set<string>();
    const growthFrom = p.growth && 'rate' in p.growth ? null : (p.growth?.from ?? 'gdp');
    if (growthFrom && (p.growth as { value?: number } | undefined)?.value === undefined) wanted.add(GROWTH_INDICATOR[growthFrom]);
    if (p.costControl) {
      if (p.costControl.targetGrowth === undefined) wanted.add('cost_growth_target');
      if (p.costControl.actualGrowth === undefined) wanted.add('medical_total_cost_growth');
    }
    if (p.procurement && p.procurement.savingsFen === undefined) wanted.add('procurement_savings');
    if (p.fundCap) {
      if (p.fundCap.currentBalanceFen === undefined) wanted.add('fund_current_balance');
      if (p.fundCap.accumulatedBalanceFen === undefined) wanted.add('fund_accumulated_balance');
      if (p.fundCap.annualSpendingFen === undefined) wanted.add('fund_expenditure');
    }
    const rows = wanted.size ? await d.indicators(round.regionCode, [...wanted], period) : [];
    const byCode = new Map(rows.map((r) => [r.code, r]));
    const need = (code: string, param: string): IndicatorRow => {
      const r = byCode.get(code);
      if (!r) {
        throw new AppError(
          'ROUND.INDICATOR_MISSING',
          `地区 ${round.regionCode} 缺少 ${period} 年的指标 ${code}，请导入该指标或在调价参数 ${param} 中直接给出 ` +
            `(indicator ${code} of ${period} is not loaded for region ${round.regionCode}; load it or set ${param})`,
          422,
          { indicator: code, regionCode: round.regionCode, period, param },
        );
      }
      return r;
    };
    const rateOf = (code: string, param: string) => percentTextToRate(need(code, param).value);
    const fenOf = (code: string, param: string): number => {
      const r = need(code, param);
      const shift = AMOUNT_SHIFT[r.unit];
      const v = shift === undefined ? null : scaleDecimalText(r.value, shift);
      if (v === null) {
        throw new AppError('ROUND.INDICATOR_UNIT', `指标 ${code} 的单位 ${r.unit} 无法换算为金额 (cannot convert ${r.value} ${r.unit} to fen)`, 422, {
          indicator: code,
          unit: r.unit,
        });
      }
      return v;
    };
    const evidence = (code: string): Record<string, string> => {
      const r = byCode.get(code);
      return r ? { [`${code}.period`]: r.period, [`${code}.releaseType`]: r.releaseType, [`${code}.value`]: `${r.value}${r.unit}`, [`${code}.source`]: r.source } : {};
    };

    // the R₀ the components are based on (the domain recomputes it; this is for default base spending and fund share)
    let R0 = 0;
    for (const it of base.items) R0 += it.priceFen * it.quantity;

    let growth: GrowthConfig;
    if (p.growth && 'rate' in p.growth) growth = { rate: p.growth.rate, cap: p.growth.cap };
    else {
      const from = growthFrom!;
      const given = (p.growth as { value?: number } | undefined)?.value;
      growth = { from, value: given ?? rateOf(GROWTH_INDICATOR[from], 'params.growth.value'), cap: p.growth?.cap };
    }
    if (growth.cap === undefined) delete growth.cap;

    const config: TotalConfig = { growth };
    if (p.costControl) {
      config.costControl = {
        targetGrowth: p.costControl.targetGrowth ?? rateOf('cost_growth_target', 'params.costControl.targetGrowth'),
        actualGrowth: p.costControl.actualGrowth ?? rateOf('medical_total_cost_growth', 'params.costControl.actualGrowth'),
        baseSpendingFen: p.costControl.baseSpendingFen ?? R0,
        rewardWeight: p.costControl.rewardWeight,
        penaltyWeight: p.costControl.penaltyWeight,
      };
    }
    if (p.procurement) {
      config.procurement = { alpha: p.procurement.alpha, savingsFen: p.procurement.savingsFen ?? fenOf('procurement_savings', 'params.procurement.savingsFen') };
    }
    if (p.selfFinancing) config.selfFinancing = { cutsFen: p.selfFinancing.cutsFen };
    let fundShare: TotalResponse['fundShare'] = null;
    if (p.fundCap) {
      let share = p.fundCap.fundShare;
      let source: 'params' | 'base-weighted' = 'params';
      if (share === undefined) {
        source = 'base-weighted';
        const rates = await d.reimbursementRates(round.regionCode, ctx.basePriceDate);
        const shares = new FundShares(rates, p.fundShareByLevel);
        let weighted = 0;
        for (const it of base.items) weighted += it.priceFen * it.quantity * shares.of(it.paymentClass, it.level as HospitalLevel).share;
        share = R0 > 0 ? Math.round((weighted / R0) * 10_000) / 10_000 : shares.of(null, 3).share;
      }
      fundShare = { value: share, source, ruleZh: FUND_SHARE_RULE_ZH };
      const fc: FundCapConfig = {
        fundShare: share,
        currentBalanceFen: p.fundCap.currentBalanceFen ?? fenOf('fund_current_balance', 'params.fundCap.currentBalanceFen'),
        accumulatedBalanceFen: p.fundCap.accumulatedBalanceFen ?? fenOf('fund_accumulated_balance', 'params.fundCap.accumulatedBalanceFen'),
        annualSpendingFen: p.fundCap.annualSpendingFen ?? fenOf('fund_expenditure', 'params.fundCap.annualSpendingFen'),
        minReserveMonths: p.fundCap.minReserveMonths ?? 3,
      };
      config.fundCap = fc;
    }

    let result: TotalResult;
    try {
      result = computeAdjustmentTotal({ baseItems: base.items, config });
    } catch (e) {
      if (e instanceof RangeError) throw new AppError('ROUND.TOTAL_INVALID', `调价总量无法计算 (cannot compute the total): ${e.message}`, 422);
      throw e;
    }

    // evidence of every value read from the indicators, next to the domain's inputs
    for (const step of result.steps) {
      const add = (codes: string[]) => codes.forEach((c) => Object.assign(step.inputs, evidence(c)));
      if (step.key === 'base') Object.assign(step.inputs, { baseYear: ctx.baseYear, priceDate: ctx.basePriceDate, scope: '公立医疗机构·医疗服务项目' });
      if (step.key === 'growth' && growthFrom) add([GROWTH_INDICATOR[growthFrom]]);
      if (step.key === 'costControl') add(['cost_growth_target', 'medical_total_cost_growth']);
      if (step.key === 'procurement') add(['procurement_savings']);
      if (step.key === 'fundCap' && fundShare) {
        add(['fund_current_balance', 'fund_accumulated_balance', 'fund_expenditure']);
        step.inputs.fundShareSource = fundShare.source;
      }
    }

    const warnings: string[] = [];
    if (base.items.length === 0) warnings.push(`基期 ${ctx.baseYear} 年没有公立医疗机构的服务量数据（或项目在 ${ctx.basePriceDate} 无现行价格），历史基数为 0。`);
    if (base.unpricedVolumeRows > 0) {
      warnings.push(`${base.unpricedVolumeRows} 条基期服务量记录在 ${ctx.basePriceDate} 没有对应等级的现行价格，未计入历史基数。`);
    }
    return {
      ...result,
      roundId: round.id,
      regionCode: round.regionCode,
      year: round.year,
      baseYear: ctx.baseYear,
      basePeriod: { from: ctx.baseFrom, to: ctx.baseTo },
      priceDate: ctx.basePriceDate,
      configuredTotalFen: p.totalFen ?? null,
      effectiveTotalFen: p.totalFen ?? result.totalFen,
      fundShare,
      base: { rows: base.items.length, unpricedVolumeRows: base.unpricedVolumeRows },
      sources: rows,
      warnings,
    };
  }

  /**
   * The total a scenario of the round is checked against: the stored allocated total, else params.totalFen, else the
   * computed total; null when none can be had (e.g. an indicator is missing).
   */
  async effectiveTotal(round: Round): Promise<{ totalFen: number | null; source: 'round' | 'params' | 'computed' | 'none'; note: string | null }> {
    if (round.totalFen !== null) return { totalFen: round.totalFen, source: 'round', note: null };
    const p = roundContext(round).params;
    if (p.totalFen !== undefined) return { totalFen: p.totalFen, source: 'params', note: null };
    try {
      return { totalFen: (await this.total(round)).totalFen, source: 'computed', note: null };
    } catch (e) {
      if (e instanceof AppError) return { totalFen: null, source: 'none', note: e.message };
      throw e;
    }
  }

  async allocate(round: Round, req: AllocateRequest): Promise<AllocationResponse> {
    if (round.version !== req.version) throw roundStale(round, req.version);
    const ctx = roundContext(round);
    const p = ctx.params;
    let totalFen: number;
    let totalSource: AllocationResponse['totalSource'];
    if (req.totalFen !== undefined) [totalFen, totalSource] = [req.totalFen, 'request'];
    else if (p.totalFen !== undefined) [totalFen, totalSource] = [p.totalFen, 'params'];
    else [totalFen, totalSource] = [(await this.total(round)).totalFen, 'computed'];

    const parameters: RoundParameters = {
      poolingRegion: `${round.regionCode} ${round.regionName}`,
      declareFrom: p.declareFrom ?? null,
      declareTo: p.declareTo ?? null,
      totalFen,
      itemShareFloor: p.itemShareFloor ?? ROUND_PARAM_DEFAULTS.itemShareFloor,
      changeCap: p.changeCap ?? ROUND_PARAM_DEFAULTS.changeCap,
      sampleFrom: ctx.baseFrom,
      sampleTo: ctx.baseTo,
    };
    const issues = validateRoundParameters(parameters);
    if (issues.length) {
      const pathOf = (f: string) => (f === 'poolingRegion' ? 'regionCode' : f === 'totalFen' ? 'totalFen' : `params.${f}`);
      throw new AppError(
        'ROUND.PARAMS_INVALID',
        `调价方案参数不完整或无效 (round parameters invalid): ${issues.map((i) => `${pathOf(i.field)}: ${i.messageZh}`).join('; ')}`,
        422,
        issues.map((i) => ({ path: pathOf(i.field), message: i.messageZh })),
      );
    }

    const { institutions, volumes, prices, items } = await this.facts.snapshot(async (d) => ({
      institutions: await d.institutions(round.regionCode),
      volumes: await d.publicInstitutionVolumes(round.regionCode, ctx.baseYear),
      prices: await d.pricesInForce(round.regionCode, ctx.basePriceDate),
      items: await d.regionItems(round.regionCode),
    }));
    const service = new Set(items.map((i) => i.itemCode));
    const priceOf = new Map(prices.map((x) => [`${x.itemCode}|${x.level}`, x.priceFen]));
    const pub = institutions.filter((i) => i.isPublic);
    const acc = new Map(pub.map((i) => [i.code, { revenue: 0, items: 0 }]));
    const levelOf = new Map(pub.map((i) => [i.code, i.level]));
    for (const v of volumes) {
      const a = acc.get(v.institutionCode);
      if (!a || !service.has(v.itemCode)) continue;
      const price = priceOf.get(`${v.itemCode}|${levelOf.get(v.institutionCode)}`);
      if (price === undefined) continue;
      a.revenue += price * v.quantity;
      if (v.quantity > 0) a.items++;
    }
    const basis: AllocationBasis = req.basis ?? p.allocationBasis ?? 'revenue';
    const hospitals = pub.map((i) => ({
      hospitalId: i.code,
      level: i.level,
      baseRevenueFen: acc.get(i.code)!.revenue,
      itemCount: acc.get(i.code)!.items,
      weight: req.weights?.[i.code] ?? 1,
    }));
    let plan: RoundPlan;
    try {
      plan = planRound(parameters, hospitals, basis);
    } catch (e) {
      if (e instanceof RangeError) throw new AppError('ROUND.ALLOCATION_INVALID', `无法分配调价总量 (cannot allocate): ${e.message}`, 422);
      throw e;
    }
    const saved = await this.rounds.saveAllocation(
      round.id,
      req.version,
      round.regionCode,
      totalFen,
      plan.hospitals.map((h) => ({
        institutionCode: h.hospitalId,
        baseRevenueFen: h.baseRevenueFen,
        weight: hospitals.find((x) => x.hospitalId === h.hospitalId)!.weight,
        allocatedFen: h.amountFen,
      })),
      { basis, totalSource },
    );
    if (!saved) throw roundStale((await this.rounds.get(round.id)) ?? round, req.version);
    const info = new Map(pub.map((i) => [i.code, i]));
    return {
      ...plan,
      roundId: round.id,
      totalSource,
      basis,
      baseYear: ctx.baseYear,
      baseRevenueFen: hospitals.reduce((s, h) => s + h.baseRevenueFen, 0),
      hospitals: plan.hospitals.map((h) => ({ ...h, name: info.get(h.hospitalId)!.name, type: info.get(h.hospitalId)!.type })),
    };
  }
}
