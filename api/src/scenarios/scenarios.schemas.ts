import { z } from 'zod';
import { positiveIntText } from '../common/input';
import { fen, signedFen } from '../domain/rounds/params';
import type { HospitalLevel } from '../domain/reference';

/** Request and response shapes of the scenario endpoints (调价方案). Money is integer fen. */

export const SCENARIO_METHODS = ['manual', 'import', 'quotes', 'indexation', 'scaling', 'optimiser', 'historic'] as const;

export const levelSchema = z.union([z.literal(3), z.literal(2), z.literal(1)]);

export const createScenarioSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    method: z.enum(['manual', 'import', 'quotes', 'indexation', 'scaling', 'optimiser']).default('manual'),
    notes: z.string().max(4000).optional(),
  })
  .strict();
export type CreateScenario = z.infer<typeof createScenarioSchema>;

export const changeInputSchema = z
  .object({
    itemCode: z.string().trim().min(1).max(40),
    level: levelSchema,
    /** The new price in fen … */
    newPriceFen: fen.optional(),
    /** … or the change in percent of the old price (10 = +10%, −25 = −25%), rounded to the fen half away from zero. */
    pctChange: z.number().min(-100).max(10_000).optional(),
    reason: z.string().max(500).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if ((c.newPriceFen === undefined) === (c.pctChange === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['newPriceFen'], message: '须给出 newPriceFen 或 pctChange 之一 (give exactly one of newPriceFen, pctChange)' });
    }
  });
export type ChangeInput = z.infer<typeof changeInputSchema>;

export const putChangesSchema = z
  .object({
    version: z.number().int().min(1),
    changes: z.array(changeInputSchema).max(200_000),
  })
  .strict();
export type PutChanges = z.infer<typeof putChangesSchema>;

/** Some changes set (by item and level, insert or replace) and some removed, on the scenario's current version. */
export const patchChangesSchema = z
  .object({
    version: z.number().int().min(1),
    set: z.array(changeInputSchema).max(200_000).default([]),
    remove: z.array(z.object({ itemCode: z.string().trim().min(1).max(40), level: levelSchema }).strict()).max(200_000).default([]),
  })
  .strict();
export type PatchChanges = z.infer<typeof patchChangesSchema>;

/** A change row as the repository writes it (and a scenario version stores it). */
export interface ChangeRow {
  itemCode: string;
  level: HospitalLevel;
  oldPriceFen: number;
  newPriceFen: number;
  reason: string | null;
  source: string | null;
}

/** The result of a PATCH of a scenario's changes. */
export interface PatchResult {
  id: number;
  version: number;
  updatedAt: string;
  /** rows set and removed by the patch */
  set: number;
  removed: number;
  /** changes after the patch, when known without a count (null otherwise) */
  changeCount: number | null;
}


export const scaleSchema = z
  .object({
    /** Net adjustment Σ ΔP·Q the scenario should reach, fen. */
    targetFen: signedFen,
    /**
     * Which rows are scaled and which base the factor uses (SCALING_BASE_ZH): changes (default): every change × f;
     * increases: raises only; prices: the changed rows' new prices × f, R₀ of those rows; schedule: every priced item
     * and level of the round, new prices × f, R₀ of the whole fee schedule (unchanged items become changes).
     */
    scope: z.enum(['changes', 'increases', 'prices', 'schedule']).optional(),
    /** The scenario's version the request was made on (optimistic locking, as every write of a scenario). */
    version: z.number().int().min(1),
  })
  .strict();
export type ScaleRequest = z.infer<typeof scaleSchema>;

export const indexSchema = z
  .object({
    /** Growth as a decimal (0.05 = 5%), or yearly decimals that compound. */
    growth: z.union([z.number().min(-0.9).max(5), z.array(z.number().min(-0.9).max(5)).min(1).max(20)]),
    /** Rounding unit of the new price: 1 分, 10 角, 100 元 (default 1). */
    roundToFen: z.union([z.literal(1), z.literal(10), z.literal(100)]).optional(),
    /**
     * Categories whose items count as 通用型 when neither the region's item list nor the catalogue records a kind
     * (default: general 综合医疗服务 and nursing 护理 — 诊查, 护理, 床位).
     */
    categories: z.array(z.string().min(1).max(40)).max(50).optional(),
    /** Only these items (default: every 通用型 item). */
    itemCodes: z.array(z.string().min(1).max(40)).max(100_000).optional(),
    levels: z.array(levelSchema).min(1).max(3).optional(),
    /** The scenario's version the request was made on (optimistic locking). */
    version: z.number().int().min(1),
  })
  .strict();
export type IndexRequest = z.infer<typeof indexSchema>;

export const importQuerySchema = z
  .object({
    /** The scenario's version (required here or, with a multipart upload, as its field `version`). */
    version: positiveIntText(2 ** 31 - 1, '版本应为正整数 (version must be a positive integer)').optional(),
    /** File name for messages and format detection when the body is the raw file. */
    fileName: z.string().min(1).max(200).optional(),
  })
  .strict();
export type ImportQuery = z.infer<typeof importQuerySchema>;

export const scenarioSchema = z.object({
  id: z.number(),
  roundId: z.number(),
  regionCode: z.string(),
  name: z.string(),
  method: z.enum(SCENARIO_METHODS),
  status: z.enum(['draft', 'approved', 'archived']),
  version: z.number(),
  params: z.record(z.string(), z.unknown()),
  notes: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  changeCount: z.number(),
  upCount: z.number(),
  downCount: z.number(),
});
export type Scenario = z.infer<typeof scenarioSchema>;
/** A scenario without its change counts. */
export type ScenarioHead = Omit<Scenario, 'changeCount' | 'upCount' | 'downCount'>;

export const scenarioChangeSchema = z.object({
  itemCode: z.string(),
  name: z.string().nullable(),
  unit: z.string().nullable(),
  categoryCode: z.string().nullable(),
  level: z.number(),
  oldPriceFen: z.number(),
  newPriceFen: z.number(),
  deltaFen: z.number(),
  reason: z.string().nullable(),
  source: z.string().nullable(),
});
export type ScenarioChange = z.infer<typeof scenarioChangeSchema>;

export const scenarioWithChangesSchema = scenarioSchema.extend({ changes: z.array(scenarioChangeSchema) });
