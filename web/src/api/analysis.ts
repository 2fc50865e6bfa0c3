/** Typed calls of the analysis room (types from the API's own schemas). */
import type { CostValueResponse, PriceSpreadResponse } from '../../../api/src/analysis/analysis.schemas';
import type { CatalogueResponse } from '../../../api/src/catalogue/catalogue.schemas';
import type { ImpactItemRow, ImpactResponse } from '../../../api/src/impact/impact.schemas';
import type { MonthlyMonitoringResponse } from '../../../api/src/monitoring/monitoring.schemas';
import { getJson, qs } from './client';

export type { ImpactItemRow, ImpactResponse } from '../../../api/src/impact/impact.schemas';
export type { CostValueGroup, CostValueResponse, CostValueRow, PriceSpreadLevel, PriceSpreadResponse } from '../../../api/src/analysis/analysis.schemas';

export const getCostValue = (scenarioId: number): Promise<CostValueResponse> => getJson(`/api/scenarios/${scenarioId}/cost-value`);
export const getPriceSpread = (scenarioId: number, itemCode: string): Promise<PriceSpreadResponse> =>
  getJson(`/api/scenarios/${scenarioId}/price-spread${qs({ item: itemCode })}`);

/** The impact summary with the cross-region positions of the changed rows (bands and the 50 ranked highest). */
export const getPositions = (scenarioId: number): Promise<ImpactResponse> => getJson(`/api/scenarios/${scenarioId}/impact?include=positions`);
/** The scenario's changed rows with their positions. */
export const getChangedItems = (scenarioId: number): Promise<ImpactItemRow[]> => getJson(`/api/scenarios/${scenarioId}/impact/items`);

export type { CatalogueItem, CatalogueResponse } from '../../../api/src/catalogue/catalogue.schemas';
/** Guideline items, their mappings and the region's carried-over prices with the carry-over report. */
export const getCatalogue = (region: string, q: { q?: string; batch?: string; date?: string }): Promise<CatalogueResponse> =>
  getJson(`/api/regions/${encodeURIComponent(region)}/catalogue${qs(q)}`);

export type { MonthlyMonitoringResponse } from '../../../api/src/monitoring/monitoring.schemas';
/** An implemented round's forecast against each month's volumes of the monitored year. */
export const getMonthlyMonitoring = (roundId: number, year?: number): Promise<MonthlyMonitoringResponse> =>
  getJson(`/api/rounds/${roundId}/monitoring/months${qs({ year })}`);

