import type { ForecastResponse } from '../forecast/forecast.schemas';
/**
 * Request shapes of the briefing room and the plain data a briefing is drawn from (BriefingData): everything the PDF
 * and the Excel files show, gathered once by BriefingService from the rooms that own it.
 */
import { z } from 'zod';
import { positiveIntText } from '../common/input';
import type { TriggerResult } from '../domain/triggers';
import type { ImpactItemRow, ImpactResponse } from '../impact/impact.schemas';
import type { Round, TotalResponse } from '../rounds/rounds.schemas';

/** A path id: a positive decimal integer (common/input.ts). */
const positiveId = (what: string) => positiveIntText(2 ** 31 - 1, `须为${what}的正整数编号（十进制数字）(a positive decimal integer id)`);

/** GET /api/rounds/:id/briefing.pdf?scenario=ID */
export const briefingQuerySchema = z
  .object({
    scenario: z
      .string({
        error: (iss) =>
          iss.input === undefined ? '缺少调价方案编号：请给出 scenario=ID (missing scenario=ID)' : '调价方案编号只能给一个 (give one scenario id)',
      })
      .regex(/^\s*[1-9][0-9]{0,9}\s*$/, { error: '须为调价方案的正整数编号 (a positive integer id)' })
      .transform(Number)
      .refine((v) => v <= 2 ** 31 - 1, { error: '调价方案编号过大 (id too large)' }),
  })
  .strict();
export type BriefingQuery = z.infer<typeof briefingQuerySchema>;

export const roundIdSchema = positiveId('调价轮次');
export const scenarioIdSchema = positiveId('调价方案');

/** A load batch the region's facts come from (六、数据来源与假设). */
export interface LoadBatchRef {
  id: number;
  kind: string;
  fileName: string;
  /** SHA-256 of the file, hex */
  checksum: string;
  regionCode: string | null;
  rowsLoaded: number;
  origin: 'real' | 'generated' | 'user';
  source: string | null;
  /** YYYY-MM-DD HH:MM, China time */
  loadedAt: string;
}

export interface BriefingEvaluation {
  result: TriggerResult | null;
  /** round: the evaluation kept with the round's status change; evaluated: evaluated now (the round keeps none) */
  source: 'round' | 'evaluated' | 'none';
  note: string | null;
}

export interface BriefingData {
  /** YYYY-MM-DD, China time, when the briefing was made */
  generatedOn: string;
  /** YYYY-MM-DD of the newest load batch the data comes from; null when nothing was loaded */
  dataAsOf: string | null;
  round: Round;
  impact: ImpactResponse;
  /** Every row (item × level) of every item the scenario changes, changed or not, in item-code and level order. */
  itemRows: ImpactItemRow[];
  total: TotalResponse | null;
  /** Why the waterfall is missing (e.g. an indicator is not loaded). */
  totalError: string | null;
  evaluation: BriefingEvaluation;
  batches: LoadBatchRef[];
  /** The forecast band under volume response at the default assumptions (ForecastService), or why there is none. */
  forecast: ForecastResponse | null;
  forecastError: string | null;
}
