import { z } from 'zod';
import { MAX_AMOUNT_FEN } from '../money';

/**
 * A round's parameters (round.params): the 调价方案 fields (申报/抽样 periods, 调价项目数比例下限, 调价幅度上限, the
 * bureau's 调价总金额) and the settings of the total-volume model (growth, 控费, 集采, fund cap, the 60% rule).
 * Rates are decimals (0.3 = 30%), money is integer fen, dates are ISO (YYYY-MM-DD). The same schemas validate a
 * request in the API and a round's stored parameters wherever they are read.
 */

export const ROUND_STATUSES = ['draft', 'evaluated', 'triggered', 'blocked', 'scenarios', 'approved', 'implemented'] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];
export const ROUND_KINDS = ['regular', 'special', 'historic'] as const;
export type RoundKind = (typeof ROUND_KINDS)[number];

export const share = z.number().min(0).max(1);
/** An amount in fen a request may give: at most MAX_AMOUNT_FEN (10 万亿元). */
export const fen = z.number().int().min(0).max(MAX_AMOUNT_FEN);
export const signedFen = z.number().int().min(-MAX_AMOUNT_FEN).max(MAX_AMOUNT_FEN);
export const rate = z.number().min(-1).max(10);
export const isoDate = z.iso.date('日期格式应为 YYYY-MM-DD (ISO date)');
export const regionCodeSchema = z.string().regex(/^[0-9]{6}$/, '须为 6 位行政区划代码 (six-digit GB/T 2260 code)');

export const growthParamsSchema = z.union([
  z.object({ rate, cap: rate.optional() }).strict(),
  z
    .object({
      from: z.enum(['gdp', 'income', 'wage']),
      /** The growth value; taken from the region's indicator of the base year when absent. */
      value: rate.optional(),
      cap: rate.optional(),
    })
    .strict(),
]);

export const costControlParamsSchema = z
  .object({
    /** Spending growth target (default: indicator cost_growth_target of the base year). */
    targetGrowth: rate.optional(),
    /** Actual spending growth (default: indicator medical_total_cost_growth of the base year). */
    actualGrowth: rate.optional(),
    /** Spending the difference applies to (default: the base revenue R₀). */
    baseSpendingFen: fen.optional(),
    rewardWeight: z.number().min(0).max(100).optional(),
    penaltyWeight: z.number().min(0).max(100).optional(),
  })
  .strict();

export const procurementParamsSchema = z
  .object({
    alpha: z.number().min(0).max(10),
    /** 集采 savings (default: indicator procurement_savings of the base year, 亿元). */
    savingsFen: fen.optional(),
  })
  .strict();

export const fundCapParamsSchema = z
  .object({
    /** Average fund share of a price change (default: the base-revenue-weighted fund share of the base items). */
    fundShare: share.optional(),
    /** 累计结余可支付月数 minimum (default 3). */
    minReserveMonths: z.number().min(0).max(120).optional(),
    /** Defaults: indicators fund_current_balance, fund_accumulated_balance, fund_expenditure of the base year. */
    currentBalanceFen: signedFen.optional(),
    accumulatedBalanceFen: signedFen.optional(),
    annualSpendingFen: fen.optional(),
  })
  .strict();

export const fundShareByLevelSchema = z.object({ '3': share, '2': share, '1': share }).partial().strict();

export const paramShape = {
  /** 调价总金额 set by the bureau; when absent the computed 调价总量 is used. */
  totalFen: fen.optional(),
  /** 调价项目数比例下限 */
  itemShareFloor: share,
  /** 调价幅度上限 */
  changeCap: z.number().min(0).max(10),
  /** 申报起止时间 */
  declareFrom: isoDate.optional(),
  declareTo: isoDate.optional(),
  /** 抽样起止时间 (base period); volumes are annual, the base year is the year of sampleFrom (default year − 1). */
  sampleFrom: isoDate.optional(),
  sampleTo: isoDate.optional(),
  /** Fund share by hospital level for the fund / out-of-pocket split (default FUND_SHARE_BY_LEVEL_DEMO). */
  fundShareByLevel: fundShareByLevelSchema.optional(),
  growth: growthParamsSchema.optional(),
  costControl: costControlParamsSchema.optional(),
  procurement: procurementParamsSchema.optional(),
  selfFinancing: z.object({ cutsFen: fen }).strict().optional(),
  fundCap: fundCapParamsSchema.optional(),
  /** The 60% rule: minimum technical-labour share of the raised amount (default 0.6). */
  labourRuleShare: share.optional(),
  /** An item is labour-dominant when its labour share exceeds this (default 0.6). */
  labourItemThreshold: share.optional(),
  /** Allocation to hospitals: by base revenue (default), by weight or by revenue × weight. */
  allocationBasis: z.enum(['revenue', 'weight', 'revenueTimesWeight']).optional(),
};

type ParamsLike = { declareFrom?: string | null; declareTo?: string | null; sampleFrom?: string | null; sampleTo?: string | null };

function checkPeriods(p: ParamsLike, ctx: z.RefinementCtx): void {
  if (p.declareFrom && p.declareTo && p.declareFrom > p.declareTo) {
    ctx.addIssue({ code: 'custom', path: ['declareTo'], message: '申报结束时间早于开始时间 (declareTo before declareFrom)' });
  }
  if (p.sampleFrom && p.sampleTo && p.sampleFrom > p.sampleTo) {
    ctx.addIssue({ code: 'custom', path: ['sampleTo'], message: '抽样结束时间早于开始时间 (sampleTo before sampleFrom)' });
  }
}

/**
 * Defaults of the 调价方案 fields a new round is created with when they are not given (shown in the round's params):
 * 调价项目数比例下限 0 (no minimum share of items adjusted) and 调价幅度上限 30% (no price moves by more than ±30% of
 * its old price). Rounds stored without them (historic rounds, rounds created before these defaults) are read as
 * they are: without a cap the impact names the missing check instead of applying one.
 */
export const ROUND_PARAM_DEFAULTS = { itemShareFloor: 0, changeCap: 0.3 } as const;

export const roundParamsSchema = z
  .object({
    ...paramShape,
    itemShareFloor: paramShape.itemShareFloor.default(ROUND_PARAM_DEFAULTS.itemShareFloor),
    changeCap: paramShape.changeCap.default(ROUND_PARAM_DEFAULTS.changeCap),
  })
  .strict()
  .superRefine(checkPeriods);
export type RoundParams = z.infer<typeof roundParamsSchema>;

/** Stored params read back leniently (historic rounds carry other keys and no 调价方案 fields). */
export const storedParamsSchema = z.object(paramShape).partial();
export type StoredParams = z.infer<typeof storedParamsSchema>;
