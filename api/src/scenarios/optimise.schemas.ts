import { z } from 'zod';
import { signedFen } from '../domain/rounds/params';

/** Request shape of POST /api/scenarios/:id/optimise (调价方案优化). Rates are decimals, money integer fen. */

const share = z.number().min(0).max(1);

export const optimiseSettingsSchema = z
  .object({
    /** 调价总量: the largest net increase Σ ΔP·Q (default: the round's total, as the impact checks it). */
    totalFen: signedFen.optional(),
    /** 调价幅度上限 (default: the round's changeCap). */
    changeCap: z.number().min(0).max(10).optional(),
    /** 调价项目数比例下限 (default: the round's itemShareFloor, else 0). */
    itemShareFloor: share.optional(),
    /** Minimum share of the gross raise on labour-dominant rows (default: the round's labourRuleShare, else 0.6). */
    labourRuleShare: share.optional(),
    /**
     * Raise only items whose technical-labour share exceeds the round's labourItemThreshold (default 60%), the per-item
     * screen of SCENARIO.RAISED_ITEM_LOW_LABOUR (default false).
     */
    raiseLabourItemsOnly: z.boolean().optional(),
    /** Raises stop at cost × targetRecovery (default 1). */
    targetRecovery: z.number().gt(0).max(10).optional(),
    /** Smallest net Σ ΔP·Q (optional). */
    minNetFen: signedFen.optional(),
  })
  .strict();
export type OptimiseSettingsInput = z.infer<typeof optimiseSettingsSchema>;

export const optimiseSchema = z
  .object({
    version: z.number().int().min(1),
    settings: optimiseSettingsSchema.default({}),
  })
  .strict();
export type OptimiseRequest = z.infer<typeof optimiseSchema>;
