/**
 * Request and response shapes of the catalogue room; the web app types its calls with them (import type only).
 */
import { z } from 'zod';
import type { CarryOverResult } from '../domain/carry-over';

export interface GuidelineMappingRow {
  type: 'main' | 'addon' | 'extension';
  system: 'nhsa15' | 'nhc2023' | 'legacy';
  code: string;
  name: string | null;
}

/** A guideline item (立项指南) as stored, with its mapping rows (映射关系). */
export interface GuidelineItemRecord {
  batchName: string;
  seq: number;
  code: string | null;
  name: string;
  unit: string;
  serviceOutput: string;
  priceComposition: string | null;
  pricingNote: string | null;
  mappings: GuidelineMappingRow[];
}

/** A guideline item (立项指南) with its mapping rows (映射关系) and its carried-over prices (价格平移) in the region. */
export interface CatalogueItem extends GuidelineItemRecord {
  /** the region's old items the main mappings resolve to (`via`: the mapped code system, or the crosswalked code) */
  sources: { code: string; name: string | null; via: string }[];
  /** mapped codes the region's price table does not list and no crosswalk resolves */
  unresolved: string[];
  /**
   * the unresolved codes that matter (as the carry-over report lists them): old price-item codes always, other code
   * systems only when nothing else resolved (they usually name the same old item as the row's old code)
   */
  missing: string[];
  levels: { '3': CarryOverResult; '2': CarryOverResult; '1': CarryOverResult };
  /** the carry-over's caveats in Chinese (empty when none) */
  note: string;
}

export interface CatalogueResponse {
  region: { code: string; name: string };
  /** prices in force on this date */
  date: string;
  /** base year of the volumes that weight the carry-over (null: no volumes loaded) */
  year: number | null;
  batches: { name: string; publishedOn: string | null; itemCount: number }[];
  /** guideline items before the search */
  totalCount: number;
  /** the items matching the search (all of them without one) */
  items: CatalogueItem[];
  /** the carry-over report over every item of the batch chosen (not only the matching ones) */
  report: {
    withoutMapping: string[];
    withoutVolume: string[];
    withoutPrice: string[];
    withUnpriced: { name: string; codes: string[] }[];
    withUnresolved: { name: string; codes: string[] }[];
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const catalogueQuerySchema = z
  .object({
    /** a part of a guideline item's name or code, or of a mapped or old item's code or name */
    q: z.string().trim().max(100, '搜索内容过长 (search text too long)').optional(),
    /** guideline_batch.name */
    batch: z.string().trim().min(1).max(200).optional(),
    /** prices in force on this date (default today) */
    date: z
      .string()
      .regex(DATE, '日期格式应为 YYYY-MM-DD (date must be YYYY-MM-DD)')
      .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), '不是有效日期 (not a valid date)')
      .optional(),
    /** base year of the volumes (default the latest loaded up to the date's year) */
    year: z.coerce.number().int().min(1990).max(2100).optional(),
  })
  .strict();
export type CatalogueQuery = z.infer<typeof catalogueQuerySchema>;
