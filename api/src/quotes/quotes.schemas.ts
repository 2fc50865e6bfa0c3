import { z } from 'zod';
import { fen, signedFen } from '../domain/rounds/params';
import { levelSchema } from '../scenarios/scenarios.schemas';
import type { QuoteDecision, QuoteScore } from '../domain/quotes';
import type { HospitalLevel } from '../domain/reference';
import type { Scenario, ScenarioChange } from '../scenarios/scenarios.schemas';

/** Request shapes of the 复杂型 quote endpoints (医疗机构报价). Money is integer fen. */


export const costBasisSchema = z
  .object({
    /** 人力（技术劳务）成本 */
    labourFen: fen,
    /** 材料（不可另收费耗材）成本 */
    materialFen: fen.default(0),
    /** 设备折旧 */
    equipmentFen: fen.default(0),
    /** 管理及其他间接费用 */
    overheadFen: fen.default(0),
    otherFen: fen.default(0),
  })
  .strict();
export type CostBasis = z.infer<typeof costBasisSchema>;

export const createQuoteSchema = z
  .object({
    institutionCode: z.string().trim().min(1).max(40),
    itemCode: z.string().trim().min(1).max(40),
    /** The institution's level (default: its recorded level; must match it when given). */
    level: levelSchema.optional(),
    proposedPriceFen: fen.refine((v) => v > 0, '报价须大于 0 (the price must be positive)'),
    costBasis: costBasisSchema,
    expectedVolume: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    /** 申报理由: why the institution asks for this price (optional, at most 2,000 characters). */
    reason: z.string().trim().max(2000).optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    const unit = q.costBasis.labourFen + q.costBasis.materialFen + q.costBasis.equipmentFen + q.costBasis.overheadFen + q.costBasis.otherFen;
    if (unit <= 0) ctx.addIssue({ code: 'custom', path: ['costBasis'], message: '成本构成合计须大于 0 (the cost basis must add up to more than 0)' });
  });
export type CreateQuote = z.infer<typeof createQuoteSchema>;

export const selectQuotesSchema = z
  .object({
    /** Net Σ ΔP·Q the selection may spend, fen. */
    budgetFen: signedFen,
    /** Quotes scoring below this are rejected (default 0). */
    minScore: z.number().min(0).max(100).optional(),
    /** Name of the scenario created with the selection (default 复杂型项目报价遴选 + time). */
    scenarioName: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
export type SelectQuotes = z.infer<typeof selectQuotesSchema>;

/** A stored quote with its institution's and item's names. */
export interface QuoteRow {
  id: number;
  roundId: number;
  regionCode: string;
  institutionCode: string;
  institutionName: string | null;
  itemCode: string;
  itemName: string | null;
  level: HospitalLevel;
  proposedPriceFen: number;
  unitCostFen: number | null;
  costBasis: Record<string, number>;
  expectedVolume: number | null;
  /** 申报理由 (null when none was given) */
  reason: string | null;
  score: number | null;
  status: 'submitted' | 'selected' | 'rejected';
  submittedAt: string;
}

/**
 * A quote as listed: the stored row, the price in force at its level, and its score's parts among every quote of the
 * round (null for a hospital user, who sees its own quotes only; `score` is then the one a selection stored).
 */
export interface QuoteView extends QuoteRow {
  currentPriceFen: number | null;
  scoring: QuoteScore | null;
}

/** A 复杂型 item of the round's region that takes quotes, with its price in force at each level (fen; null: none). */
export interface QuotableItem {
  itemCode: string;
  name: string;
  unit: string | null;
  categoryCode: string | null;
  prices: Record<'1' | '2' | '3', number | null>;
}

/**
 * A round as the quotes list shows it: for a hospital user the rounds of its region with its own quotes counted, for
 * the bureau every round in scope with all quotes counted; `open` when the round still takes quotes (not historic,
 * not approved or implemented).
 */
export const quoteRoundSchema = z.object({
  id: z.number(),
  regionCode: z.string(),
  regionName: z.string(),
  year: z.number(),
  name: z.string(),
  kind: z.string(),
  status: z.string(),
  effectiveDate: z.string().nullable(),
  open: z.boolean(),
  quoteCount: z.number(),
  selectedCount: z.number(),
});
export type QuoteRound = z.infer<typeof quoteRoundSchema>;

/** The answer of a selection: the new scenario, the budget spent, and every quote's decision. */
export interface QuoteSelectionResult {
  scenario: Scenario & { changes: ScenarioChange[] };
  selection: { budgetFen: number; netFen: number; remainingFen: number; selectedCount: number; rejectedCount: number };
  decisions: (QuoteDecision & { newPriceFen: number; oldPriceFen: number | null })[];
}
