/**
 * Regions, their institutions and their indicator values (GET /api/regions, GET /api/regions/:code/institutions,
 * GET /api/regions/:code/indicators), typed with the API's own schemas.
 */
import type { IndicatorRow, Institution, Region } from '../../../api/src/regions/regions.schemas';
import { getJson, qs } from './client';

export type { IndicatorRow, Institution, Region };

/** Every region the user may read (全国, provinces, prefecture cities), by code. */
export const allRegions = (): Promise<Region[]> => getJson<Region[]>('/api/regions');

/** The medical institutions of a region, 三级 first, then by name. */
export const listInstitutions = (code: string): Promise<Institution[]> => getJson<Institution[]>(`/api/regions/${encodeURIComponent(code)}/institutions`);

/** The pilot regions (5 cities since 2021, 3 provinces since 2024), by code. */
export const listPilotRegions = (): Promise<Region[]> => getJson<Region[]>('/api/regions?pilot=true');

/** Every period and release of the indicators in the years (both bounds optional, inclusive). */
export function regionIndicators(code: string, codes: readonly string[], from?: number, to?: number): Promise<IndicatorRow[]> {
  return getJson<IndicatorRow[]>(`/api/regions/${encodeURIComponent(code)}/indicators${qs({ codes: codes.join(','), from, to })}`);
}
