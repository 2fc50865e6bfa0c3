import { z } from 'zod';
import {
  fen,
  isoDate,
  regionCodeSchema,
  roundParamsSchema,
  paramShape,
  ROUND_KINDS,
  ROUND_STATUSES,
} from '../domain/rounds/params';

export * from '../domain/rounds/params';

import type { AllocationBasis, RoundPlan, TotalResult } from '../domain/pricing';
import type { IndicatorRow } from '../facts/facts.schemas';

/**
 * Request and response shapes of the round endpoints. Rates are decimals (0.3 = 30%), money is integer fen, dates are
 * ISO (YYYY-MM-DD). The stored `round.params` holds the 调价方案 fields and the settings of the total-volume model.
 */

/** A row id in the path: a positive decimal integer (not `0x10`, `1e3`, `1.0`, `01` or ` 16`). */
export { idSchema } from '../common/input';

export const createRoundSchema = z
  .object({
    regionCode: regionCodeSchema,
    year: z.number().int().min(2000).max(2100),
    name: z.string().trim().min(1).max(200),
    kind: z.enum(['regular', 'special']).default('regular'),
    /** 执行日期 of the new prices; old prices are those in force the day before. */
    effectiveDate: isoDate.optional(),
    /** 调价方案 fields and total-model settings; itemShareFloor and changeCap default to ROUND_PARAM_DEFAULTS. */
    params: roundParamsSchema.prefault({}),
  })
  .strict();
export type CreateRound = z.infer<typeof createRoundSchema>;

/** PATCH: top-level params keys given replace the stored ones, null removes one. */
const patchParamsShape = Object.fromEntries(
  Object.entries(paramShape).map(([k, v]) => [k, (v as z.ZodType).nullable().optional()]),
) as { [K in keyof typeof paramShape]: z.ZodOptional<z.ZodNullable<(typeof paramShape)[K]>> };

export const patchRoundSchema = z
  .object({
    version: z.number().int().min(1),
    name: z.string().trim().min(1).max(200).optional(),
    year: z.number().int().min(2000).max(2100).optional(),
    kind: z.enum(['regular', 'special']).optional(),
    effectiveDate: isoDate.nullable().optional(),
    params: z.object(patchParamsShape).strict().optional(),
  })
  .strict();
export type PatchRound = z.infer<typeof patchRoundSchema>;

/** Largest evaluation (trigger evidence, as JSON text) kept with a status change; one region's evidence is ~20 kB. */
const MAX_EVALUATION_CHARS = 1_000_000;

export const statusChangeSchema = z
  .object({
    to: z.enum(ROUND_STATUSES),
    version: z.number().int().min(1),
    /** Required with to = approved: the scenario approved. */
    scenarioId: z.number().int().positive().optional(),
    /** The trigger evaluation (evidence) to keep with evaluated / triggered / blocked. */
    evaluation: z
      .record(z.string().max(200), z.unknown())
      .refine((v) => JSON.stringify(v).length <= MAX_EVALUATION_CHARS, { error: `评估结果过大（超过 ${MAX_EVALUATION_CHARS} 个字符）(evaluation too large)` })
      .optional(),
    /** With to = implemented: the 执行日期, when the round has none yet. */
    effectiveDate: isoDate.optional(),
  })
  .strict();
export type StatusChange = z.infer<typeof statusChangeSchema>;

export const listRoundsQuerySchema = z
  .object({
    region: regionCodeSchema.optional(),
    year: z.coerce.number().int().min(2000).max(2100).optional(),
    kind: z.enum(ROUND_KINDS).optional(),
    status: z.enum(ROUND_STATUSES).optional(),
  })
  .strict();
export type ListRoundsQuery = z.infer<typeof listRoundsQuerySchema>;

/**
 * Largest performance weight: round_allocation.weight is numeric(12, 6), which holds less than 10⁶; a weight is
 * stored rounded to 6 decimals, so the bound is a whole number that rounding cannot push over.
 */
export const MAX_WEIGHT = 999_999;

export const allocateSchema = z
  .object({
    basis: z.enum(['revenue', 'weight', 'revenueTimesWeight']).optional(),
    /** Performance weights by institution code (basis weight / revenueTimesWeight); missing institutions weigh 1. */
    weights: z.record(z.string().max(40), z.number().min(0).max(MAX_WEIGHT)).optional(),
    /** Overrides the total to allocate (default: params.totalFen, else the computed 调价总量). */
    totalFen: fen.optional(),
    /** The round's version the allocation is made on (it stores the allocated total on the round). */
    version: z.number().int().min(1),
  })
  .strict();
export type AllocateRequest = z.infer<typeof allocateSchema>;

export const roundSchema = z.object({
  id: z.number(),
  regionCode: z.string(),
  regionName: z.string(),
  year: z.number(),
  name: z.string(),
  kind: z.enum(ROUND_KINDS),
  status: z.enum(ROUND_STATUSES),
  params: z.record(z.string(), z.unknown()),
  basePeriodFrom: z.string().nullable(),
  basePeriodTo: z.string().nullable(),
  effectiveDate: z.string().nullable(),
  totalFen: z.number().nullable(),
  approvedScenarioId: z.number().nullable(),
  ruleSetId: z.number().nullable(),
  evaluation: z.unknown().nullable(),
  scenarioCount: z.number(),
  version: z.number(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Round = z.infer<typeof roundSchema>;

// ---- Responses of the total endpoints (types; the web app imports them as types)

export interface TotalResponse extends TotalResult {
  roundId: number;
  regionCode: string;
  year: number;
  baseYear: number;
  basePeriod: { from: string; to: string };
  priceDate: string;
  /** params.totalFen: the 调价总金额 set by the bureau, used instead of the computed total when present. */
  configuredTotalFen: number | null;
  /** The total allocations and checks use: configured, else computed. */
  effectiveTotalFen: number;
  fundShare: { value: number; source: 'params' | 'base-weighted'; ruleZh: string } | null;
  base: { rows: number; unpricedVolumeRows: number };
  sources: IndicatorRow[];
  warnings: string[];
}

export interface AllocationResponse extends RoundPlan {
  roundId: number;
  totalSource: 'request' | 'params' | 'computed';
  basis: AllocationBasis;
  baseYear: number;
  baseRevenueFen: number;
  hospitals: (RoundPlan['hospitals'][number] & { name: string; type: string | null })[];
}
