/**
 * Request and response schemas of the rule-set endpoints. Rule sets themselves are validated by the domain schema
 * (domain/triggers/schema.ts); this file only adds what the HTTP layer needs around it.
 */
import type { AdjustmentKind } from '../domain/triggers';
import { z } from 'zod';
import { idSchema } from '../common/input';
import {
  COMPARISONS,
  indicatorValueSchema,
  RELEASE_TYPES,
  RULE_ROLES,
  ruleSetSchema,
  type TriggerResult,
} from '../domain/triggers';

const REGION_MESSAGE = '须为 6 位行政区划代码 (six-digit GB/T 2260 code)';
export const regionCodeSchema = z.string().regex(/^[0-9]{6}$/, { error: REGION_MESSAGE });
const yearSchema = z.number().int({ error: '须为年份 (year)' }).min(1990, { error: '须为 1990–2100 的年份 (year)' }).max(2100, { error: '须为 1990–2100 的年份 (year)' });
const kindSchema = z.enum(['regular', 'special'], { error: '须为 regular（常规调整）或 special（专项调整） (kind)' });
const booleanParam = z.enum(['true', 'false'], { error: '须为 true 或 false' }).transform((v) => v === 'true');

/** A positive integer id given in a path or query string. */
export const idParamSchema = idSchema;

/**
 * A rule set as sent in a request: the domain schema, with `version` optional. The server assigns versions (a new
 * rule set is version 1, a rule set with the name of an existing one of the same region version n + 1), so a version
 * in the body is not used for storing; an ad-hoc rule set may omit it (reported as version 1).
 */
export const ruleSetBodySchema = z.preprocess(
  (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) && !('version' in v) ? { ...v, version: 1 } : v),
  ruleSetSchema,
);

export const listQuerySchema = z
  .object({
    region: regionCodeSchema.optional(),
    includePresets: booleanParam.default(true),
    allVersions: booleanParam.default(false),
  })
  .strict();
export type ListQuery = z.infer<typeof listQuerySchema>;

/** An evaluation names exactly one rule set: a stored one (ruleSetId) or an ad-hoc one (ruleSet). */
function oneRuleSet(b: { ruleSetId?: number; ruleSet?: unknown }, ctx: z.RefinementCtx): void {
  if ((b.ruleSetId === undefined) === (b.ruleSet === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['ruleSetId'], message: '须给出 ruleSetId 或 ruleSet 之一 (give exactly one of ruleSetId and ruleSet)' });
  }
}

export const evaluateBodySchema = z
  .strictObject({
    /** A stored rule set (preset or a region's own). */
    ruleSetId: z.number({ error: '须为正整数编号 (positive integer id)' }).int().positive().max(2 ** 31 - 1).optional(),
    /** An ad-hoc rule set, evaluated without being stored. */
    ruleSet: ruleSetBodySchema.optional(),
    regionCode: regionCodeSchema,
    /** The year the evaluation is made in: rules read last year's values by default. */
    year: yearSchema,
    kind: kindSchema.default('regular'),
    /** Indicator values to evaluate against; when given, nothing is read from the database. */
    values: z.array(indicatorValueSchema).max(100_000).optional(),
    lastEvaluationYear: yearSchema.optional(),
  })
  .superRefine(oneRuleSet);
export type EvaluateBody = z.infer<typeof evaluateBodySchema>;

/** Many regions under one rule set: the overview of the pilot regions, or of every region with indicator data. */
export const evaluateRegionsBodySchema = z
  .strictObject({
    ruleSetId: z.number({ error: '须为正整数编号 (positive integer id)' }).int().positive().max(2 ** 31 - 1).optional(),
    ruleSet: ruleSetBodySchema.optional(),
    /** The regions to evaluate; omitted: every region with indicator values in the years the rule set reads. */
    regionCodes: z.array(regionCodeSchema).min(1).max(400).optional(),
    year: yearSchema,
    kind: kindSchema.default('regular'),
    lastEvaluationYear: yearSchema.optional(),
  })
  .superRefine((b, ctx) => {
    oneRuleSet(b, ctx);
    const seen = new Map<string, number>();
    b.regionCodes?.forEach((c, i) => {
      if (seen.has(c)) ctx.addIssue({ code: 'custom', path: ['regionCodes', i], message: `地区代码 ${c} 重复（与 regionCodes.${seen.get(c)} 相同）(duplicate region)` });
      else seen.set(c, i);
    });
  });
export type EvaluateRegionsBody = z.infer<typeof evaluateRegionsBodySchema>;

export const regionEvaluationQuerySchema = z
  .object({
    year: z.coerce.number({ error: '须为年份 (year)' }).pipe(yearSchema),
    ruleSetId: idParamSchema.optional(),
    kind: kindSchema.default('regular'),
    lastEvaluationYear: z.coerce.number({ error: '须为年份 (year)' }).pipe(yearSchema).optional(),
  })
  .strict();
export type RegionEvaluationQuery = z.infer<typeof regionEvaluationQuerySchema>;

// ---- Responses (for the OpenAPI document; the values come from the repository and the domain) ----

export const ruleSetSummarySchema = z.object({
  id: z.number(),
  regionCode: z.string(),
  name: z.string(),
  version: z.number(),
  validFrom: z.string().describe('YYYY-MM-DD'),
  validTo: z.string().nullable().describe('YYYY-MM-DD，空 = 长期有效'),
  startCombine: z.enum(['any', 'all']),
  isPreset: z.boolean(),
  ruleCount: z.number(),
  createdBy: z.string().nullable(),
  createdAt: z.string().describe('ISO 8601'),
});
export type RuleSetSummary = z.infer<typeof ruleSetSummarySchema>;

export const ruleSetDetailSchema = ruleSetSummarySchema.extend({
  definition: ruleSetSchema.describe('规则集 JSON（已校验，含默认值） (the validated rule set)'),
});
export interface RuleSetDetail extends RuleSetSummary {
  /** The stored, validated rule set JSON (version = the stored version). */
  definition: unknown;
}

const missingRefSchema = z.object({ indicator: z.string(), period: z.string() });
const evidenceInputSchema = z.object({
  indicator: z.string(),
  nameZh: z.string(),
  period: z.string(),
  value: z.number(),
  unit: z.string(),
  source: z.string(),
  releaseType: z.enum(RELEASE_TYPES),
  isGenerated: z.boolean(),
  otherReleases: z.array(z.object({ releaseType: z.enum(RELEASE_TYPES), value: z.number(), source: z.string() })),
});
const evidenceSchema = z.object({
  ruleId: z.string(),
  role: z.enum(RULE_ROLES),
  label: z.string(),
  expressionText: z.string(),
  inputs: z.array(evidenceInputSchema),
  value: z.number().nullable(),
  unit: z.string(),
  comparison: z.enum(COMPARISONS),
  threshold: z.number(),
  outcome: z.enum(['met', 'not_met', 'insufficient_data']),
  sentenceZh: z.string().describe('简报用语句 (sentence for the briefing)'),
  missing: z.array(missingRefSchema),
  notes: z.array(z.string()),
});
export const triggerResultSchema = z.object({
  status: z.enum(['triggered', 'blocked', 'not_started', 'insufficient_data']),
  summaryZh: z.string(),
  startMet: z.boolean().nullable(),
  blockedBy: z.array(z.string()).describe('阻止上调的约束条件编号'),
  constraintsMet: z.array(z.string()),
  missing: z.array(missingRefSchema).describe('缺少的指标与期间'),
  rules: z.array(evidenceSchema),
  due: z.boolean(),
  warnings: z.array(z.string()),
  regionCode: z.string(),
  year: z.number(),
  kind: z.enum(['regular', 'special']),
  ruleSet: z.object({ name: z.string(), regionCode: z.string(), version: z.number() }),
});

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type AssertTrue<T extends true> = T;
/** Compile-time check that the documented result is the domain's TriggerResult. */
export type TriggerResultDocumented = AssertTrue<Same<z.infer<typeof triggerResultSchema>, TriggerResult>>;

/** The OpenAPI schema of a request body holding a rule set at `at` (property path): `version` is optional there. */
export function ruleSetBodyDoc(schema: z.ZodType, at: readonly string[] = []): Record<string, unknown> {
  const doc = docSchema(schema, 'input');
  let node: Record<string, unknown> | undefined = doc;
  for (const key of at) node = (node?.properties as Record<string, Record<string, unknown>> | undefined)?.[key];
  if (node && Array.isArray(node.required)) node.required = node.required.filter((k) => k !== 'version');
  return doc;
}

/** How deep the recursive expression schema is spelled out in the OpenAPI document. */
const DOC_EXPRESSION_DEPTH = 2;

/**
 * The JSON Schema of a zod schema for the OpenAPI document, `io` 'input' for request bodies. Recursive parts
 * (expressions inside expressions) come out of zod as local `$defs` references, which do not resolve inside the
 * OpenAPI document; they are inlined to a fixed depth and left as a plain object below it.
 */
export function docSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): Record<string, unknown> {
  const s = z.toJSONSchema(schema, { unrepresentable: 'any', io }) as Record<string, unknown>;
  const defs = (s.$defs ?? {}) as Record<string, unknown>;
  delete s.$schema;
  delete s.$defs;
  const inline = (node: unknown, depth: number): unknown => {
    if (Array.isArray(node)) return node.map((n) => inline(n, depth));
    if (node === null || typeof node !== 'object') return node;
    const o = node as Record<string, unknown>;
    if (typeof o.$ref === 'string' && o.$ref.startsWith('#/$defs/')) {
      const { $ref, ...rest } = o;
      const target = defs[$ref.slice('#/$defs/'.length)];
      if (target === undefined || depth >= DOC_EXPRESSION_DEPTH) {
        return { ...rest, type: 'object', description: '表达式（嵌套，结构同上层表达式） (nested expression, same shape)' };
      }
      return { ...(inline(target, depth + 1) as Record<string, unknown>), ...rest };
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, inline(v, depth)]));
  };
  return inline(s, 0) as Record<string, unknown>;
}

/** One rule set evaluated for many regions: every region's whole result (every rule's evidence), and the counts. */
export interface RegionsEvaluation {
  year: number;
  kind: AdjustmentKind;
  ruleSet: { id: number | null; name: string; regionCode: string; version: number };
  counts: { triggered: number; blocked: number; notStarted: number; insufficientData: number };
  results: { regionCode: string; regionName: string; result: TriggerResult }[];
}
