/** Typed calls of the scenario and impact endpoints (types from the API's own schemas). */
import type { Comparison } from '../../../api/src/impact/impact.schemas';
import { getJson, qs } from './client';

export type { Comparison, ComparedScenario } from '../../../api/src/impact/impact.schemas';

export const compareScenarios = (roundId: number, ids: readonly number[]): Promise<Comparison> =>
  getJson<Comparison>(`/api/rounds/${roundId}/compare${qs({ scenarios: ids.join(',') })}`);
