/**
 * The assumptions of a forecast under volume response (docs/forecast.md), their defaults and where the defaults come
 * from. Every figure of a forecast depends on them; the API returns them with the figures and the view shows them.
 *
 * - Price response: a row's volume responds to the relative change of the patient's out-of-pocket price with an
 *   elasticity ε per category, a range [lo, hi]. Default −0.3 to −0.1 for every category around −0.2, the order of
 *   magnitude the RAND Health Insurance Experiment found for medical care (Manning et al. 1987).
 * - 检查检验结果互认 (DOMAIN.md §8): the volumes of the marked categories and items fall by ρ, a range (default 2–8%),
 *   times the weight of the forecast year in the policy's milestones: from 2025 ⅔ (over 200 items recognised across
 *   each city, of the 300 the province level reaches), from 2027 the whole reduction (over 300 items across each
 *   province). Marked by default: the exam and lab categories of repeat tests (医学影像, 超声检查, 核医学, 检验,
 *   病理检查; 血型与配血 is redone before every transfusion and is not marked).
 * - Trend: each category's volumes grow at the annual rate of its loaded history up to the base year, or not at all.
 */
import { z } from 'zod';
import { CATEGORIES } from '../reference';

export interface Range {
  lo: number;
  hi: number;
}

export interface RecognitionMilestone {
  /** From this year on (inclusive) … */
  year: number;
  /** … this share of the reduction ρ applies, in [0, 1]. */
  weight: number;
}

export type ElasticityDraw = 'common' | 'independent';
export type TrendMode = 'history' | 'none';

export interface ForecastAssumptions {
  /** The forecast year; null: the round's year (the first year of the new prices). */
  year: number | null;
  /** Elasticity range of every category without its own. */
  elasticity: Range;
  /** Elasticity ranges of single categories (category code → range). */
  elasticityByCategory: Readonly<Record<string, Range>>;
  /**
   * common: in a draw every category's elasticity sits at the same position of its range (the uncertainty is how
   * strongly patients respond in general); independent: each category draws its own (narrower totals by averaging).
   */
  elasticityDraw: ElasticityDraw;
  /** Reduction ρ of the marked volumes once the whole recognition applies, decimal range. */
  recognition: Range;
  /** Categories whose volumes recognition reduces. */
  recognitionCategories: readonly string[];
  /** Further item codes whose volumes recognition reduces. */
  recognitionItems: readonly string[];
  /** The weight of ρ by year: the last milestone at or before a year applies (none before the first: 0). */
  recognitionYears: readonly RecognitionMilestone[];
  trend: TrendMode;
  /** Monte Carlo draws: an even number (draws come in antithetic pairs). */
  draws: number;
  seed: number;
  /** Years of the fan (the forecast year and the ones after it). */
  fanYears: number;
}

export const DEFAULT_RECOGNITION_CATEGORIES: readonly string[] = ['imaging', 'ultrasound', 'nuclear', 'lab', 'pathology'];

export const RECOGNITION_MILESTONES: readonly RecognitionMilestone[] = [
  { year: 2025, weight: 2 / 3 },
  { year: 2027, weight: 1 },
];

export const FORECAST_DEFAULTS: ForecastAssumptions = {
  year: null,
  elasticity: { lo: -0.3, hi: -0.1 },
  elasticityByCategory: {},
  elasticityDraw: 'common',
  recognition: { lo: 0.02, hi: 0.08 },
  recognitionCategories: DEFAULT_RECOGNITION_CATEGORIES,
  recognitionItems: [],
  recognitionYears: RECOGNITION_MILESTONES,
  trend: 'history',
  draws: 2000,
  seed: 20250101,
  fanYears: 5,
};

/** Where each default comes from, for the API response and the view. */
export const ASSUMPTION_SOURCES_ZH = {
  elasticity:
    '价格弹性默认 −0.3～−0.1（中值 −0.2）：兰德健康保险实验（RAND HIE，Manning 等 1987）对医疗服务需求的自付价格弹性约为 −0.2。' +
    '患者对自付价格的相对变化作出反应；自付价格 = (1 − 基金支付比例) × 价格，其相对变化等于价格的相对变化（基金全额支付的项目不反应）。',
  recognition:
    '检查检验结果互认默认减少重复检查检验服务量 2%～8%（全面互认时）；按政策进度加权：2025年起 ⅔（各地市内互认 200 项以上，' +
    '为省域 300 项的 ⅔），2027年起全部（省域内互认 300 项以上）。依据：国家卫生健康委等七部门《关于进一步推进医疗机构检查检验结果互认的指导意见》。',
  trend: '服务量趋势：按各类别已导入的历年服务量（公立医疗机构，按现行价格加权的拉氏数量指数）计算年均增长率，自基期年起按年复合。',
  draws: '蒙特卡洛抽样：按固定种子抽样，结果可复现；对偶抽样（每次抽样与其关于区间中点的对称点成对），区间中点的测算值恰为样本中位数。',
} as const;

const CATEGORY_CODES = new Set(CATEGORIES.map((c) => c.code));

const rangeSchema = (what: string, min: number, max: number) =>
  z
    .object({ lo: z.number().finite(), hi: z.number().finite() })
    .refine((r) => r.lo <= r.hi, `${what}区间下限不能大于上限`)
    .refine((r) => r.lo >= min && r.hi <= max, `${what}应在 ${min} 至 ${max} 之间`);

/** Structure and limits of the assumptions (messages in Chinese; the API maps the paths to query fields). */
export const forecastAssumptionsSchema = z.object({
  year: z.number().int('预测年份应为整数').min(2000, '预测年份应在 2000—2100 之间').max(2100, '预测年份应在 2000—2100 之间').nullable(),
  elasticity: rangeSchema('价格弹性', -1, 1),
  elasticityByCategory: z.record(z.string(), rangeSchema('价格弹性', -1, 1)).superRefine((rec, ctx) => {
    for (const k of Object.keys(rec)) if (!CATEGORY_CODES.has(k)) ctx.addIssue({ code: 'custom', path: [k], message: '类别代码不存在' });
  }),
  elasticityDraw: z.enum(['common', 'independent'], '弹性抽样方式应为 common（各类别同步）或 independent（各类别独立）'),
  recognition: rangeSchema('互认减少比例', 0, 0.5),
  recognitionCategories: z.array(z.string().refine((c) => CATEGORY_CODES.has(c), '类别代码不存在')),
  recognitionItems: z.array(z.string().min(1).max(40)).max(5000, '互认项目最多 5000 个'),
  recognitionYears: z
    .array(z.object({ year: z.number().int().min(2000).max(2100), weight: z.number().min(0, '互认权重应在 0—1 之间').max(1, '互认权重应在 0—1 之间') }))
    .max(20)
    .refine((ms) => ms.every((m, i) => i === 0 || m.year > ms[i - 1].year), '互认进度的年份应递增且不重复'),
  trend: z.enum(['history', 'none'], '趋势应为 history（按历史数据）或 none（不计趋势）'),
  draws: z.number().int('抽样次数应为整数').min(100, '抽样次数应在 100—20000 之间').max(20000, '抽样次数应在 100—20000 之间').refine((n) => n % 2 === 0, '抽样次数应为偶数（对偶抽样成对进行）'),
  seed: z.number().int('随机种子应为整数').min(0, '随机种子应在 0—4294967295 之间').max(0xffffffff, '随机种子应在 0—4294967295 之间'),
  fanYears: z.number().int().min(1, '扇形图年数应在 1—10 之间').max(10, '扇形图年数应在 1—10 之间'),
});

/** The assumptions with defaults for whatever is left out, validated (throws RangeError naming the field). */
export function resolveAssumptions(partial: Partial<ForecastAssumptions> = {}): ForecastAssumptions {
  const merged = { ...FORECAST_DEFAULTS, ...Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) };
  const r = forecastAssumptionsSchema.safeParse(merged);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new RangeError(`${i.path.join('.')}: ${i.message}`);
  }
  return r.data as ForecastAssumptions;
}

/** The weight of ρ in a year: the last milestone at or before it, else 0. */
export function recognitionWeight(milestones: readonly RecognitionMilestone[], year: number): number {
  let w = 0;
  for (const m of milestones) if (m.year <= year) w = m.weight;
  return w;
}

/** The elasticity range of a category. */
export function elasticityOf(a: Pick<ForecastAssumptions, 'elasticity' | 'elasticityByCategory'>, category: string): Range {
  return a.elasticityByCategory[category] ?? a.elasticity;
}
