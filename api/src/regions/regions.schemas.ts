import { z } from 'zod';
import { INDICATORS } from '../domain/reference';
import { RELEASE_TYPES } from '../domain/triggers/schema';

export const regionQuerySchema = z
  .object({
    level: z.coerce.number().int().min(0).max(2).optional(),
    parent: z.string().regex(/^[0-9]{6}$/, '须为 6 位行政区划代码 (six-digit GB/T 2260 code)').optional(),
    pilot: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
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
