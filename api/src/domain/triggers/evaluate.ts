/**
 * Trigger evaluation (触发机制): does a price adjustment round start this year?
 *
 * Inputs are a validated rule set and the indicator values of a region; the year comes in as input (no clock).
 * Every rule yields evidence (inputs with source and release, value, threshold, outcome, one Chinese sentence for the
 * briefing). Missing data is never a pass: a rule without its data is `insufficient_data` and names what is missing.
 *
 * Periods. Only annual periods ('2024') are read. Monthly and quarterly values ('2024-10', '2024Q3') never stand in
 * for a year under the default periodPolicy 'annual' — a part-year figure (1–10月累计, one month's CPI) is not an
 * annual one — and the evidence notes that they exist. With periodPolicy 'annualOrYearEnd' a year without an annual
 * value falls back to its December, then Q4 value, and the evidence says so.
 *
 * Releases. When several releases of a value exist for one period (快报 and 公报 of the fund bulletin), the rule
 * set's releasePreference decides (default 公报, 快报, 统计年鉴, 测算; unlisted releases after the listed ones); the
 * evidence names the release used and lists the others. Remaining ties (same release twice) are broken by real data
 * before generated data, then source, then value, so the result never depends on the order of the input.
 *
 * Units. A value whose unit differs from the catalogue unit is converted when the units are of one family
 * (元/万元/亿元, 人/万人) and otherwise not used (noted in the evidence).
 *
 * Status decision table (S = start combination, computed from the start rules' outcomes:
 *   any: met if one start rule is met, not_met if all are not met, else unknown;
 *   all: not_met if one start rule is not met, met if all are met, else unknown):
 *
 *   regular adjustment (kind 'regular'):
 *   | S        | a constraint met | a constraint lacks data | status            |
 *   |----------|------------------|-------------------------|-------------------|
 *   | any      | yes              | any                     | blocked           |
 *   | not_met  | no               | any                     | not_started       |
 *   | unknown  | no               | any                     | insufficient_data |
 *   | met      | no               | yes                     | insufficient_data |
 *   | met      | no               | no                      | triggered         |
 *   A met constraint decides the result on its own (upward adjustment is not allowed whatever the start rules say;
 *   startMet still reports them), and a failed start decides it when no constraint is met.
 *
 *   special adjustment (kind 'special', 专项调整): constraints are evaluated and reported but never block, and their
 *   missing data does not matter: S met → triggered, not_met → not_started, unknown → insufficient_data.
 *
 *   Reminders are evaluated and reported and never change the status.
 *
 *   Evaluation cycle: when the rule set is evaluated every n > 1 years (evaluationIntervalYears) and the input gives
 *   lastEvaluationYear with lastEvaluationYear < year < lastEvaluationYear + n, the status is not_started (not an
 *   evaluation year); the rules are still evaluated and reported.
 *
 * `missing` lists every gap of every rule whose outcome is insufficient_data (in rule order, without duplicates), also
 * when the status was decided without them; the summary names the gaps that kept the status open.
 */
import { growthName, growthSource, indicatorName, indicatorUnit, unitFactor } from './catalogue';
import type { Ev, Evidence, EvidenceInput, MissingRef, RuleOutcome, StartCombination, TriggerResult, TriggerStatus } from './evidence';
import { sentenceOf, unique } from './sentences';
import {
  clean,
  compare,
  COMPARISON_ZH,
  type DisplayUnit,
  formatThreshold,
  formatValue,
  RELEASE_ZH,
  yearSpan,
} from './format';
import {
  type AdjustmentKind,
  type EvaluationInput,
  type Expression,
  type IndicatorValue,
  PERIOD_PATTERN,
  RELEASE_TYPES,
  type ReleaseType,
  type Rule,
  ruleId,
  type RuleRole,
  type RuleSet,
} from './schema';

/** Region code of rule sets that apply everywhere (presets). */
export const NATIONWIDE_REGION_CODE = '000000';

export type * from './evidence';

// ---------------------------------------------------------------------------------------------------------------
// Value lookup

interface Candidate {
  value: number;
  raw: IndicatorValue;
}

interface Lookup {
  input: EvidenceInput | null;
  notes: string[];
}

class ValueBook {
  private readonly usable = new Map<string, Candidate[]>();
  private readonly unusable = new Map<string, IndicatorValue[]>();
  private readonly subAnnual = new Map<string, string[]>();
  /** Every (indicator, period) looked up, to derive the data a rule set needs. */
  readonly lookedUp: MissingRef[] = [];

  constructor(
    values: readonly IndicatorValue[],
    regionCode: string,
    private readonly preference: readonly ReleaseType[],
    private readonly periodPolicy: RuleSet['periodPolicy'],
  ) {
    for (const v of values) {
      if (v.regionCode !== regionCode || !Number.isFinite(v.value) || !PERIOD_PATTERN.test(v.period)) continue;
      const key = `${v.indicator}|${v.period}`;
      const factor = unitFactor(v.unit, indicatorUnit(v.indicator));
      if (factor === null) {
        push(this.unusable, key, v);
        continue;
      }
      push(this.usable, key, { value: clean(v.value * factor), raw: v });
      if (v.period.length > 4) push(this.subAnnual, `${v.indicator}|${v.period.slice(0, 4)}`, v.period);
    }
  }

  private rank(t: ReleaseType): number {
    const i = this.preference.indexOf(t);
    return i >= 0 ? i : this.preference.length + RELEASE_TYPES.indexOf(t);
  }

  private sorted(cands: readonly Candidate[]): Candidate[] {
    return [...cands].sort(
      (a, b) =>
        this.rank(a.raw.releaseType) - this.rank(b.raw.releaseType) ||
        Number(a.raw.isGenerated) - Number(b.raw.isGenerated) ||
        cmpStr(a.raw.source, b.raw.source) ||
        a.value - b.value,
    );
  }

  /** The value of an indicator for a year, by the rule set's release preference and period policy. */
  annual(indicator: string, year: number): Lookup {
    this.lookedUp.push({ indicator, period: String(year) });
    const name = indicatorName(indicator);
    const unit = indicatorUnit(indicator);
    const notes: string[] = [];
    let period = String(year);
    let cands = this.usable.get(`${indicator}|${period}`) ?? [];
    const bad = this.unusable.get(`${indicator}|${period}`) ?? [];
    if (bad.length) {
      const units = [...new Set(bad.map((b) => b.unit || '（空）'))].sort(cmpStr).join('、');
      notes.push(`${year}年${name}有${bad.length}条数据的单位（${units}）无法换算为${unit}，未采用`);
    }
    if (!cands.length) {
      const partial = [...new Set(this.subAnnual.get(`${indicator}|${year}`) ?? [])].sort(cmpStr);
      const yearEnd = this.periodPolicy === 'annualOrYearEnd' ? [`${year}-12`, `${year}Q4`].find((p) => this.usable.has(`${indicator}|${p}`)) : undefined;
      if (yearEnd) {
        period = yearEnd;
        cands = this.usable.get(`${indicator}|${period}`) ?? [];
        notes.push(`${year}年${name}无年度数据，按规则集设置采用${period}期数据代替`);
      } else if (partial.length) {
        notes.push(`${year}年${name}无年度数据；另有${partial.join('、')}期的月度或季度数据，不作为年度值使用`);
      }
    }
    if (!cands.length) return { input: null, notes };
    const [best, ...rest] = this.sorted(cands) as [Candidate, ...Candidate[]];
    const others = rest.filter((c) => c.raw.releaseType !== best.raw.releaseType || c.value !== best.value || c.raw.source !== best.raw.source);
    if (others.length) {
      const list = others.map((o) => `${RELEASE_ZH[o.raw.releaseType]}${formatValue(o.value, unit)}`).join('、');
      notes.push(`${period}期${name}有多个数据：采用${RELEASE_ZH[best.raw.releaseType]}${formatValue(best.value, unit)}（另有${list}）`);
    }
    return {
      input: {
        indicator,
        nameZh: name,
        period,
        value: best.value,
        unit,
        source: best.raw.source,
        releaseType: best.raw.releaseType,
        isGenerated: best.raw.isGenerated,
        otherReleases: others.map((o) => ({ releaseType: o.raw.releaseType, value: o.value, source: o.raw.source })),
      },
      notes,
    };
  }
}

function push<T>(m: Map<string, T[]>, key: string, v: T): void {
  const a = m.get(key);
  if (a) a.push(v);
  else m.set(key, [v]);
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Expressions

interface Ctx {
  /** The year periods are counted back from (the evaluation year; earlier inside a run). */
  asOf: number;
  /** Offset for expressions that set none. */
  defaultOffset: number;
}

function blank(unit: DisplayUnit, text: string, name: string): Ev {
  return { value: null, unit, text, name, inputs: [], missing: [], missingZh: [], notes: [], method: [] };
}

function merge(target: Ev, ...sources: Ev[]): void {
  for (const s of sources) {
    target.inputs.push(...s.inputs);
    target.notes.push(...s.notes);
    target.method.push(...s.method);
  }
}

function gapsOf(target: Ev, ...sources: Ev[]): void {
  for (const s of sources) {
    target.missing.push(...s.missing);
    target.missingZh.push(...s.missingZh);
  }
}

function yearOf(e: { offset?: number }, ctx: Ctx): number {
  return ctx.asOf - (e.offset ?? ctx.defaultOffset);
}

function evalExpr(e: Expression, ctx: Ctx, book: ValueBook): Ev {
  switch (e.type) {
    case 'value':
    case 'flag': {
      const year = yearOf(e, ctx);
      const name = indicatorName(e.indicator);
      const ev = blank(indicatorUnit(e.indicator), `${year}年 ${name}`, name);
      read(ev, book, e.indicator, year);
      if (ev.missing.length === 0) ev.value = ev.inputs[0]?.value ?? null;
      return ev;
    }
    case 'growth':
      return evalGrowth(e.indicator, e.years ?? 1, yearOf(e, ctx), book);
    case 'share': {
      const year = yearOf(e, ctx);
      const name = `${indicatorName(e.numerator)}占${indicatorName(e.denominator)}的比例`;
      const ev = blank('%', `${year}年 ${name}`, name);
      const num = read(ev, book, e.numerator, year);
      const den = read(ev, book, e.denominator, year);
      if (num !== null && den !== null) {
        if (den === 0) {
          ev.notes.push(`${year}年${indicatorName(e.denominator)}为0，无法计算比例`);
          ev.missing.push({ indicator: e.denominator, period: String(year) });
          ev.missingZh.push(`${year}年${indicatorName(e.denominator)}（不能为0）`);
        } else ev.value = clean((num / den) * 100);
      }
      return ev;
    }
    case 'reserveMonths':
      return evalReserveMonths(yearOf(e, ctx), book);
    case 'sum': {
      const child: Ctx = { asOf: ctx.asOf, defaultOffset: e.offset ?? ctx.defaultOffset };
      const terms = e.terms.map((t) => evalExpr(t, child, book));
      const units = new Set(terms.map((t) => t.unit));
      const unit = units.size === 1 ? (terms[0] as Ev).unit : '';
      const name = `${terms.map((t) => t.name).join('、')}合计`;
      const years = new Set(e.terms.map((t) => (t.type === 'value' ? yearOf(t, child) : NaN)));
      const text =
        years.size === 1 && !years.has(NaN) ? `${[...years][0]}年 ${name}` : `(${terms.map((t) => t.text).join(' + ')})`;
      const ev = blank(unit, text, name);
      merge(ev, ...terms);
      gapsOf(ev, ...terms);
      if (terms.every((t) => t.value !== null)) ev.value = clean(terms.reduce((s, t) => s + (t.value as number), 0));
      return ev;
    }
    case 'difference': {
      const child: Ctx = { asOf: ctx.asOf, defaultOffset: e.offset ?? ctx.defaultOffset };
      const l = evalExpr(e.left, child, book);
      const r = evalExpr(e.right, child, book);
      const unit = l.unit === '%' && r.unit === '%' ? 'pp' : l.unit === r.unit ? l.unit : '';
      const wrap = (x: Ev, t: string) => (x.parts ? `(${t})` : t);
      const ev = blank(unit, `${wrap(l, l.text)} − ${wrap(r, r.text)}`, `${wrap(l, l.name)} − ${wrap(r, r.name)}`);
      merge(ev, l, r);
      gapsOf(ev, l, r);
      ev.parts = [l, r];
      if (l.value !== null && r.value !== null) ev.value = clean(l.value - r.value);
      return ev;
    }
    case 'run':
      return evalRun(e, ctx, book);
  }
}

/** Reads one value into ev (input or gap); returns the value or null. */
function read(ev: Ev, book: ValueBook, indicator: string, year: number): number | null {
  const l = book.annual(indicator, year);
  ev.notes.push(...l.notes);
  if (l.input) {
    ev.inputs.push(l.input);
    if (l.input.period !== String(year)) ev.method.push(`${year}年${l.input.nameZh}采用${l.input.period}期数据`);
    return l.input.value;
  }
  ev.missing.push({ indicator, period: String(year) });
  ev.missingZh.push(`${year}年${indicatorName(indicator)}`);
  return null;
}

function evalGrowth(indicator: string, n: number, year: number, book: ValueBook): Ev {
  const src = growthSource(indicator) ?? { published: null, level: indicator };
  const oneYear = growthName(indicator);
  const name = n === 1 ? oneYear : `${oneYear}（${n}年累计）`;
  const ev = blank('%', `${yearSpan(year - n + 1, year)} ${name}`, name);
  const pubYears = Array.from({ length: n }, (_, i) => year - n + 1 + i);

  // 1. The published growth rate (compounded over n years).
  let got: { y: number; l: Lookup }[] = [];
  if (src.published) {
    const published = src.published;
    got = pubYears.map((y) => ({ y, l: book.annual(published, y) }));
    if (got.every((g) => g.l.input)) {
      for (const g of got) {
        ev.inputs.push(g.l.input as EvidenceInput);
        ev.notes.push(...g.l.notes);
      }
      const rates = got.map((g) => (g.l.input as EvidenceInput).value);
      ev.value = clean(n === 1 ? (rates[0] as number) : (rates.reduce((p, g) => p * (1 + g / 100), 1) - 1) * 100);
      if (n > 1) {
        ev.method.push(`按${yearSpan(year - n + 1, year)}各年${indicatorName(published)}复合计算`);
        ev.notes.push(`${n}年累计增长率 = ∏(1 + 各年${indicatorName(published)}) − 1`);
      }
      return ev;
    }
    for (const g of got) ev.notes.push(...g.l.notes);
    if (!src.level) {
      // Published only: the gaps are the missing years of the rate, with what was found kept as evidence.
      for (const g of got) {
        if (g.l.input) ev.inputs.push(g.l.input);
        else {
          ev.missing.push({ indicator: published, period: String(g.y) });
          ev.missingZh.push(`${g.y}年${indicatorName(published)}`);
        }
      }
      return ev;
    }
  }

  // 2. Computed from the level series: (v_t / v_{t−n} − 1) × 100.
  const level = src.level as string;
  const levelName = indicatorName(level);
  const base = book.annual(level, year - n);
  const cur = book.annual(level, year);
  ev.notes.push(...base.notes, ...cur.notes);
  if (base.input && cur.input && base.input.value !== 0) {
    ev.inputs.push(base.input, cur.input);
    ev.value = clean((cur.input.value / base.input.value - 1) * 100);
    const how = `由${year - n}年、${year}年${levelName}计算`;
    ev.method.push(how);
    ev.notes.push(src.published ? `未见公布的${indicatorName(src.published)}，增长率${how}` : `增长率${how}`);
    return ev;
  }
  for (const g of got) if (g.l.input) ev.inputs.push(g.l.input);
  for (const l of [base, cur]) if (l.input) ev.inputs.push(l.input);
  if (src.published) {
    const published = src.published;
    const absent = got.filter((g) => !g.l.input).map((g) => g.y);
    for (const y of absent) ev.missing.push({ indicator: published, period: String(y) });
    ev.missingZh.push(`${yearSpan(absent[0] ?? year, absent[absent.length - 1] ?? year)}${indicatorName(published)}（或${year - n}年、${year}年${levelName}）`);
  } else {
    for (const [y, l] of [[year - n, base], [year, cur]] as const) {
      if (!l.input) {
        ev.missing.push({ indicator: level, period: String(y) });
        ev.missingZh.push(`${y}年${levelName}`);
      }
    }
    if (base.input && cur.input) {
      ev.notes.push(`${year - n}年${levelName}为0，无法计算增长率`);
      ev.missing.push({ indicator: level, period: String(year - n) });
      ev.missingZh.push(`${year - n}年${levelName}（不能为0）`);
    }
  }
  return ev;
}

function evalReserveMonths(year: number, book: ValueBook): Ev {
  const name = `医保基金${indicatorName('fund_reserve_months')}`;
  const ev = blank('月', `${year}年 ${name}`, name);
  const balance = book.annual('fund_accumulated_balance', year);
  const spending = book.annual('fund_expenditure', year);
  ev.notes.push(...balance.notes, ...spending.notes);
  if (balance.input && spending.input && spending.input.value > 0) {
    ev.inputs.push(balance.input, spending.input);
    ev.value = clean(balance.input.value / (spending.input.value / 12));
    const b = formatValue(balance.input.value, balance.input.unit);
    const s = formatValue(spending.input.value, spending.input.unit);
    ev.method.push(`由累计结余${b}与基金支出${s}计算`);
    ev.notes.push(`可支付月数 = 累计结余 ÷ (基金支出 ÷ 12) = ${b} ÷ (${s} ÷ 12)`);
    return ev;
  }
  // Components missing: a published months figure, if any, is used instead.
  const published = book.annual('fund_reserve_months', year);
  ev.notes.push(...published.notes);
  if (published.input) {
    ev.inputs.push(published.input);
    ev.value = published.input.value;
    ev.method.push('采用公布的可支付月数');
    ev.notes.push(`缺少计算所需的累计结余或基金支出，采用公布的${indicatorName('fund_reserve_months')}`);
    return ev;
  }
  for (const [code, l] of [['fund_accumulated_balance', balance], ['fund_expenditure', spending]] as const) {
    if (l.input) ev.inputs.push(l.input);
    else {
      ev.missing.push({ indicator: code, period: String(year) });
      ev.missingZh.push(`${year}年${indicatorName(code)}`);
    }
  }
  if (spending.input && spending.input.value <= 0) {
    ev.notes.push(`${year}年${indicatorName('fund_expenditure')}不大于0，无法计算可支付月数`);
    ev.missing.push({ indicator: 'fund_expenditure', period: String(year) });
    ev.missingZh.push(`${year}年${indicatorName('fund_expenditure')}（须大于0）`);
  }
  return ev;
}

/**
 * A run ending at offset o (its own, else inherited) over n years evaluates `of` n times: for k = n−1 … 0 as of the
 * year asOf − k, with o as the default offset of `of`. With the defaults (o = 1) in 2025 and n = 2 that reads 2023
 * and 2024. It holds (1) when the comparison held every year, fails (0) as soon as one known year fails — a missing
 * year does not matter then — and is open (null) when no known year failed and some year lacks data.
 */
function evalRun(e: Extract<Expression, { type: 'run' }>, ctx: Ctx, book: ValueBook): Ev {
  const o = e.offset ?? ctx.defaultOffset;
  const end = ctx.asOf - o;
  const inner: { year: number; ev: Ev; held: boolean | null }[] = [];
  for (let k = e.years - 1; k >= 0; k--) {
    const ev = evalExpr(e.of, { asOf: ctx.asOf - k, defaultOffset: o }, book);
    inner.push({ year: end - k, ev, held: ev.value === null ? null : compare(ev.value, e.comparison, e.threshold) });
  }
  const first = (inner[0] as { ev: Ev }).ev;
  const cond = `${COMPARISON_ZH[e.comparison]}${formatThreshold(e.threshold, first.unit)}`;
  const ev = blank('是/否', `${yearSpan(end - e.years + 1, end)} ${first.name}连续${e.years}年${cond}`, `${first.name}连续${e.years}年${cond}`);
  merge(ev, ...inner.map((i) => i.ev));
  const held = inner.some((i) => i.held === false) ? false : inner.every((i) => i.held === true) ? true : null;
  if (held === null) gapsOf(ev, ...inner.filter((i) => i.held === null).map((i) => i.ev));
  else ev.value = held ? 1 : 0;
  ev.run = {
    name: first.name,
    unit: first.unit,
    years: inner.map((i) => ({ year: i.year, value: i.ev.value })),
    held,
    comparison: e.comparison,
    threshold: e.threshold,
    n: e.years,
  };
  return ev;
}

// ---------------------------------------------------------------------------------------------------------------
// Rules

function uniqueRefs(refs: readonly MissingRef[]): MissingRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const k = `${r.indicator}|${r.period}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function uniqueInputs(inputs: readonly EvidenceInput[]): EvidenceInput[] {
  const seen = new Set<string>();
  return inputs.filter((i) => {
    const k = `${i.indicator}|${i.period}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function evaluateRule(rule: Rule, index: number, year: number, kind: AdjustmentKind, book: ValueBook): Evidence {
  const ev = evalExpr(rule.expression, { asOf: year, defaultOffset: rule.periodOffset ?? 1 }, book);
  const outcome: RuleOutcome = ev.value === null ? 'insufficient_data' : compare(ev.value, rule.comparison, rule.threshold) ? 'met' : 'not_met';
  return {
    ruleId: ruleId(rule, index),
    role: rule.role,
    label: rule.label,
    expressionText: ev.text,
    inputs: uniqueInputs(ev.inputs),
    value: ev.value,
    unit: ev.unit,
    comparison: rule.comparison,
    threshold: rule.threshold,
    outcome,
    sentenceZh: sentenceOf(rule, ev, outcome, kind),
    missing: outcome === 'insufficient_data' ? uniqueRefs(ev.missing) : [],
    notes: unique(ev.notes),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Rule set

/** Whether a rule set for `ruleRegion` applies to `region`: 000000 everywhere, a province to its cities, a city to its counties. */
/** The region itself, then its prefecture (for a county) and its province: the regions whose rule sets cover it. */
export function coveringRegions(code: string): string[] {
  const all = [code, `${code.slice(0, 4)}00`, `${code.slice(0, 2)}0000`];
  return [...new Set(all)].filter((c) => c !== NATIONWIDE_REGION_CODE && regionCovers(c, code));
}

export function regionCovers(ruleRegion: string, region: string): boolean {
  if (ruleRegion === region || ruleRegion === NATIONWIDE_REGION_CODE) return true;
  if (ruleRegion.endsWith('0000')) return region.startsWith(ruleRegion.slice(0, 2));
  if (ruleRegion.endsWith('00')) return region.startsWith(ruleRegion.slice(0, 4));
  return false;
}

/** Whether the rule set is in effect at some time of `year` (validFrom and validTo inclusive). */
export function inEffect(ruleSet: Pick<RuleSet, 'validFrom' | 'validTo'>, year: number): boolean {
  return ruleSet.validFrom <= `${year}-12-31` && (ruleSet.validTo === undefined || ruleSet.validTo >= `${year}-01-01`);
}

export function combineStart(outcomes: readonly RuleOutcome[], how: 'any' | 'all'): StartCombination {
  if (how === 'any') {
    if (outcomes.includes('met')) return 'met';
    return outcomes.every((o) => o === 'not_met') ? 'not_met' : 'unknown';
  }
  if (outcomes.includes('not_met')) return 'not_met';
  return outcomes.every((o) => o === 'met') ? 'met' : 'unknown';
}

/**
 * Evaluates a validated rule set for a region and year (see the decision table at the top of this file).
 * Values of other regions are ignored. Pure and deterministic: the same input gives the same result, whatever the
 * order of `values`.
 */
export function evaluateRuleSet(ruleSet: RuleSet, input: EvaluationInput): TriggerResult {
  const { year, kind, regionCode } = input;
  const book = new ValueBook(input.values, regionCode, ruleSet.releasePreference, ruleSet.periodPolicy);
  const rules = ruleSet.rules.map((r, i) => evaluateRule(r, i, year, kind, book));
  const byRole = (role: RuleRole) => rules.filter((r) => r.role === role);
  const starts = byRole('start');
  const constraints = byRole('constraint');

  const start = combineStart(starts.map((r) => r.outcome), ruleSet.startCombine);
  const constraintsMet = constraints.filter((r) => r.outcome === 'met');
  const constraintsOpen = constraints.filter((r) => r.outcome === 'insufficient_data');
  const startsOpen = starts.filter((r) => r.outcome === 'insufficient_data');

  const warnings: string[] = [];
  if (!inEffect(ruleSet, year)) {
    warnings.push(`规则集有效期为${ruleSet.validFrom}至${ruleSet.validTo ?? '今'}，${year}年不在有效期内`);
  }
  if (!regionCovers(ruleSet.regionCode, regionCode)) {
    warnings.push(`规则集适用地区为${ruleSet.regionCode}，评估地区为${regionCode}`);
  }
  const every = ruleSet.evaluationIntervalYears;
  const last = input.lastEvaluationYear;
  let due = true;
  if (every > 1) {
    if (last === undefined) warnings.push(`该规则集每${every}年评估一次；未提供上次评估年度，未核对评估周期`);
    else if (year > last && year - last < every) due = false;
  }

  const prefix = `${year}年评估${kind === 'special' ? '（专项调整）' : ''}：`;
  const labels = (rs: readonly Evidence[]) => rs.map((r) => `“${r.label}”`).join('、');
  const startClause = (): string => {
    const met = starts.filter((r) => r.outcome === 'met');
    if (start === 'met') return `启动条件已满足（${labels(ruleSet.startCombine === 'any' ? met : starts)}）`;
    if (start === 'not_met') {
      const failed = starts.filter((r) => r.outcome === 'not_met');
      return ruleSet.startCombine === 'any' ? '各项启动条件均未满足' : `启动条件未满足（${labels(failed)}未满足）`;
    }
    return '启动条件因数据不足无法判断';
  };
  const gaps = (rs: readonly Evidence[]) => unique(rs.flatMap((r) => r.missing.map((m) => `${m.period}年${indicatorName(m.indicator)}`)));

  let status: TriggerStatus;
  let summaryZh: string;
  let blockedBy: string[] = [];
  if (!due) {
    status = 'not_started';
    summaryZh = `${prefix}该规则集每${every}年评估一次，上次评估为${last}年，${year}年不是评估年度（下次为${(last as number) + every}年），不启动调价。`;
  } else if (kind === 'regular' && constraintsMet.length > 0) {
    status = 'blocked';
    blockedBy = constraintsMet.map((r) => r.ruleId);
    const lead = start === 'met' ? `${startClause()}，但` : `${startClause()}；`;
    summaryZh = `${prefix}${lead}约束条件${labels(constraintsMet)}已满足，本年度不得上调医疗服务价格（约束条件只限制上调）。`;
  } else if (start === 'not_met') {
    status = 'not_started';
    summaryZh = `${prefix}${startClause()}，不启动调价。`;
  } else if (start === 'unknown') {
    status = 'insufficient_data';
    const open = kind === 'regular' ? [...startsOpen, ...constraintsOpen] : startsOpen;
    summaryZh = `${prefix}数据不足，无法判断是否触发调价：缺少${gaps(open).join('、')}（${labels(open)}）。`;
  } else if (kind === 'regular' && constraintsOpen.length > 0) {
    status = 'insufficient_data';
    summaryZh = `${prefix}${startClause()}，但缺少${gaps(constraintsOpen).join('、')}，无法判断约束条件${labels(constraintsOpen)}，暂不能确定是否触发调价。`;
  } else {
    status = 'triggered';
    const exempt =
      kind === 'special' && constraintsMet.length > 0
        ? `；约束条件${labels(constraintsMet)}已满足，但专项调整不受约束条件限制`
        : constraints.length > 0
          ? '，约束条件均未满足'
          : '';
    summaryZh = `${prefix}${startClause()}${exempt}，触发调价。`;
  }

  return {
    status,
    summaryZh,
    startMet: start === 'unknown' ? null : start === 'met',
    blockedBy,
    constraintsMet: constraintsMet.map((r) => r.ruleId),
    missing: uniqueRefs(rules.flatMap((r) => r.missing)),
    rules,
    due,
    warnings,
    regionCode,
    year,
    kind,
    ruleSet: { name: ruleSet.name, regionCode: ruleSet.regionCode, version: ruleSet.version },
  };
}

/**
 * The indicators and years a rule set reads when evaluated in `year` — including the fall-backs (level series of a
 * growth rate, the published reserve months) — so a repository can load exactly those values.
 */
export function dataRequirements(ruleSet: RuleSet, year: number): { indicators: string[]; fromYear: number; toYear: number } {
  const book = new ValueBook([], NATIONWIDE_REGION_CODE, ruleSet.releasePreference, 'annual');
  ruleSet.rules.forEach((r, i) => evaluateRule(r, i, year, 'regular', book));
  const years = book.lookedUp.map((l) => Number(l.period));
  return {
    indicators: unique(book.lookedUp.map((l) => l.indicator)).sort(cmpStr),
    fromYear: Math.min(...years),
    toYear: Math.max(...years),
  };
}
