import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors';
import { rowFundFen } from '../domain/pricing';
import { CATEGORIES, type HospitalLevel } from '../domain/reference';
import type { MonitoringQuery, MonthlyMonitoringResponse } from './monitoring.schemas';
import { PricingDataRepository } from '../facts/pricing-data.repository';
import { FundShares } from '../domain/pricing/fund-share';
import { roundContext } from '../domain/rounds/context';
import { RoundsService } from '../rounds/rounds.service';
import type { Round } from '../rounds/rounds.schemas';
import { ScenariosRepository } from '../scenarios/scenarios.repository';
import { monthlyMonitoring } from '../domain/monitoring/monthly';
import { MonitoringRepository } from './monitoring.repository';

/**
 * 跟踪监测评估 of an implemented round (DOMAIN.md §7 step 7): the forecast the round was approved on against what the
 * later volumes give.
 *
 * For each change of the round's approved scenario (ΔP = new − old price at an item and level):
 *   forecast = ΔP × Q_base    Q_base: public hospitals' volume at that level in the round's base year
 *   actual   = ΔP × Q_year    Q_year: the same for the monitored year (volume_annual_level, which monthly data roll
 *                                     up into)
 * summed overall, by category and by hospital level, with the gross raise / cut split and the fund part (fund share as
 * in the impact: reimbursement_rate at the price date, else level share × payment-class factor). Per changed item (all
 * levels together): base and actual volume, their change, and the money difference; the top movers are the items
 * with the largest relative volume change (items with a base volume), ties by the absolute change.
 *
 * Errors (422): the round is not implemented (MONITORING.ROUND_NOT_IMPLEMENTED) or has no approved scenario
 * (MONITORING.NO_APPROVED_SCENARIO); the monitored year is not after the base year (MONITORING.YEAR_NOT_AFTER_BASE);
 * the base year or the monitored year has no public volumes (MONITORING.NO_BASE_VOLUMES / MONITORING.NO_VOLUMES,
 * details name the region and the year).
 */

const CATEGORY_ZH = new Map(CATEGORIES.map((c) => [c.code, c.name_zh]));
const CATEGORY_SORT = new Map(CATEGORIES.map((c, i) => [c.code, i]));
const CATEGORY_ORDER = (k: string): number => CATEGORY_SORT.get(k) ?? CATEGORIES.length;
const LEVEL_ZH: Record<number, string> = { 3: '三级', 2: '二级', 1: '一级' };

export interface MonitoringGroup {
  key: string;
  labelZh: string;
  changedRowCount: number;
  forecastFen: number;
  actualFen: number;
  /** actual − forecast */
  differenceFen: number;
  /** actual ÷ forecast − 1; null when the forecast is 0. */
  differenceRate: number | null;
  forecastUpFen: number;
  forecastDownFen: number;
  actualUpFen: number;
  actualDownFen: number;
  forecastFundFen: number;
  actualFundFen: number;
  baseQuantity: number;
  actualQuantity: number;
}

export interface MonitoringItem {
  itemCode: string;
  name: string | null;
  categoryCode: string;
  levels: number[];
  baseQuantity: number;
  actualQuantity: number;
  quantityChange: number;
  /** actual ÷ base − 1; null without a base volume. */
  quantityChangeRate: number | null;
  forecastFen: number;
  actualFen: number;
  differenceFen: number;
}

export interface MonitoringResponse {
  round: Pick<Round, 'id' | 'name' | 'year' | 'kind' | 'status' | 'regionCode' | 'effectiveDate' | 'approvedScenarioId'>;
  baseYear: number;
  year: number;
  priceDate: string;
  methodZh: string;
  summary: MonitoringGroup;
  byCategory: MonitoringGroup[];
  byLevel: MonitoringGroup[];
  items: MonitoringItem[];
  topMovers: MonitoringItem[];
  warnings: string[];
}

interface Acc {
  rows: number;
  f: number;
  a: number;
  fu: number;
  fd: number;
  au: number;
  ad: number;
  ff: number;
  af: number;
  qb: number;
  qa: number;
}

const emptyAcc = (): Acc => ({ rows: 0, f: 0, a: 0, fu: 0, fd: 0, au: 0, ad: 0, ff: 0, af: 0, qb: 0, qa: 0 });

function group(key: string, labelZh: string, x: Acc): MonitoringGroup {
  return {
    key,
    labelZh,
    changedRowCount: x.rows,
    forecastFen: x.f,
    actualFen: x.a,
    differenceFen: x.a - x.f,
    differenceRate: x.f !== 0 ? x.a / x.f - 1 : null,
    forecastUpFen: x.fu,
    forecastDownFen: x.fd,
    actualUpFen: x.au,
    actualDownFen: x.ad,
    forecastFundFen: x.ff,
    actualFundFen: x.af,
    baseQuantity: x.qb,
    actualQuantity: x.qa,
  };
}

const fundOf = (dp: number, q: number, share: number): number =>
  Number.isSafeInteger(q) ? rowFundFen({ oldPriceFen: 0, newPriceFen: dp, quantity: q, fundShare: share }) : Math.round(dp * q * share);

@Injectable()
export class MonitoringService {
  constructor(
    private readonly rounds: RoundsService,
    private readonly scenarios: ScenariosRepository,
    private readonly data: PricingDataRepository,
    private readonly monthly: MonitoringRepository,
  ) {}

  /** The implemented round with an approved scenario, its context and the monitored year; refused as the header says. */
  private async implemented(roundId: number, requestedYear: number | undefined) {
    const round = await this.rounds.get(roundId);
    if (round.status !== 'implemented') {
      throw new AppError(
        'MONITORING.ROUND_NOT_IMPLEMENTED',
        `调价轮次 ${round.id} 状态为 ${round.status}，尚未实施，不能进行跟踪监测 (the round is not implemented)`,
        422,
        { status: round.status },
      );
    }
    if (round.approvedScenarioId === null) {
      throw new AppError('MONITORING.NO_APPROVED_SCENARIO', `调价轮次 ${round.id} 没有已批准的调价方案 (the round has no approved scenario)`, 422);
    }
    const ctx = roundContext(round);
    const year = requestedYear ?? (round.effectiveDate ? Number(round.effectiveDate.slice(0, 4)) : ctx.baseYear + 1);
    if (year <= ctx.baseYear) {
      throw new AppError(
        'MONITORING.YEAR_NOT_AFTER_BASE',
        `监测年度 ${year} 应晚于基期 ${ctx.baseYear} 年 (the monitored year must be after the base year ${ctx.baseYear})`,
        422,
        { year, baseYear: ctx.baseYear },
      );
    }
    return { round, ctx, year, approvedScenarioId: round.approvedScenarioId };
  }

  async monitoring(roundId: number, query: MonitoringQuery): Promise<MonitoringResponse> {
    const { round, ctx, year, approvedScenarioId } = await this.implemented(roundId, query.year);
    const region = round.regionCode;
    // one read after another: a request holds one pooled connection at a time
    const changes = await this.scenarios.changes(approvedScenarioId);
    const baseVolumes = await this.data.publicLevelVolumes(region, ctx.baseYear);
    const yearVolumes = await this.data.publicLevelVolumes(region, year);
    const items = await this.data.regionItems(region);
    const rates = await this.data.reimbursementRates(region, ctx.priceDate);
    if (baseVolumes.length === 0) throw noBaseVolumes(region, ctx.baseYear);
    if (yearVolumes.length === 0) {
      throw new AppError(
        'MONITORING.NO_VOLUMES',
        `地区 ${region} 没有 ${year} 年公立医疗机构服务量，无法计算实际值；请先导入 ${year} 年服务量数据 (no public volumes for ${year})`,
        422,
        { regionCode: region, year },
      );
    }
    const qb = new Map(baseVolumes.map((v) => [`${v.itemCode}|${v.level}`, v.quantity]));
    const qa = new Map(yearVolumes.map((v) => [`${v.itemCode}|${v.level}`, v.quantity]));
    const info = new Map(items.map((i) => [i.itemCode, i]));
    const shares = new FundShares(rates, ctx.params.fundShareByLevel);

    const total = emptyAcc();
    const byCat = new Map<string, Acc>();
    const byLevel = new Map<number, Acc>();
    const byItem = new Map<string, MonitoringItem>();
    for (const c of changes) {
      const dp = c.newPriceFen - c.oldPriceFen;
      const key = `${c.itemCode}|${c.level}`;
      const b = qb.get(key) ?? 0;
      const a = qa.get(key) ?? 0;
      const share = shares.of(info.get(c.itemCode)?.paymentClass ?? null, c.level as HospitalLevel).share;
      const f = dp * b;
      const act = dp * a;
      const ff = fundOf(dp, b, share);
      const af = fundOf(dp, a, share);
      const cat = c.categoryCode ?? 'uncategorised';
      for (const acc of [total, getOr(byCat, cat), getOr(byLevel, c.level)]) {
        acc.rows++;
        acc.f += f;
        acc.a += act;
        if (dp > 0) {
          acc.fu += f;
          acc.au += act;
        } else {
          acc.fd -= f;
          acc.ad -= act;
        }
        acc.ff += ff;
        acc.af += af;
        acc.qb += b;
        acc.qa += a;
      }
      let it = byItem.get(c.itemCode);
      if (!it) {
        it = {
          itemCode: c.itemCode,
          name: c.name,
          categoryCode: cat,
          levels: [],
          baseQuantity: 0,
          actualQuantity: 0,
          quantityChange: 0,
          quantityChangeRate: null,
          forecastFen: 0,
          actualFen: 0,
          differenceFen: 0,
        };
        byItem.set(c.itemCode, it);
      }
      it.levels.push(c.level);
      it.baseQuantity += b;
      it.actualQuantity += a;
      it.forecastFen += f;
      it.actualFen += act;
    }
    for (const x of [total, ...byCat.values(), ...byLevel.values()]) {
      for (const v of [x.f, x.a, x.fu, x.fd, x.au, x.ad]) {
        if (Math.abs(v) > Number.MAX_SAFE_INTEGER) throw new RangeError('monitoring sums exceed the exact range');
      }
    }
    const itemList = [...byItem.values()].map((it) => ({
      ...it,
      levels: it.levels.sort((x, y) => y - x),
      quantityChange: it.actualQuantity - it.baseQuantity,
      quantityChangeRate: it.baseQuantity > 0 ? it.actualQuantity / it.baseQuantity - 1 : null,
      differenceFen: it.actualFen - it.forecastFen,
    }));
    itemList.sort((x, y) => Math.abs(y.differenceFen) - Math.abs(x.differenceFen) || (x.itemCode < y.itemCode ? -1 : 1));
    const topMovers = itemList
      .filter((it) => it.quantityChangeRate !== null)
      .sort(
        (x, y) =>
          Math.abs(y.quantityChangeRate!) - Math.abs(x.quantityChangeRate!) ||
          Math.abs(y.quantityChange) - Math.abs(x.quantityChange) ||
          (x.itemCode < y.itemCode ? -1 : 1),
      )
      .slice(0, query.top ?? 20);

    const warnings: string[] = [];
    const missingActual = changes.filter((c) => (qb.get(`${c.itemCode}|${c.level}`) ?? 0) > 0 && !qa.has(`${c.itemCode}|${c.level}`)).length;
    if (missingActual > 0) warnings.push(`${missingActual} 个调价项目（按等级）在 ${year} 年没有服务量记录，实际值按 0 计。`);
    if (changes.length === 0) warnings.push('已批准的调价方案没有调价项目。');

    return {
      round: {
        id: round.id,
        name: round.name,
        year: round.year,
        kind: round.kind,
        status: round.status,
        regionCode: round.regionCode,
        effectiveDate: round.effectiveDate,
        approvedScenarioId: round.approvedScenarioId,
      },
      baseYear: ctx.baseYear,
      year,
      priceDate: ctx.priceDate,
      methodZh:
        `预测值 = 价格变动 × 基期（${ctx.baseYear} 年）公立医疗机构服务量；实际值 = 价格变动 × ${year} 年公立医疗机构服务量；` +
        '按项目与医院等级逐行计算后汇总，基金支付部分按医保支付比例测算。',
      summary: group('total', '合计', total),
      byCategory: [...byCat.entries()]
        .map(([k, x]) => group(k, CATEGORY_ZH.get(k) ?? k, x))
        .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0)),
      byLevel: [...byLevel.entries()].sort((x, y) => y[0] - x[0]).map(([k, x]) => group(String(k), LEVEL_ZH[k] ?? `${k}级`, x)),
      items: itemList,
      topMovers,
      warnings,
    };
  }

  /** The round's forecast against each month's volumes of the monitored year (domain/monitoring/monthly.ts). */
  async months(roundId: number, query: MonitoringQuery): Promise<MonthlyMonitoringResponse> {
    const { round, ctx, year, approvedScenarioId } = await this.implemented(roundId, query.year);
    const region = round.regionCode;
    // one read after another: a request holds one pooled connection at a time
    const changes = await this.scenarios.changes(approvedScenarioId);
    const baseVolumes = await this.data.publicLevelVolumes(region, ctx.baseYear);
    if (baseVolumes.length === 0) throw noBaseVolumes(region, ctx.baseYear);
    const reported = await this.monthly.reportedMonths(region, year);
    const codes = [...new Set(changes.map((c) => c.itemCode))];
    const monthRows = reported.length ? await this.monthly.monthVolumes(region, year, codes) : [];
    const qb = new Map(baseVolumes.map((v) => [`${v.itemCode}|${v.level}`, v.quantity]));
    const qm = new Map<string, Map<number, number>>();
    for (const r of monthRows) {
      const k = `${r.itemCode}|${r.level}`;
      let m = qm.get(k);
      if (!m) qm.set(k, (m = new Map()));
      m.set(r.month, r.quantity);
    }
    const result = monthlyMonitoring(
      changes.map((c) => ({
        categoryCode: c.categoryCode ?? 'uncategorised',
        deltaFen: c.newPriceFen - c.oldPriceFen,
        baseQuantity: qb.get(`${c.itemCode}|${c.level}`) ?? 0,
        monthQuantity: qm.get(`${c.itemCode}|${c.level}`) ?? new Map<number, number>(),
      })),
      reported,
    );
    const warnings: string[] = [];
    if (reported.length === 0) warnings.push(`${round.regionName}（${region}）没有 ${year} 年的月度服务量，只有预测值；请导入 ${year} 年月度服务量数据。`);
    else if (reported.length < 12) warnings.push(`${year} 年已有 ${reported.length} 个月的服务量（${reported.join('、')} 月），其余月份尚无实际值。`);
    return {
      round: {
        id: round.id, name: round.name, year: round.year, kind: round.kind, status: round.status, regionCode: round.regionCode,
        regionName: round.regionName, effectiveDate: round.effectiveDate, approvedScenarioId: round.approvedScenarioId,
      },
      baseYear: ctx.baseYear,
      year,
      reportedMonths: reported,
      methodZh:
        `每月预测值 = 价格变动 × 基期（${ctx.baseYear} 年）公立医疗机构全年服务量 ÷ 12；每月实际值 = 价格变动 × ${year} 年该月公立医疗机构服务量；` +
        '按项目与医院等级逐行计算后汇总。',
      total: result.total,
      byCategory: result.byCategory
        .map((g) => ({ key: g.key, labelZh: CATEGORY_ZH.get(g.key) ?? g.key, points: g.points }))
        .sort((x, y) => CATEGORY_ORDER(x.key) - CATEGORY_ORDER(y.key)),
      warnings,
    };
  }
}

function getOr<K>(m: Map<K, Acc>, k: K): Acc {
  let a = m.get(k);
  if (!a) {
    a = emptyAcc();
    m.set(k, a);
  }
  return a;
}

/** The refusal of a forecast without the base year's public volumes (nothing to forecast from). */
function noBaseVolumes(region: string, baseYear: number): AppError {
  return new AppError(
    'MONITORING.NO_BASE_VOLUMES',
    `地区 ${region} 没有基期 ${baseYear} 年公立医疗机构服务量，无法计算预测值 (no public volumes for the base year ${baseYear})`,
    422,
    { regionCode: region, year: baseYear },
  );
}
