/** Typed calls of the scenario and impact endpoints (types from the API's own schemas). */
import type { Comparison, ImpactResponse } from '../../../api/src/impact/impact.schemas';
import type { Scenario, ScenarioChange } from '../../../api/src/scenarios/scenarios.schemas';
import type { PatchResult } from '../../../api/src/scenarios/scenarios.schemas';
import type { RestoreResult, VersionComparison, VersionDetail, VersionHead } from '../../../api/src/scenarios/versions.schemas';
import { getArrow, getJson, patchJson, postForm, postJson, putJson, qs } from './client';

export type { Comparison, ComparedScenario, ImpactResponse } from '../../../api/src/impact/impact.schemas';
export type { Scenario, ScenarioChange } from '../../../api/src/scenarios/scenarios.schemas';

export type ScenarioWithChanges = Scenario & { changes: ScenarioChange[] };

export interface ChangeInput {
  itemCode: string;
  level: number;
  newPriceFen: number;
  reason?: string;
}

export const compareScenarios = (roundId: number, ids: readonly number[]): Promise<Comparison> =>
  getJson<Comparison>(`/api/rounds/${roundId}/compare${qs({ scenarios: ids.join(',') })}`);
export const getScenario = (id: number): Promise<ScenarioWithChanges> => getJson(`/api/scenarios/${id}`);
export const listScenarios = (roundId: number): Promise<Scenario[]> => getJson(`/api/rounds/${roundId}/scenarios`);
export const createScenario = (roundId: number, name: string, method = 'manual'): Promise<ScenarioWithChanges> =>
  postJson(`/api/rounds/${roundId}/scenarios`, { name, method });
export const putChanges = (id: number, version: number, changes: readonly ChangeInput[]): Promise<ScenarioWithChanges> =>
  putJson(`/api/scenarios/${id}/changes`, { version, changes });
/** Sets and removes some changes (only the rows edited): the answer is the new version, not the change list. */
export const patchChanges = (id: number, version: number, set: readonly ChangeInput[], remove: readonly { itemCode: string; level: number }[]): Promise<PatchResult> =>
  patchJson(`/api/scenarios/${id}/changes`, { version, set, remove });
export const getImpact = (id: number): Promise<ImpactResponse> => getJson(`/api/scenarios/${id}/impact`);
export const getFacts = (id: number): Promise<ArrayBuffer> => getArrow(`/api/scenarios/${id}/facts`);
export const scaleScenario = (id: number, body: { targetFen: number; scope: string; version: number }) =>
  postJson<{ scenario: ScenarioWithChanges; scaling: { factor: number | null; status: string; achievedNetFen: number; gapFen: number; noteZh: string; basis: { descriptionZh: string } } }>(
    `/api/scenarios/${id}/scale`,
    body,
  );
export const indexScenario = (id: number, body: { growth: number; version: number; categories?: string[] }) =>
  postJson<{ scenario: ScenarioWithChanges; indexation: { changedCount: number; netFen: number; noteZh: string } }>(`/api/scenarios/${id}/index`, body);

export interface OptimiseProposalChange {
  itemCode: string;
  name: string;
  level: number;
  direction: 'up' | 'down';
  oldPriceFen: number;
  newPriceFen: number;
  deltaFen: number;
  binding: string | null;
  reasonZh: string;
}
export const optimiseScenario = (id: number, body: { version: number; settings: Record<string, unknown> }) =>
  postJson<{ scenario: ScenarioWithChanges; proposal: { changes: OptimiseProposalChange[]; summary: { netFen: number; labourShare: number | null } } }>(
    `/api/scenarios/${id}/optimise`,
    body,
  );
export function importScenarioFile(id: number, version: number, file: File): Promise<ScenarioWithChanges & { import: Record<string, unknown> }> {
  const form = new FormData();
  form.append('file', file, file.name);
  return postForm(`/api/scenarios/${id}/import${qs({ version })}`, form);
}

// ---- versions: every save of a scenario's changes
export type { VersionComparison, VersionDetail, VersionHead, RestoreResult } from '../../../api/src/scenarios/versions.schemas';
export const listVersions = (id: number): Promise<VersionHead[]> => getJson(`/api/scenarios/${id}/versions`);
export const getVersion = (id: number, version: number): Promise<VersionDetail> => getJson(`/api/scenarios/${id}/versions/${version}`);
export const compareVersions = (id: number, from: number, to: number): Promise<VersionComparison> =>
  getJson(`/api/scenarios/${id}/versions/compare${qs({ from, to })}`);
/** Writes `version`'s change list as the newest version; `current` is the version the editor holds (409 when stale). */
export const restoreVersion = (id: number, version: number, current: number): Promise<RestoreResult> =>
  postJson(`/api/scenarios/${id}/versions/${version}/restore`, { version: current });
