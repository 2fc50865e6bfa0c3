/**
 * Query and response shapes of the forecast room; the web app types its calls with them (import type only).
 *
 * GET /api/scenarios/:id/forecast — every assumption is optional (defaults in domain/forecast/assumptions.ts):
 *   year=2025                      forecast year (default the round's year)
 *   elasticity=-0.3,-0.1           elasticity range of every category (one number: a point)
 *   elasticity.surgery=-0.2,0      the range of one category (category codes of domain/reference.ts)
 *   elasticityDraw=common|independent
 *   recognition=0.02,0.08          reduction of the marked volumes at full 检查检验结果互认
 *   recognitionCategories=imaging,lab   (empty: none)      recognitionItems=250101001,…
 *   recognitionYears=2025:0.6667,2027:1 (none: no recognition in any year)
 *   trend=history|none   draws=2000 (even)   seed=20250101   fanYears=5   format=arrow (the draws)
 * GET /api/scenarios/:id/burden:
 *   scheme=resident|employee   staySigma=0.9   stayMean=12765,6205,2943 (元, 三级,二级,一级)
 *   visitCost=329 or 370,240,170 (元)   visitsPerYear=6   itemShare=0.55   nodes=2000
 */
import { z } from 'zod';
import type { CategoryTrend, ForecastAssumptions, ForecastResult, Triple } from '../domain/forecast';
import { FORECAST_DEFAULTS, forecastAssumptionsSchema } from '../domain/forecast/assumptions';
import type { InsurancePolicy, LevelBurden } from '../domain/burden';
import type { IndicatorRow } from '../facts/facts.schemas';

type Query = Record<string, unknown>;

const NUMBER = /^-?\d+(\.\d+)?$/;

/** Reads one string parameter; reports repeated parameters. */
function one(q: Query, key: string, ctx: z.RefinementCtx): string | undefined {
  const v = q[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') {
    ctx.addIssue({ code: 'custom', path: [key], message: '参数只能出现一次' });
    return undefined;
  }
  return v.trim();
}

function numberOf(v: string, key: string, ctx: z.RefinementCtx, what: string): number | undefined {
  if (!NUMBER.test(v)) {
    ctx.addIssue({ code: 'custom', path: [key], message: `${what}应为数字：${v}` });
    return undefined;
  }
  return Number(v);
}

function intOf(v: string, key: string, ctx: z.RefinementCtx, what: string): number | undefined {
  if (!/^\d+$/.test(v)) {
    ctx.addIssue({ code: 'custom', path: [key], message: `${what}应为非负整数：${v}` });
    return undefined;
  }
  return Number(v);
}

function rangeOf(v: string, key: string, ctx: z.RefinementCtx, what: string): { lo: number; hi: number } | undefined {
  const parts = v.split(',').map((s) => s.trim());
  if (parts.length > 2 || parts.some((p) => !NUMBER.test(p))) {
    ctx.addIssue({ code: 'custom', path: [key], message: `${what}应为“下限,上限”或一个数：${v}` });
    return undefined;
  }
  const [lo, hi] = parts.map(Number);
  return { lo, hi: hi ?? lo };
}

const listOf = (v: string) => (v === '' ? [] : v.split(',').map((s) => s.trim()).filter(Boolean));

const FORECAST_KEYS = new Set([
  'year', 'elasticity', 'elasticityDraw', 'recognition', 'recognitionCategories', 'recognitionItems', 'recognitionYears', 'trend', 'draws', 'seed', 'fanYears', 'format',
]);

/** Query field of an assumption path (for messages): elasticityByCategory.surgery → elasticity.surgery. */
function queryPath(path: PropertyKey[]): PropertyKey[] {
  if (path[0] === 'elasticityByCategory' && path.length > 1) return [`elasticity.${String(path[1])}`];
  return path.slice(0, 1);
}

/** The forecast query → validated assumptions (defaults for what is left out) and the response format. */
export const forecastQuerySchema = z.record(z.string(), z.unknown()).transform((q, ctx): { assumptions: ForecastAssumptions; format: 'json' | 'arrow' } => {
  const a: Record<string, unknown> = {};
  const byCategory: Record<string, { lo: number; hi: number }> = {};
  for (const key of Object.keys(q)) {
    if (FORECAST_KEYS.has(key)) continue;
    const m = /^elasticity\.([a-z_]+)$/.exec(key);
    if (m) {
      const v = one(q, key, ctx);
      const r = v === undefined ? undefined : rangeOf(v, key, ctx, '价格弹性');
      if (r) byCategory[m[1]] = r;
      continue;
    }
    ctx.addIssue({ code: 'custom', path: [key], message: `未知参数“${key}”` });
  }
  const get = (k: string) => one(q, k, ctx);
  let v: string | undefined;
  if ((v = get('year')) !== undefined) a.year = intOf(v, 'year', ctx, '预测年份');
  if ((v = get('elasticity')) !== undefined) a.elasticity = rangeOf(v, 'elasticity', ctx, '价格弹性');
  if (Object.keys(byCategory).length) a.elasticityByCategory = byCategory;
  if ((v = get('elasticityDraw')) !== undefined) a.elasticityDraw = v;
  if ((v = get('recognition')) !== undefined) a.recognition = rangeOf(v, 'recognition', ctx, '互认减少比例');
  if ((v = get('recognitionCategories')) !== undefined) a.recognitionCategories = listOf(v);
  if ((v = get('recognitionItems')) !== undefined) a.recognitionItems = listOf(v);
  if ((v = get('recognitionYears')) !== undefined) {
    if (v === 'none' || v === '') a.recognitionYears = [];
    else {
      const ms = listOf(v).map((p) => /^(\d{4}):(\d+(\.\d+)?)$/.exec(p));
      if (ms.some((m) => !m)) ctx.addIssue({ code: 'custom', path: ['recognitionYears'], message: `互认进度应为“年份:权重”列表，如 2025:0.6667,2027:1：${v}` });
      else a.recognitionYears = ms.map((m) => ({ year: Number(m![1]), weight: Number(m![2]) }));
    }
  }
  if ((v = get('trend')) !== undefined) a.trend = v;
  if ((v = get('draws')) !== undefined) a.draws = intOf(v, 'draws', ctx, '抽样次数');
  if ((v = get('seed')) !== undefined) a.seed = intOf(v, 'seed', ctx, '随机种子');
  if ((v = get('fanYears')) !== undefined) a.fanYears = intOf(v, 'fanYears', ctx, '扇形图年数');
  let format: 'json' | 'arrow' = 'json';
  if ((v = get('format')) !== undefined) {
    if (v === 'arrow' || v === 'json') format = v;
    else ctx.addIssue({ code: 'custom', path: ['format'], message: `format 应为 json 或 arrow：${v}` });
  }
  if (Object.values(a).some((x) => x === undefined)) return z.NEVER;
  const r = forecastAssumptionsSchema.safeParse({ ...FORECAST_DEFAULTS, ...a });
  if (!r.success) {
    for (const i of r.error.issues) ctx.addIssue({ code: 'custom', path: queryPath(i.path), message: i.message });
    return z.NEVER;
  }
  return { assumptions: r.data as ForecastAssumptions, format };
});
export type ForecastQuery = z.output<typeof forecastQuerySchema>;

export interface BurdenOptions {
  scheme: 'resident' | 'employee';
  staySigma?: number;
  /** fen, by level */
  stayMeanFen?: Record<3 | 2 | 1, number>;
  visitFen?: Record<3 | 2 | 1, number>;
  visitsPerYear?: number;
  itemShare?: number;
  nodes?: number;
}

const BURDEN_KEYS = new Set(['scheme', 'staySigma', 'stayMean', 'visitCost', 'visitsPerYear', 'itemShare', 'nodes']);

function yuanList(v: string, key: string, ctx: z.RefinementCtx, what: string, allowOne: boolean): Record<3 | 2 | 1, number> | undefined {
  const parts = v.split(',').map((s) => s.trim());
  const ok = (parts.length === 3 || (allowOne && parts.length === 1)) && parts.every((p) => /^\d+(\.\d{1,2})?$/.test(p) && Number(p) > 0 && Number(p) <= 10_000_000);
  if (!ok) {
    ctx.addIssue({ code: 'custom', path: [key], message: `${what}应为${allowOne ? '一个或' : ''}三个正金额（元，三级,二级,一级，最多两位小数）：${v}` });
    return undefined;
  }
  const fen = parts.map((p) => Math.round(Number(p) * 100));
  return parts.length === 1 ? { 3: fen[0], 2: fen[0], 1: fen[0] } : { 3: fen[0], 2: fen[1], 1: fen[2] };
}

export const burdenQuerySchema = z.record(z.string(), z.unknown()).transform((q, ctx): BurdenOptions => {
  for (const key of Object.keys(q)) if (!BURDEN_KEYS.has(key)) ctx.addIssue({ code: 'custom', path: [key], message: `未知参数“${key}”` });
  const out: BurdenOptions = { scheme: 'resident' };
  let bad = false;
  let v: string | undefined;
  const get = (k: string) => one(q, k, ctx);
  if ((v = get('scheme')) !== undefined) {
    if (v === 'resident' || v === 'employee') out.scheme = v;
    else {
      ctx.addIssue({ code: 'custom', path: ['scheme'], message: `险种应为 resident（城乡居民医保）或 employee（职工医保）：${v}` });
      bad = true;
    }
  }
  if ((v = get('staySigma')) !== undefined) {
    const x = numberOf(v, 'staySigma', ctx, '住院费用分布的 σ');
    if (x !== undefined && !(x > 0 && x <= 3)) ctx.addIssue({ code: 'custom', path: ['staySigma'], message: `住院费用分布的 σ 应在 0—3 之间：${v}` });
    else out.staySigma = x;
  }
  if ((v = get('stayMean')) !== undefined) out.stayMeanFen = yuanList(v, 'stayMean', ctx, '次均住院费用', false);
  if ((v = get('visitCost')) !== undefined) out.visitFen = yuanList(v, 'visitCost', ctx, '次均门诊费用', true);
  if ((v = get('visitsPerYear')) !== undefined) {
    const x = intOf(v, 'visitsPerYear', ctx, '年人均门诊次数');
    if (x !== undefined && !(x >= 1 && x <= 100)) ctx.addIssue({ code: 'custom', path: ['visitsPerYear'], message: `年人均门诊次数应在 1—100 之间：${v}` });
    else out.visitsPerYear = x;
  }
  if ((v = get('itemShare')) !== undefined) {
    const x = numberOf(v, 'itemShare', ctx, '医疗服务项目费用占比');
    if (x !== undefined && !(x > 0 && x <= 1)) ctx.addIssue({ code: 'custom', path: ['itemShare'], message: `医疗服务项目费用占比应在 0—1 之间（如 0.55）：${v}` });
    else out.itemShare = x;
  }
  if ((v = get('nodes')) !== undefined) {
    const x = intOf(v, 'nodes', ctx, '积分节点数');
    if (x !== undefined && !(x >= 10 && x <= 20000)) ctx.addIssue({ code: 'custom', path: ['nodes'], message: `积分节点数应在 10—20000 之间：${v}` });
    else out.nodes = x;
  }
  if (bad) return z.NEVER;
  return out;
});

// ---- responses

export interface ForecastScenarioRef {
  id: number;
  name: string;
  status: string;
  version: number;
  roundId: number;
  regionCode: string;
}

export interface ForecastRoundRef {
  id: number;
  name: string;
  year: number;
  kind: string;
  status: string;
  effectiveDate: string | null;
}

/** A limit the band is checked against, and where it came from. */
export interface ForecastLimit {
  fen: number;
  source: string;
  noteZh: string;
}

/** The domain's result (without its draws, served as Arrow) with what the API adds around it. */
export interface ForecastResponse extends Pick<ForecastResult, 'total' | 'byCategory' | 'byLevel' | 'recognitionSavings' | 'checks' | 'byYear'> {
  scenario: ForecastScenarioRef;
  round: ForecastRoundRef;
  baseYear: number;
  priceDate: string;
  year: number;
  horizon: number;
  assumptions: {
    values: ForecastAssumptions;
    defaults: ForecastAssumptions;
    /** The weight of the recognition reduction in the forecast year. */
    recognitionWeight: number;
    /** The elasticity range used for each category present. */
    elasticityByCategory: { code: string; labelZh: string; lo: number; hi: number; own: boolean }[];
    /** Each category's trend and its factor (1 + g)^h in the forecast year. */
    trend: (CategoryTrend & { factor: number })[];
    sourcesZh: Record<'elasticity' | 'recognition' | 'trend' | 'draws', string>;
  };
  method: { band: 'monte-carlo'; range: 'exact'; draws: number; seed: number; textZh: string[] };
  limits: { total: ForecastLimit | null; fundCap: ForecastLimit | null };
  sentencesZh: string[];
  warnings: string[];
}

export interface BurdenResponse {
  scenario: ForecastScenarioRef;
  round: ForecastRoundRef;
  baseYear: number;
  priceDate: string;
  policy: InsurancePolicy & { batchId: number | null; fileName: string | null };
  assumptions: {
    stay: Record<'3' | '2' | '1', { meanFen: number; sigma: number; mu: number; source: string }>;
    visit: { fen: Record<'3' | '2' | '1', number>; source: string; indicator: IndicatorRow | null };
    visitsPerYear: { value: number; source: string };
    itemShare: { value: number; source: string; indicators: IndicatorRow[] };
    nodes: number;
    inpatientRateSource: 'policy' | 'reimbursement_rate';
    textZh: string[];
  };
  /** Per level: the static impact's relative change of the level's service revenue and the burden per layer. */
  levels: (LevelBurden & { netFen: number; baseRevenueFen: number })[];
  static: Triple;
  warnings: string[];
}
