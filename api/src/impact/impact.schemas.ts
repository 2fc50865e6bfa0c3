/**
 * Request and response shapes of the impact room; the web app types its calls with them (import type only).
 */
import { z } from 'zod';
import type { ComparedRow, ImpactGroup, ImpactResult, ScenarioCheck, ServiceShareChange } from '../domain/pricing';
import type { PositionSummary, PricePosition } from '../domain/pricing/position';
import type { CategoryFamily, HospitalLevel } from '../domain/reference';
import type { IndicatorRow } from '../facts/facts.schemas';
import type { Round } from '../rounds/rounds.schemas';
import type { Scenario } from '../scenarios/scenarios.schemas';

/** The figures of one scenario shown side by side (the impact summary without its groupings and distributions). */
export interface ComparedScenario {
  id: number;
  name: string;
  method: string;
  status: string;
  version: number;
  summary: Pick<
    ImpactResult,
    | 'totalFen' | 'netFen' | 'grossUpFen' | 'grossDownFen' | 'withinTotal' | 'overByFen' | 'fundFen' | 'outOfPocketFen'
    | 'baseRevenueFen' | 'newRevenueFen' | 'changedRowCount' | 'upRowCount' | 'downRowCount' | 'itemCount'
    | 'adjustedItemCount' | 'adjustedItemShare' | 'minAdjustedItems'
  > & {
    labourShare: number | null;
    serviceRevenueShareBefore: number | null;
    serviceRevenueShareAfter: number | null;
  };
  /** Raises, cuts and net by category and by hospital level (as in the impact summary). */
  byCategory: ImpactGroup[];
  byLevel: ImpactGroup[];
  checks: ScenarioCheck[];
  warnings: string[];
}

export interface Comparison {
  round: Pick<Round, 'id' | 'name' | 'year' | 'regionCode' | 'regionName' | 'status'>;
  priceDate: string;
  scenarios: ComparedScenario[];
  /** Rows whose new price differs between the scenarios; newPricesFen in the order of `scenarios`. */
  items: (ComparedRow & { name: string; unit: string | null; categoryCode: string })[];
}

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
  /** item: the item list's 技术劳务占比; cost: labour cost ÷ unit cost; category: none, the category family decides */
  labourShareSource: 'item' | 'cost' | 'category';
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

export interface ServiceShareImpact extends ServiceShareChange {
  indicator: IndicatorRow;
  methodZh: string;
}

export interface ImpactResponse {
  scenario: Pick<Scenario, 'id' | 'name' | 'method' | 'status' | 'version' | 'roundId' | 'regionCode'>;
  round: Pick<Round, 'id' | 'name' | 'year' | 'kind' | 'status' | 'regionName'>;
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
  /** By public hospital at its own base-year volumes (include=hospitals). */
  byHospital?: HospitalImpact[];
  /** By hospital type, sums of its hospitals (include=hospitals). */
  byHospitalType?: ImpactGroup[];
  byPaymentClass: ImpactGroup[];
  serviceRevenueShare: ServiceShareImpact | null;
  /** The changed rows in bands of their cross-region percentile rank, before and after (include=positions). */
  positionSummary?: PositionSummary;
  /** Up to POSITIONS_LISTED changed rows, the highest new percentile rank first (include=positions; every row: the item table). */
  positions?: (Pick<ImpactItemRow, 'itemCode' | 'name' | 'level' | 'oldPriceFen' | 'newPriceFen'> & PricePosition)[];
  /** Which of the parts on request this response holds. */
  included: { hospitals: boolean; positions: boolean };
  warnings: string[];
}

/**
 * What the browser needs beside the rows to reproduce the impact summary exactly as GET /api/scenarios/:id/impact
 * computes it (ImpactService.impact): the total it checks against, the parameters of analyzeImpact, and the
 * 医疗服务收入占比 indicator of the base year.
 */
export interface ScenarioFactsMeta {
  roundId: number;
  regionCode: string;
  priceDate: string;
  baseYear: number;
  revision: number;
  total: { totalFen: number | null; source: string; note: string | null };
  params: { changeCap: number | null; itemShareFloor: number; labourRuleShare?: number; labourItemThreshold?: number };
  serviceShare: { value: string; period: string; source: string } | null;
  /** Rows flagged extra: levels not priced on the price date, present because the saved scenario changes them. */
  extraCount: number;
}

// ---- Query parameters

export const compareQuerySchema = z
  .object({
    /** 2–4 scenario ids of the round, comma-separated: scenarios=12,15 */
    scenarios: z
      .string()
      .transform((v, ctx) => {
        const parts = v.split(',').map((x) => x.trim());
        const ids = parts.map(Number);
        if (parts.some((x) => !/^[1-9][0-9]{0,9}$/.test(x))) {
          ctx.addIssue({ code: 'custom', message: '须为以逗号分隔的调价方案编号，如 12,15 (comma-separated scenario ids)' });
          return z.NEVER;
        }
        if (ids.length < 2 || ids.length > 4) {
          ctx.addIssue({ code: 'custom', message: `须比较 2 至 4 个调价方案，收到 ${ids.length} 个 (compare 2 to 4 scenarios)` });
          return z.NEVER;
        }
        if (new Set(ids).size !== ids.length) {
          ctx.addIssue({ code: 'custom', message: '调价方案编号重复 (duplicate scenario id)' });
          return z.NEVER;
        }
        return ids;
      }),
  })
  .strict();

const INCLUDE_PARTS = ['hospitals', 'positions'] as const;

export const impactQuerySchema = z
  .object({
    /** Parts beside the summary, comma-separated: hospitals (by hospital and hospital type), positions (cross-region). */
    include: z
      .string()
      .optional()
      .transform((v, ctx) => {
        const parts = (v ?? '').split(',').map((x) => x.trim()).filter(Boolean);
        const bad = parts.filter((x) => !(INCLUDE_PARTS as readonly string[]).includes(x));
        if (bad.length) {
          ctx.addIssue({ code: 'custom', message: `include 只能是 ${INCLUDE_PARTS.join('、')}（以逗号分隔），不能是 ${bad.join(',')} (unknown part)` });
          return z.NEVER;
        }
        return { hospitals: parts.includes('hospitals'), positions: parts.includes('positions') };
      }),
  })
  .strict();
export type ImpactQuery = z.infer<typeof impactQuerySchema>;

export const itemsQuerySchema = z
  .object({
    /** changed (default): the scenario's changes; all: every priced item and level of the region. */
    scope: z.enum(['changed', 'all']).default('changed'),
    /** A page of the rows (JSON): the first row, 0-based, and how many (default every row from offset). */
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(100_000).optional(),
  })
  .strict();
export type CompareQuery = z.infer<typeof compareQuerySchema>;
export type ItemsQuery = z.infer<typeof itemsQuerySchema>;
