import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors';
import {
  DEFAULT_NODES,
  DEFAULT_STAY_SIGMA,
  patientBurden,
  STAY_MEAN_2023_FEN,
  VISIT_COST_2021_FEN,
  VISITS_PER_YEAR_2021,
  type BurdenAssumptions,
} from '../domain/burden';
import {
  ASSUMPTION_SOURCES_ZH,
  elasticityOf,
  FORECAST_DEFAULTS,
  forecastImpact,
  forecastSentences,
  recognitionMarker,
  recognitionWeight,
  resolveAssumptions,
  volumeTrend,
  type CategoryTrend,
  type ForecastAssumptions,
  type ForecastResult,
} from '../domain/forecast';
import { fundCapacity } from '../domain/pricing';
import { analyzeImpact, placeChanges, type ImpactRow } from '../domain/pricing';
import { FundShares } from '../domain/pricing/fund-share';
import { percentText, scaleDecimalText } from '../domain/rational';
import type { RoundContext } from '../domain/rounds/context';
import { CATEGORIES, HOSPITAL_LEVELS, type HospitalLevel } from '../domain/reference';
import { PricingDataRepository, type IndicatorRow } from '../facts/pricing-data.repository';
import { BaseDataCache } from '../facts/region-facts.cache';
import type { Round } from '../rounds/rounds.schemas';
import { RoundTotalService } from '../rounds/total.service';
import type { ScenarioHead } from '../scenarios/scenarios.schemas';
import { ScenariosService } from '../scenarios/scenarios.service';
import { ForecastRepository } from './forecast.repository';
import type { BurdenOptions, BurdenResponse, ForecastLimit, ForecastResponse, ForecastRoundRef, ForecastScenarioRef } from './forecast.schemas';

/**
 * A scenario's forecast under volume response and its patient burden per insurance layer (docs/forecast.md), from
 * the facts the impact reads (the cached base rows with the scenario's changes in place, exactly as the impact
 * places them) and the domain functions of domain/forecast and domain/burden.
 *
 * Limits of the checks: the round's 调价总量 as the impact checks it (stored, configured or computed), and the
 * fund's cap ΔF_max — from the round's fundCap parameters when it has them (the 调价总量 waterfall's step), else from
 * the region's fund indicators of the base year with the minimum of 3 months of reserve (the default of the total
 * model), said so in the response.
 */

const CATEGORY_ZH = new Map(CATEGORIES.map((c) => [c.code, c.name_zh]));
const AMOUNT_SHIFT: Record<string, number> = { 亿元: 10, 万元: 6, 元: 2 };
const NATIONAL = '000000';

interface Placed {
  scenario: ScenarioHead;
  round: Round;
  ctx: RoundContext;
  rows: ImpactRow[];
}

const scenarioRef = (s: ScenarioHead): ForecastScenarioRef => ({ id: s.id, name: s.name, status: s.status, version: s.version, roundId: s.roundId, regionCode: s.regionCode });
const roundRef = (r: Round): ForecastRoundRef => ({ id: r.id, name: r.name, year: r.year, kind: r.kind, status: r.status, effectiveDate: r.effectiveDate });

@Injectable()
export class ForecastService {
  constructor(
    private readonly scenarios: ScenariosService,
    private readonly cache: BaseDataCache,
    private readonly data: PricingDataRepository,
    private readonly totals: RoundTotalService,
    private readonly repo: ForecastRepository,
  ) {}

  /** The scenario's rows: the round's base rows with its changes in place (as the impact computes them). */
  private async placed(id: number): Promise<Placed> {
    const [{ scenario, round, ctx }, revision] = await Promise.all([this.scenarios.headContext(id), this.cache.revision()]);
    const [base, changes] = await Promise.all([
      this.cache.base(round.regionCode, ctx.priceDate, ctx.baseYear, ctx.params, revision),
      this.scenarios.cachedChanges(scenario),
    ]);
    const { rows } = placeChanges(base.rows, changes.toArray(), this.cache.changeIndex(changes, base), base.makeRow);
    return { scenario, round, ctx, rows };
  }

  /** An indicator amount (亿元 / 万元 / 元) in fen; null when its unit cannot be converted. */
  private static fen(r: IndicatorRow | undefined): number | null {
    if (!r) return null;
    const shift = AMOUNT_SHIFT[r.unit];
    return shift === undefined ? null : scaleDecimalText(r.value, shift);
  }

  private async fundCap(round: Round, ctx: RoundContext, warnings: string[]): Promise<ForecastLimit | null> {
    if (ctx.params.fundCap) {
      try {
        const t = await this.totals.total(round);
        const step = t.steps.find((s) => s.key === 'fundCap');
        const v = step?.inputs.maxFundIncreaseFen;
        if (typeof v === 'number') return { fen: v, source: 'round', noteZh: `轮次设定的基金承受能力上限：${step!.formulaZh}` };
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        warnings.push(`基金承受能力上限无法计算，未检查基金增支：${e.message}`);
        return null;
      }
    }
    const codes = ['fund_current_balance', 'fund_accumulated_balance', 'fund_expenditure'];
    const rows = await this.data.indicators(round.regionCode, codes, String(ctx.baseYear));
    const by = new Map(rows.map((r) => [r.code, r]));
    const [c, a, s] = codes.map((k) => ForecastService.fen(by.get(k)));
    if (c === null || a === null || s === null) {
      warnings.push(`轮次未设定基金承受能力上限，地区 ${round.regionCode} 也缺少 ${ctx.baseYear} 年的基金当期结余、累计结余或支出指标，未检查基金增支。`);
      return null;
    }
    const cap = fundCapacity({ fundShare: 1, currentBalanceFen: c, accumulatedBalanceFen: a, annualSpendingFen: s, minReserveMonths: 3 });
    const src = (k: string) => `${by.get(k)!.value}${by.get(k)!.unit}（${by.get(k)!.period}，${by.get(k)!.source}）`;
    return {
      fen: cap.maxFundIncreaseFen,
      source: 'indicators',
      noteZh:
        `轮次未设定基金承受能力上限，按地区 ${ctx.baseYear} 年基金指标测算：当期结余 ${src('fund_current_balance')}、累计结余 ${src('fund_accumulated_balance')}、` +
        `支出 ${src('fund_expenditure')}，最低可支付月数 3 个月；ΔF上限 = max(0, ⌊min(当期结余, (12 × 累计结余 − 3 × 年支出) ÷ 15)⌋)。`,
    };
  }

  /**
   * The forecast of a scenario under the given assumptions (defaults for what is left out): the static figures, the
   * band and its checks, by category, level and year, with the assumptions and sentences for a briefing.
   */
  async forecast(scenarioId: number, assumptions: Partial<ForecastAssumptions> = {}): Promise<ForecastResponse> {
    return (await this.run(scenarioId, assumptions)).response;
  }

  /** The forecast and its draws (for the Arrow export). */
  async run(scenarioId: number, partial: Partial<ForecastAssumptions>): Promise<{ response: ForecastResponse; result: ForecastResult }> {
    let a: ForecastAssumptions;
    try {
      a = resolveAssumptions(partial);
    } catch (e) {
      if (e instanceof RangeError) throw new AppError('FORECAST.ASSUMPTIONS_INVALID', `预测假设无效 (invalid assumptions): ${e.message}`, 400);
      throw e;
    }
    const { scenario, round, ctx, rows } = await this.placed(scenarioId);
    const year = a.year ?? round.year;
    if (year < ctx.baseYear) {
      throw new AppError('FORECAST.YEAR_BEFORE_BASE', `预测年份 ${year} 早于基期 ${ctx.baseYear} 年 (the forecast year is before the base year)`, 422, { year, baseYear: ctx.baseYear });
    }
    const warnings: string[] = [];

    // trend of every category present, from the loaded history
    let trends: CategoryTrend[] = [];
    if (a.trend === 'history') {
      const history = await this.repo.publicVolumesUpTo(round.regionCode, ctx.baseYear);
      trends = volumeTrend(rows.map((r) => ({ itemCode: r.itemCode, categoryCode: r.categoryCode, level: r.level, priceFen: r.oldPriceFen })), history, ctx.baseYear);
    }
    const growth = new Map(trends.map((t) => [t.categoryCode, t.growth]));

    const total = await this.totals.effectiveTotal(round);
    if (total.totalFen === null) warnings.push(`没有可用的调价总量，未检查净调价金额是否超出总量：${total.note ?? ''}`);
    const fundCap = await this.fundCap(round, ctx, warnings);
    const result = forecastImpact(
      { rows, assumptions: a, baseYear: ctx.baseYear, year, trendGrowth: growth, limits: { totalFen: total.totalFen, fundCapFen: fundCap?.fen ?? null } },
      recognitionMarker(a),
    );
    const h = year - ctx.baseYear;
    const withHistory = trends.filter((t) => t.fromYear !== null && t.noteZh === null);
    const trendNoteZh =
      a.trend === 'none'
        ? '服务量不计趋势增长'
        : withHistory.length
          ? `服务量按 ${withHistory[0].fromYear}—${ctx.baseYear} 年各类别的年均增长率增长 ${h} 年`
          : '服务量没有可用的历史数据，不计趋势增长';
    if (a.trend === 'history' && withHistory.length === 0 && rows.length) warnings.push(`地区 ${round.regionCode} 没有基期以前的服务量数据，服务量不计趋势增长。`);
    const present = result.byCategory.map((g) => g.key);
    const response: ForecastResponse = {
      scenario: scenarioRef(scenario),
      round: roundRef(round),
      baseYear: ctx.baseYear,
      priceDate: ctx.priceDate,
      year,
      horizon: h,
      assumptions: {
        values: a,
        defaults: FORECAST_DEFAULTS,
        recognitionWeight: recognitionWeight(a.recognitionYears, year),
        elasticityByCategory: present.map((code) => ({ code, labelZh: CATEGORY_ZH.get(code) ?? code, ...elasticityOf(a, code), own: code in a.elasticityByCategory })),
        trend: trends.map((t) => ({ ...t, factor: a.trend === 'none' ? 1 : Math.pow(1 + t.growth, h) })),
        sourcesZh: ASSUMPTION_SOURCES_ZH,
      },
      method: {
        band: 'monte-carlo',
        range: 'exact',
        draws: a.draws,
        seed: a.seed,
        textZh: [
          '模型：服务量 = 基期服务量 × 趋势 × (1 − 互认权重 × 互认减少比例 + 价格弹性 × 自付价格相对变化)；净调价金额 = 新价 × 调价后服务量 − 原价 × 未调价服务量；基金按各项目基金支付比例分担。',
          '精确范围：模型对每一项假设都是线性的，最小值与最大值出现在假设区间的端点组合上，按区间端点逐类别精确计算（不抽样）。',
          `P10 / P50 / P90：在各假设区间内均匀抽样 ${a.draws} 次（固定种子 ${a.seed}，对偶抽样），区间端点需要所有假设同时取极端值，百分位数说明可能性。`,
          '金额以分为单位：静态测算是精确的整数分；价格弹性和互认带来的变化按实数计算，每个数字最后四舍五入到分；每次抽样的个人负担 = 净额 − 基金，恒等式逐次成立。',
        ],
      },
      limits: {
        total: total.totalFen === null ? null : { fen: total.totalFen, source: total.source, noteZh: total.source === 'computed' ? '按调价总量模型测算' : total.source === 'params' ? '轮次参数设定的调价总金额' : '轮次已确定的调价总量' },
        fundCap,
      },
      total: result.total,
      byCategory: result.byCategory,
      byLevel: result.byLevel,
      recognitionSavings: result.recognitionSavings,
      checks: result.checks,
      byYear: result.byYear,
      sentencesZh: forecastSentences(result, a, trendNoteZh),
      warnings,
    };
    return { response, result };
  }

  /**
   * The burden of a scenario per insurance layer and hospital level, for an ordinary insured person and for a
   * 医疗救助 recipient (docs/forecast.md): the static impact's relative change of each level's service revenue moves
   * the priced-service part of every stay and visit; the region's 医保待遇政策表 in force when the new prices start
   * splits them.
   */
  async burden(scenarioId: number, o: BurdenOptions = { scheme: 'resident' }): Promise<BurdenResponse> {
    const { scenario, round, ctx, rows } = await this.placed(scenarioId);
    const date = round.effectiveDate ?? ctx.priceDate;
    const found = await this.repo.policyInForce(round.regionCode, o.scheme, date);
    const scheme = o.scheme === 'resident' ? '城乡居民医保' : '职工医保';
    if (!found) {
      throw new AppError(
        'BURDEN.NO_POLICY',
        `地区 ${round.regionCode} 没有在 ${date} 生效的${scheme}待遇政策表，请先导入医保待遇政策表（npm run etl -- load <文件> --kind insurance-policy）` +
          ` (no insurance policy of region ${round.regionCode} in force on ${date})`,
        422,
        { regionCode: round.regionCode, scheme: o.scheme, date },
      );
    }
    const warnings: string[] = [];
    const period = String(ctx.baseYear);

    // the share of a stay's cost that is priced services: 医疗服务 + 检查 + 化验 收入占比
    let itemShare: BurdenResponse['assumptions']['itemShare'];
    if (o.itemShare !== undefined) itemShare = { value: o.itemShare, source: '请求参数 itemShare', indicators: [] };
    else {
      const codes = ['service_revenue_share', 'exam_revenue_share', 'lab_revenue_share'];
      const ind = await this.data.indicators(round.regionCode, codes, period);
      if (ind.length < codes.length) {
        const missing = codes.filter((c) => !ind.some((r) => r.code === c));
        throw new AppError(
          'BURDEN.ITEM_SHARE_MISSING',
          `地区 ${round.regionCode} 缺少 ${period} 年的指标 ${missing.join('、')}，无法推算医疗服务项目占次均费用的比例；请导入这些指标或用参数 itemShare 直接给出（如 0.55）` +
            ` (indicators ${missing.join(', ')} of ${period} are missing; load them or pass itemShare)`,
          422,
          { regionCode: round.regionCode, period, missing, param: 'itemShare' },
        );
      }
      const value = ind.reduce((s, r) => s + Number(r.value), 0) / 100;
      itemShare = { value, source: `地区 ${period} 年医疗服务收入占比 + 检查收入占比 + 化验收入占比`, indicators: ind };
    }

    // the average cost of an outpatient visit
    let visit: BurdenResponse['assumptions']['visit'];
    if (o.visitFen) visit = { fen: { '3': o.visitFen[3], '2': o.visitFen[2], '1': o.visitFen[1] }, source: '请求参数 visitCost', indicator: null };
    else {
      const own = (await this.data.indicators(round.regionCode, ['outpatient_cost_per_visit'], period))[0];
      const national = own ? undefined : (await this.data.indicators(NATIONAL, ['outpatient_cost_per_visit'], period))[0];
      const ind = own ?? national;
      const fen = ForecastService.fen(ind);
      if (ind && fen !== null) {
        visit = { fen: { '3': fen, '2': fen, '1': fen }, source: `${own ? `地区` : '全国'} ${period} 年门诊次均费用（${ind.source}），各等级相同`, indicator: ind };
      } else {
        const v = VISIT_COST_2021_FEN;
        visit = { fen: { '3': v, '2': v, '1': v }, source: '全国 2021 年门诊次均费用 329 元（DOMAIN.md §8），各等级相同', indicator: null };
      }
    }
    const sigma = o.staySigma ?? DEFAULT_STAY_SIGMA;
    const stayMean = o.stayMeanFen ?? STAY_MEAN_2023_FEN;
    const stayMeanSource = o.stayMeanFen ? '请求参数 stayMean' : '全国居民医保 2023 年次均住院费用（三级 12,765 元、二级 6,205 元、一级 2,943 元）';
    const sigmaSource = o.staySigma !== undefined ? '请求参数 staySigma' : `默认 σ = ${DEFAULT_STAY_SIGMA}（来源数据只有均值，σ 为假设）`;
    const visitsPerYear = o.visitsPerYear ?? VISITS_PER_YEAR_2021;
    const nodes = o.nodes ?? DEFAULT_NODES;

    // the fallback of the basic rate: the 医保支付比例表's 甲类 share in force, as the impact reads it
    const rates = await this.data.reimbursementRates(round.regionCode, date);
    const shares = new FundShares(rates, ctx.params.fundShareByLevel);
    const fallbackRate = { 3: shares.of('甲', 3).share, 2: shares.of('甲', 2).share, 1: shares.of('甲', 1).share };

    // the static impact by level: its relative change of the level's service revenue
    const summary = analyzeImpact(rows, null, { changeCap: null, itemShareFloor: 0 });
    const byLevel = new Map(summary.byLevel.map((g) => [Number(g.key), g]));
    const assumptions: BurdenAssumptions = {
      stay: { 3: { meanFen: stayMean[3], sigma }, 2: { meanFen: stayMean[2], sigma }, 1: { meanFen: stayMean[1], sigma } },
      visitFen: { 3: visit.fen['3'], 2: visit.fen['2'], 1: visit.fen['1'] },
      visitsPerYear,
      itemShare: itemShare.value,
      nodes,
    };
    let levels;
    try {
      levels = patientBurden({
        policy: found.policy,
        levels: HOSPITAL_LEVELS.map((l) => {
          const g = byLevel.get(l);
          return { level: l as HospitalLevel, revenueChange: g && g.baseRevenueFen > 0 ? g.netFen / g.baseRevenueFen : null };
        }),
        assumptions,
        fallbackRate,
      });
    } catch (e) {
      if (e instanceof RangeError) throw new AppError('BURDEN.INVALID', `患者负担无法测算 (cannot compute the burden): ${e.message}`, 422);
      throw e;
    }
    for (const l of levels) if (l.revenueChange === null) warnings.push(`${l.labelZh}医院没有基期服务收入，按费用不变计。`);
    const rateSource = found.policy.inpatient.rate ? 'policy' : 'reimbursement_rate';
    if (rateSource === 'reimbursement_rate') warnings.push('待遇政策表未给出住院报销比例，按医保支付比例表的甲类比例计。');
    const stayOf = (l: 3 | 2 | 1) => ({ meanFen: stayMean[l], sigma, mu: Math.log(stayMean[l]) - (sigma * sigma) / 2, source: `${stayMeanSource}；${sigmaSource}` });
    return {
      scenario: scenarioRef(scenario),
      round: roundRef(round),
      baseYear: ctx.baseYear,
      priceDate: ctx.priceDate,
      policy: { ...found.policy, batchId: found.batchId, fileName: found.fileName },
      assumptions: {
        stay: { '3': stayOf(3), '2': stayOf(2), '1': stayOf(1) },
        visit,
        visitsPerYear: { value: visitsPerYear, source: o.visitsPerYear !== undefined ? '请求参数 visitsPerYear' : '全国 2021 年人均门诊 6.0 次（DOMAIN.md §8）' },
        itemShare,
        nodes,
        inpatientRateSource: rateSource,
        textZh: [
          `调价使各等级医院的医疗服务收入变化 净调价金额 ÷ 基期收入（基期服务量不变）；住院和门诊费用中医疗服务项目的部分（占 ${percentText(itemShare.value, 1)}）按同一比例变化，药品和耗材不变。`,
          `每次住院费用服从对数正态分布：均值为次均住院费用，σ = ${sigma}（变异系数 ${percentText(Math.sqrt(Math.exp(sigma * sigma) - 1), 0)}）；以 ${nodes} 个等概率节点计算平均值。住院按当年唯一一次住院计（起付线、封顶线和大病保险起付线均按一次住院适用）。`,
          '分担顺序（先保险后救助）：基本医保（起付线以上按报销比例，至封顶线）→ 大病保险（基本医保后个人负担超过大病起付线的部分，分段按比例，至封顶线）→ 惠民保（如有）→ 医疗救助（仅救助对象，按比例至年度限额）→ 个人自付。',
          `门诊：人均每年 ${visitsPerYear} 次、每次相同费用，门诊统筹按年度起付线、报销比例和年度限额支付（未导入时按医保支付比例表）；大病保险、惠民保和医疗救助不覆盖普通门诊。`,
          '各部分平均值四舍五入到分，个人自付为平均费用减去其他各部分，因此各部分之和恰等于平均费用及其变化。',
        ],
      },
      levels: levels.map((l) => ({ ...l, netFen: byLevel.get(l.level)?.netFen ?? 0, baseRevenueFen: byLevel.get(l.level)?.baseRevenueFen ?? 0 })),
      static: { netFen: summary.netFen, fundFen: summary.fundFen, outOfPocketFen: summary.outOfPocketFen },
      warnings,
    };
  }
}
