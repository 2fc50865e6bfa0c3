import { z } from 'zod';
import { INDICATORS } from '../domain/reference';
import { RELEASE_TYPES } from '../domain/triggers/schema';

export const regionQuerySchema = z
  .object({
    level: z.coerce.number().int().min(0).max(2).optional(),
    parent: z.string().regex(/^[0-9]{6}$/, '须为 6 位行政区划代码 (six-digit GB/T 2260 code)').optional(),
    pilot: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
    /** true: the regions a comparison (GET /api/regions/compare) may show — those in scope and every pilot region */
    comparable: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  })
  .strict();
export type RegionQuery = z.infer<typeof regionQuerySchema>;

export const regionSchema = z.object({
  code: z.string(),
  name: z.string(),
  level: z.number(),
  parentCode: z.string().nullable(),
  pilot: z.enum(['city_2021', 'province_2024']).nullable(),
});
export type Region = z.infer<typeof regionSchema>;

/** A medical institution of a region (GET /api/regions/:code/institutions): what a hospital user is bound to. */
export const institutionSchema = z.object({
  code: z.string(),
  name: z.string(),
  level: z.number().int().describe('医院等级 1 一级, 2 二级, 3 三级'),
});
export type Institution = z.infer<typeof institutionSchema>;

// ---- GET /api/regions/:code/indicators ----

const INDICATOR_CODES: ReadonlySet<string> = new Set(INDICATORS.map((d) => d.code));

/** Years of the indicator query: '2019' or 2019. */
const queryYear = z.coerce
  .number({ error: '须为年份 (year)' })
  .int({ error: '须为年份 (year)' })
  .min(1990, { error: '须为 1990–2100 的年份 (year)' })
  .max(2100, { error: '须为 1990–2100 的年份 (year)' });

/**
 * ?codes=medical_total_cost_growth,cpi_growth&from=2019&to=2024: the indicator codes of the catalogue
 * (domain/reference.ts INDICATORS), comma-separated, each once; from/to bound the year of the period (inclusive).
 */
export const indicatorQuerySchema = z
  .object({
    codes: z
      .string({ error: '须给出指标代码，以逗号分隔 (codes: comma-separated indicator codes)' })
      .transform((s) => [...new Set(s.split(',').map((c) => c.trim()).filter((c) => c !== ''))])
      .superRefine((codes, ctx) => {
        if (codes.length === 0) ctx.addIssue({ code: 'custom', message: '至少一个指标代码 (at least one indicator code)' });
        if (codes.length > INDICATORS.length) ctx.addIssue({ code: 'custom', message: `最多 ${INDICATORS.length} 个指标代码 (too many codes)` });
        const unknown = codes.filter((c) => !INDICATOR_CODES.has(c));
        if (unknown.length) ctx.addIssue({ code: 'custom', message: `未知指标代码 (unknown indicator code): ${unknown.join(', ')}` });
      }),
    from: queryYear.optional(),
    to: queryYear.optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.from !== undefined && q.to !== undefined && q.from > q.to) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: '须不早于 from (to must not be before from)' });
    }
  });
export type IndicatorQuery = z.infer<typeof indicatorQuerySchema>;

/**
 * One value of an indicator: every release of a period is its own row (快报 and 公报 side by side). A row with
 * `derivedFrom` is not stored but computed — 累计结余可支付月数 = 累计结余 ÷ (基金支出 ÷ 12), as the trigger evaluator
 * does, for an annual period and release without a stored value — from the listed indicators of the same period and
 * release.
 */
export const indicatorRowSchema = z.object({
  indicator: z.string(),
  nameZh: z.string(),
  unit: z.string().describe('单位 of the value as loaded (%, 亿元, 月 …)'),
  period: z.string().describe("'2024', '2024-03' or '2024Q1'"),
  value: z.number(),
  source: z.string(),
  releaseType: z.enum(RELEASE_TYPES).describe('express 快报, final 公报, yearbook 统计年鉴, estimate 测算, other'),
  isGenerated: z.boolean().describe('true: generated demo data'),
  derivedFrom: z.array(z.string()).describe('空 = 已导入的数值；否则为计算所用的指标代码 (empty: stored; else computed from these)'),
});
export type IndicatorRow = z.infer<typeof indicatorRowSchema>;

// ---- GET /api/regions/compare ----

const regionCode = z.string().regex(/^[0-9]{6}$/, '须为 6 位行政区划代码 (six-digit GB/T 2260 code)');

/** Regions compared at most at once. */
export const COMPARE_MAX_REGIONS = 8;

/**
 * The indicators compared (in this order): those the trigger evaluation's presets read for a round's start and its
 * constraints — 医药总费用增长率, 医疗收入增长率, GDP增长率, CPI涨幅 and 累计结余可支付月数 (derived as in
 * /api/regions/:code/indicators when not stored).
 */
export const COMPARE_INDICATORS = ['medical_total_cost_growth', 'medical_revenue_growth', 'gdp_growth', 'cpi_growth', 'fund_reserve_months'] as const;

/** ?codes=130200,320500,350200&year=2024: 2–8 region codes, each once; the round year (default each region's latest). */
export const compareQuerySchema = z
  .object({
    codes: z
      .string({ error: '须给出 2–8 个地区代码，以逗号分隔 (codes: 2–8 comma-separated region codes)' })
      .transform((s) => s.split(',').map((c) => c.trim()))
      .superRefine((codes, ctx) => {
        const bad = codes.filter((c) => !regionCode.safeParse(c).success);
        if (bad.length) ctx.addIssue({ code: 'custom', message: `须为 6 位行政区划代码 (six-digit GB/T 2260 codes): ${bad.map((c) => `'${c}'`).join(', ')}` });
        const dup = codes.filter((c, i) => codes.indexOf(c) !== i);
        if (dup.length) ctx.addIssue({ code: 'custom', message: `地区代码重复 (duplicate region code): ${[...new Set(dup)].join(', ')}` });
        if (codes.length < 2 || codes.length > COMPARE_MAX_REGIONS) {
          ctx.addIssue({ code: 'custom', message: `须为 2–${COMPARE_MAX_REGIONS} 个地区 (2–${COMPARE_MAX_REGIONS} regions, got ${codes.length})` });
        }
      }),
    year: z.coerce
      .number({ error: '须为年份 (year)' })
      .int({ error: '须为年份 (year)' })
      .min(2000, { error: '须为 2000–2100 的年份 (year)' })
      .max(2100, { error: '须为 2000–2100 的年份 (year)' })
      .optional(),
  })
  .strict();
export type CompareQuery = z.infer<typeof compareQuerySchema>;

/** Why a part of a region's comparison is null: a stable code and its sentence. */
export const compareReasonSchema = z.object({
  code: z.string().describe('REGION.NO_ROUND, ROUND.NO_SCENARIO, or the error code computing the figure gave (e.g. ROUND.INDICATOR_MISSING)'),
  message: z.string(),
});
export type CompareReason = z.infer<typeof compareReasonSchema>;

export const compareIndicatorSchema = z.object({
  indicator: z.string(),
  nameZh: z.string(),
  unit: z.string(),
  period: z.string().nullable().describe('the annual period of the value; null when none is loaded'),
  value: z.number().nullable(),
  releaseType: z.enum(RELEASE_TYPES).nullable().describe('公报 preferred, then 快报, 统计年鉴, 测算 (the trigger evaluation’s default)'),
  source: z.string().nullable(),
  derivedFrom: z.array(z.string()),
});
export type CompareIndicator = z.infer<typeof compareIndicatorSchema>;

const fenSchema = z.number().int().describe('分');

export const compareCategorySchema = z.object({
  key: z.string(),
  labelZh: z.string(),
  changedCount: z.number().int(),
  upCount: z.number().int(),
  downCount: z.number().int(),
  grossUpFen: fenSchema,
  grossDownFen: fenSchema,
  netFen: fenSchema,
});
export type CompareCategory = z.infer<typeof compareCategorySchema>;

export const compareRegionSchema = z.object({
  code: z.string(),
  name: z.string(),
  level: z.number(),
  pilot: z.enum(['city_2021', 'province_2024']).nullable(),
  /** the year of the indicators: the year before the round year (what the trigger evaluation of that year reads) */
  indicatorYear: z.number().int().nullable(),
  indicators: z.array(compareIndicatorSchema),
  round: z.object({ id: z.number().int(), name: z.string(), year: z.number().int(), status: z.string() }).nullable(),
  total: z
    .object({ totalFen: fenSchema, effectiveTotalFen: fenSchema, baseYear: z.number().int(), baseFen: fenSchema.describe('历史基数 R₀') })
    .nullable()
    .describe('调价总量 as GET /api/rounds/:id/total computes it'),
  totalReason: compareReasonSchema.nullable(),
  scenario: z.object({ id: z.number().int(), name: z.string(), updatedAt: z.string() }).nullable().describe("the round's most recently updated scenario"),
  impact: z
    .object({ netFen: fenSchema, grossUpFen: fenSchema, grossDownFen: fenSchema, byCategory: z.array(compareCategorySchema) })
    .nullable()
    .describe('as GET /api/scenarios/:id/impact summarises it'),
  impactReason: compareReasonSchema.nullable(),
});
export type CompareRegion = z.infer<typeof compareRegionSchema>;

export const compareResponseSchema = z.object({
  year: z.number().int().nullable().describe('the year asked for; null: each region’s latest round'),
  indicators: z.array(z.object({ code: z.string(), nameZh: z.string(), unit: z.string() })),
  regions: z.array(compareRegionSchema),
});
export type CompareResponse = z.infer<typeof compareResponseSchema>;
