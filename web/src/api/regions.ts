/**
 * Regions, their institutions and their indicator values (GET /api/regions, GET /api/regions/:code/institutions,
 * GET /api/regions/:code/indicators) and several regions side by side (GET /api/regions/compare), typed with the API's
 * own schemas.
 */
import type { CompareRegion, CompareResponse, IndicatorRow, Institution, Region } from '../../../api/src/regions/regions.schemas';
import { getJson, qs } from './client';

export type { CompareRegion, CompareResponse, IndicatorRow, Institution, Region };

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

/** The regions a comparison may show: the user's own (and those under it) and every pilot region. */
export const listComparableRegions = (): Promise<Region[]> => getJson<Region[]>('/api/regions?comparable=true');

/** 区域对比: the regions in the order given; year: the round year (omitted: each region's latest round). */
export function compareRegions(codes: readonly string[], year?: number): Promise<CompareResponse> {
  return getJson<CompareResponse>(`/api/regions/compare${qs({ codes: codes.join(','), year })}`);
}
