/** Typed calls of the forecast room (types from the API's own schemas). */
import type { BurdenResponse, ForecastResponse } from '../../../api/src/forecast/forecast.schemas';
import { getJson } from './client';

export type { BurdenResponse, ForecastResponse } from '../../../api/src/forecast/forecast.schemas';

/** The query string of the assumptions as the API names them (empty values left out). */
function query(params: Record<string, string | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}

export const getForecast = (scenarioId: number, assumptions: Record<string, string | undefined>): Promise<ForecastResponse> =>
  getJson(`/api/scenarios/${scenarioId}/forecast${query(assumptions)}`);
export const getBurden = (scenarioId: number, options: Record<string, string | undefined>): Promise<BurdenResponse> =>
  getJson(`/api/scenarios/${scenarioId}/burden${query(options)}`);
