/** What the forecast and burden panels report of their scenario, for the page's subtitle. */
export interface ForecastContext {
  scenario: { name: string };
  round: { name: string };
  baseYear: number;
  priceDate: string;
}

/** The forecast's own query parameters (the API's names); `elasticity.<category>` belongs to it too. */
export const FORECAST_KEYS = ['year', 'elasticity', 'elasticityDraw', 'recognition', 'recognitionCategories', 'recognitionItems', 'recognitionYears', 'trend', 'draws', 'seed', 'fanYears'] as const;
/** The burden's own query parameters. */
export const BURDEN_KEYS = ['scheme', 'staySigma', 'stayMean', 'visitCost', 'visitsPerYear', 'itemShare', 'nodes'] as const;

/** The parameters of `keys` among the page's (the forecast's also takes elasticity.<category>). */
export function pick(params: Record<string, string>, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (keys.includes(k) || (keys.includes('elasticity') && k.startsWith('elasticity.'))) out[k] = v;
  return out;
}
