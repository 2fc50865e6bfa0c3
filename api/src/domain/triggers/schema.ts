/**
 * Trigger rule sets (触发机制): the JSON schema shared by stored rule sets, presets and ad-hoc rule sets sent in a
 * request, and the indicator values an evaluation reads.
 *
 * Periods of an expression are counted back from the evaluation year: `offset` 1 (the default) is last year. An
 * expression without its own `offset` takes the offset of the expression that contains it, and a top-level expression
 * the rule's `periodOffset` (default 1). Inside a `run`, the inner expression is evaluated as of each of the run's
 * years in turn (see evaluate.ts).
 */
import { z } from 'zod';
import { growthSource, indicatorDef, isKnownIndicator } from './catalogue';

export const COMPARISONS = ['<', '<=', '>', '>=', '=', '!='] as const;
export type Comparison = (typeof COMPARISONS)[number];

export const RULE_ROLES = ['start', 'constraint', 'reminder'] as const;
export type RuleRole = (typeof RULE_ROLES)[number];

export const RELEASE_TYPES = ['express', 'final', 'yearbook', 'estimate', 'other'] as const;
export type ReleaseType = (typeof RELEASE_TYPES)[number];

/** Which release of a value wins when several exist for the same region, indicator and period: 公报 first. */
export const DEFAULT_RELEASE_PREFERENCE: readonly ReleaseType[] = ['final', 'express', 'yearbook', 'estimate'];

/** Years back from the evaluation year; also bounds run lengths and cumulative growth. */
export const MAX_YEARS_BACK = 10;
/** Nesting depth of expressions (difference of runs of …), to keep ad-hoc rule sets readable and cheap. */
export const MAX_EXPRESSION_DEPTH = 6;

export type Expression =
  /** The indicator's value for the period. */
  | { type: 'value'; indicator: string; offset?: number }
  /**
   * Growth in percent over `years` (default 1) years ending at the period: the published growth rate (compounded
   * when years > 1), else computed from the level series as (v_t / v_{t−years} − 1) × 100.
   */
  | { type: 'growth'; indicator: string; years?: number; offset?: number }
  /** numerator ÷ denominator × 100, in percent. */
  | { type: 'share'; numerator: string; denominator: string; offset?: number }
  /** 累计结余可支付月数 = fund_accumulated_balance ÷ (fund_expenditure ÷ 12). */
  | { type: 'reserveMonths'; offset?: number }
  /** A 0/1 event indicator (1 = happened). */
  | { type: 'flag'; indicator: string; offset?: number }
  /** Sum of several expressions (e.g. the combined share of drug, consumable, exam and lab revenue). */
  | { type: 'sum'; terms: Expression[]; offset?: number }
  /** left − right, compared with the rule's threshold (医疗收入增长率 − GDP增长率 < 0). */
  | { type: 'difference'; left: Expression; right: Expression; offset?: number }
  /**
   * 1 when `of` ⟨comparison⟩ threshold held in each of `years` consecutive years ending at the period, else 0.
   * `of` is evaluated as of each of those years in turn (offsets inside `of` count back from that year).
   */
  | { type: 'run'; of: Expression; comparison: Comparison; threshold: number; years: number; offset?: number };

export type ExpressionType = Expression['type'];

const msg = {
  indicator: '未知指标代码 (unknown indicator code)',
  finite: '须为有限数值 (must be a finite number)',
  offset: `须为 0–${MAX_YEARS_BACK} 的整数 (integer years back, 0–${MAX_YEARS_BACK})`,
  years: `须为 1–${MAX_YEARS_BACK} 的整数 (integer number of years, 1–${MAX_YEARS_BACK})`,
};

/** Unknown fields are errors (a typo such as "treshold" must not silently drop a threshold). */
const strict = {
  error: (iss: { code?: string; keys?: string[] }) =>
    iss.code === 'unrecognized_keys' ? `未知字段 (unknown field): ${(iss.keys ?? []).join(', ')}` : undefined,
};

const indicatorCode = z
  .string({ error: '须为指标代码字符串 (indicator code string)' })
  .max(64, { error: '指标代码最多 64 个字符 (at most 64 characters)' })
  .refine(isKnownIndicator, { error: (iss) => `${msg.indicator}: ${String(iss.input)}` });
const offset = z.number({ error: msg.offset }).int({ error: msg.offset }).min(0, { error: msg.offset }).max(MAX_YEARS_BACK, { error: msg.offset });
const years = z.number({ error: msg.years }).int({ error: msg.years }).min(1, { error: msg.years }).max(MAX_YEARS_BACK, { error: msg.years });
const finite = z.number({ error: msg.finite }).refine(Number.isFinite, { error: msg.finite });
export const comparisonSchema = z.enum(COMPARISONS, { error: `比较符须为 ${COMPARISONS.join(' ')} 之一 (comparison)` });

export const expressionSchema: z.ZodType<Expression> = z.lazy(() =>
  z.discriminatedUnion(
    'type',
    [
      z.strictObject({ type: z.literal('value'), indicator: indicatorCode, offset: offset.optional() }, strict),
      z.strictObject({
        type: z.literal('growth'),
        indicator: indicatorCode.refine((c) => growthSource(c) !== null, {
          error: (iss) => `该指标不能计算增长率 (growth is not defined for this indicator): ${String(iss.input)}`,
        }),
        years: years.optional(),
        offset: offset.optional(),
      }, strict),
      z.strictObject({ type: z.literal('share'), numerator: indicatorCode, denominator: indicatorCode, offset: offset.optional() }, strict),
      z.strictObject({ type: z.literal('reserveMonths'), offset: offset.optional() }, strict),
      z.strictObject({
        type: z.literal('flag'),
        indicator: indicatorCode.refine((c) => indicatorDef(c)?.kind === 'flag', {
          error: (iss) => `须为是/否类指标 (must be a flag indicator): ${String(iss.input)}`,
        }),
        offset: offset.optional(),
      }, strict),
      z.strictObject({
        type: z.literal('sum'),
        terms: z.array(expressionSchema).min(1, { error: '至少一项 (at least one term)' }).max(50, { error: '最多 50 项 (at most 50 terms)' }),
        offset: offset.optional(),
      }, strict),
      z.strictObject({ type: z.literal('difference'), left: expressionSchema, right: expressionSchema, offset: offset.optional() }, strict),
      z.strictObject({
        type: z.literal('run'),
        of: expressionSchema,
        comparison: comparisonSchema,
        threshold: finite,
        years,
        offset: offset.optional(),
      }, strict),
    ],
    { error: '表达式类型须为 value/growth/share/reserveMonths/flag/sum/difference/run 之一 (expression type)' },
  ),
);

export const ruleSchema = z.strictObject({
  id: z.string().trim().min(1, { error: '不能为空 (must not be empty)' }).max(64).optional(),
  role: z.enum(RULE_ROLES, { error: '角色须为 start/constraint/reminder 之一 (role)' }),
  label: z.string({ error: '须为中文说明 (label)' }).max(500, { error: '最多 500 个字符 (at most 500 characters)' }).trim().min(1, { error: '不能为空 (label must not be empty)' }),
  expression: expressionSchema,
  comparison: comparisonSchema,
  threshold: finite,
  periodOffset: offset.optional(),
}, strict);
export type Rule = z.infer<typeof ruleSchema>;

const isoDate = z.iso.date({ error: '须为 YYYY-MM-DD 日期 (ISO date)' });

export const ruleSetSchema = z
  .strictObject({
    name: z.string({ error: '须为名称 (name)' }).max(200, { error: '最多 200 个字符 (at most 200 characters)' }).trim().min(1, { error: '不能为空 (name must not be empty)' }),
    regionCode: z.string().regex(/^[0-9]{6}$/, { error: '须为 6 位行政区划代码 (six-digit GB/T 2260 code; 000000 = 全国)' }),
    version: z.number().int({ error: '须为正整数 (positive integer)' }).min(1, { error: '须为正整数 (positive integer)' }),
    validFrom: isoDate,
    validTo: isoDate.optional(),
    startCombine: z.enum(['any', 'all'], { error: '须为 any 或 all (startCombine)' }),
    /** Release order used when several releases of a value exist for one period; unlisted releases come after. */
    releasePreference: z
      .array(z.enum(RELEASE_TYPES, { error: `须为 ${RELEASE_TYPES.join('/')} 之一 (release type)` }))
      .min(1)
      .default([...DEFAULT_RELEASE_PREFERENCE]),
    /**
     * 'annual' (default): only annual periods ('2024') are read; monthly/quarterly values never stand in for a year.
     * 'annualOrYearEnd': when a year has no annual value, its December ('2024-12') or Q4 ('2024Q4') value is used,
     * and the evidence says so.
     */
    periodPolicy: z.enum(['annual', 'annualOrYearEnd']).default('annual'),
    /** Evaluate every n years (通用型 indexation: 2). Checked against the input's lastEvaluationYear when given. */
    evaluationIntervalYears: z.number().int().min(1).max(MAX_YEARS_BACK).default(1),
    rules: z.array(ruleSchema).min(1, { error: '至少一条规则 (at least one rule)' }).max(200, { error: '最多 200 条规则 (at most 200 rules)' }),
  }, strict)
  .superRefine((rs, ctx) => {
    if (rs.validTo !== undefined && rs.validTo <= rs.validFrom) {
      ctx.addIssue({ code: 'custom', path: ['validTo'], message: '须晚于 validFrom (must be after validFrom)' });
    }
    if (!rs.rules.some((r) => r.role === 'start')) {
      ctx.addIssue({ code: 'custom', path: ['rules'], message: '至少需要一条启动条件 (at least one start rule)' });
    }
    const seen = new Map<string, number>();
    rs.rules.forEach((r, i) => {
      const id = ruleId(r, i);
      const first = seen.get(id);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `规则编号重复 (duplicate rule id "${id}", also rules.${first})` });
      } else seen.set(id, i);
      const depth = expressionDepth(r.expression);
      if (depth > MAX_EXPRESSION_DEPTH) {
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'expression'], message: `表达式嵌套过深 (nesting depth ${depth} > ${MAX_EXPRESSION_DEPTH})` });
      }
    });
    const dup = rs.releasePreference.find((t, i) => rs.releasePreference.indexOf(t) !== i);
    if (dup) ctx.addIssue({ code: 'custom', path: ['releasePreference'], message: `发布类型重复 (duplicate release type ${dup})` });
  });

/** A validated rule set (defaults applied). */
export type RuleSet = z.output<typeof ruleSetSchema>;
/** A rule set as written in JSON (defaults optional). */
export type RuleSetInput = z.input<typeof ruleSetSchema>;

/** The id a rule is reported under: its own, else its 1-based position ("#3"). */
export function ruleId(rule: Pick<Rule, 'id'>, index: number): string {
  return rule.id ?? `#${index + 1}`;
}

export function expressionDepth(e: Expression): number {
  switch (e.type) {
    case 'sum':
      return 1 + Math.max(...e.terms.map(expressionDepth));
    case 'difference':
      return 1 + Math.max(expressionDepth(e.left), expressionDepth(e.right));
    case 'run':
      return 1 + expressionDepth(e.of);
    default:
      return 1;
  }
}

/** One validation problem, with the dotted path of the field ("rules.2.expression.left.indicator"). */
export interface FieldIssue {
  path: string;
  message: string;
}

export function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
}

/** "path: message; path: message" — for logs and error details. */
export function formatIssues(issues: readonly FieldIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

/** Validates a rule set given as JSON (stored definition, preset or request body). */
export function parseRuleSet(json: unknown): ParseResult<RuleSet> {
  const r = ruleSetSchema.safeParse(json);
  return r.success ? { ok: true, value: r.data } : { ok: false, issues: issuesOf(r.error) };
}

// ---- Indicator values and the evaluation input ----

/** '2024', '2024-03' or '2024Q1' (same rule as the indicator_value table). */
export const PERIOD_PATTERN = /^[0-9]{4}((-(0[1-9]|1[0-2]))|(Q[1-4]))?$/;

export const indicatorValueSchema = z.strictObject({
  regionCode: z.string().regex(/^[0-9]{6}$/, { error: '须为 6 位行政区划代码 (six-digit region code)' }),
  indicator: z.string().min(1).max(64),
  period: z.string().regex(PERIOD_PATTERN, { error: "期间须为 '2024'、'2024-03' 或 '2024Q1' (period)" }),
  value: finite,
  unit: z.string().max(40),
  source: z.string().min(1, { error: '须注明来源 (source is required)' }).max(1000),
  releaseType: z.enum(RELEASE_TYPES, { error: `须为 ${RELEASE_TYPES.join('/')} 之一 (release type)` }),
  isGenerated: z.boolean(),
}, strict);
export type IndicatorValue = z.infer<typeof indicatorValueSchema>;

export const evaluationInputSchema = z.strictObject({
  regionCode: z.string().regex(/^[0-9]{6}$/, { error: '须为 6 位行政区划代码 (six-digit region code)' }),
  /** The year the evaluation is made in; offset 1 reads this year − 1. */
  year: z.number().int().min(1990).max(2100),
  kind: z.enum(['regular', 'special'], { error: '须为 regular 或 special (kind)' }),
  values: z.array(indicatorValueSchema),
  /** Year of the previous evaluation of this rule set, to check evaluationIntervalYears. */
  lastEvaluationYear: z.number().int().min(1990).max(2100).optional(),
}, strict);
export type EvaluationInput = z.infer<typeof evaluationInputSchema>;
export type AdjustmentKind = EvaluationInput['kind'];
