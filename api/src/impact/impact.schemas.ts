/**
 * Response shapes of the impact room that the web app types its calls with (import type only).
 */
import type { ComparedRow, ImpactGroup, ImpactResult, ScenarioCheck } from '../domain/pricing';
import type { Round } from '../rounds/rounds.schemas';

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
