/**
 * Request and response shapes of the analysis room; the web app types its calls with them (import type only).
 */
import { z } from 'zod';
import type { CostValueFigures } from '../domain/pricing/cost-value';
import type { PriceBox } from '../domain/pricing/position';
import type { CategoryFamily, HospitalLevel } from '../domain/reference';
import type { Round } from '../rounds/rounds.schemas';
import type { Scenario } from '../scenarios/scenarios.schemas';

/** An item category (项目类别) as the catalogue names it. */
export interface CategoryRow {
  code: string;
  nameZh: string;
  nameEn: string;
  family: CategoryFamily;
}

/** Who and what an analysis answer is about. */
export interface AnalysisHead {
  scenario: Pick<Scenario, 'id' | 'name' | 'roundId' | 'regionCode' | 'version'>;
  round: Pick<Round, 'id' | 'name' | 'year' | 'regionCode' | 'regionName' | 'status'>;
  priceDate: string;
  baseYear: number;
}

/** One item at one hospital level: its price against its cost and its relative value, before and after the scenario. */
export interface CostValueRow {
  itemCode: string;
  name: string;
  unit: string | null;
  categoryCode: string;
  level: HospitalLevel;
  changed: boolean;
  oldPriceFen: number;
  newPriceFen: number;
  /** base-year volume of the public hospitals at the level */
  quantity: number;
  unitCostFen: number | null;
  /** price ÷ unit cost, before and after; null without a cost */
  recoveryBefore: number | null;
  recoveryAfter: number | null;
  /** 人力资源消耗相对值 (2023 技术规范); null when no catalogue item with points maps to the item */
  relativeValue: number | null;
  catalogueCodes: string[];
  /** price ÷ relative value (分 per point), before and after */
  pointPriceBeforeFen: number | null;
  pointPriceAfterFen: number | null;
}

/** A category at a level: recovery and price per point before and after (volume-weighted ratios of sums). */
export interface CostValueGroup {
  categoryCode: string;
  level: HospitalLevel;
  before: CostValueFigures;
  after: CostValueFigures;
}

export interface CostValueResponse extends AnalysisHead {
  categories: CategoryRow[];
  rows: CostValueRow[];
  /** in the order of `categories`, then from level 3 down */
  byCategory: CostValueGroup[];
}

/** One level of one item: the other regions' prices as a box, this region's old price and the scenario's new one. */
export interface PriceSpreadLevel {
  level: HospitalLevel;
  oldPriceFen: number;
  newPriceFen: number;
  changed: boolean;
  /** the other regions' prices in force on the price date; null when no other region prices the item at the level */
  box: PriceBox | null;
  percentileOld: number | null;
  percentileNew: number | null;
}

export interface PriceSpreadResponse extends AnalysisHead {
  item: { code: string; name: string; unit: string | null; categoryCode: string };
  levels: PriceSpreadLevel[];
}

export const priceSpreadQuerySchema = z
  .object({
    /** the region's item code, e.g. 310100001 */
    item: z.string().trim().min(1, '请给出项目编码 (item is required)').max(40, '项目编码过长 (item code too long)'),
  })
  .strict();
export type PriceSpreadQuery = z.infer<typeof priceSpreadQuerySchema>;
