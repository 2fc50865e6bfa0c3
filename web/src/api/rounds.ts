/** Typed calls of the round endpoints (types from the API's own schemas). */
import type { AllocationResponse, CreateRound, Round, RoundStatus, TotalResponse } from '../../../api/src/rounds/rounds.schemas';
import { getJson, patchJson, postJson, qs } from './client';

export type { AllocationResponse, Round, RoundStatus, TotalResponse } from '../../../api/src/rounds/rounds.schemas';

export interface RegionRow {
  code: string;
  name: string;
  level: number;
  parentCode: string | null;
  pilot: 'city_2021' | 'province_2024' | null;
}

export const listRounds = (q: { region?: string; year?: number; status?: string; kind?: string } = {}): Promise<Round[]> => getJson(`/api/rounds${qs(q)}`);
export const getRound = (id: number): Promise<Round> => getJson(`/api/rounds/${id}`);
export const createRound = (body: Partial<CreateRound> & { regionCode: string; year: number; name: string }): Promise<Round> => postJson('/api/rounds', body);
export const patchRound = (id: number, body: Record<string, unknown>): Promise<Round> => patchJson(`/api/rounds/${id}`, body);
export const changeStatus = (id: number, body: { to: RoundStatus; version: number; scenarioId?: number; effectiveDate?: string; evaluation?: Record<string, unknown> }): Promise<Round> =>
  postJson(`/api/rounds/${id}/status`, body);
export const getTotal = (id: number): Promise<TotalResponse> => getJson(`/api/rounds/${id}/total`);
/** Allocates the total and stores it on the round, made on the round's `version` (the answer moves it on). */
export const allocate = (id: number, body: { version: number; basis?: string }): Promise<AllocationResponse> => postJson(`/api/rounds/${id}/total/allocate`, body);
export const listRegions = (pilot?: boolean): Promise<RegionRow[]> => getJson(`/api/regions${qs({ pilot })}`);
