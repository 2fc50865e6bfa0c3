/** The rounds of a region (or of all regions) counted by lifecycle status, for the overview. */
import { ROUND_STATUSES, type RoundStatus } from '@domain/rounds/params';
import type { Round } from '../../../api/src/rounds/rounds.schemas';
import { getJson, qs } from './client';

export type { Round, RoundStatus };
export { ROUND_STATUSES };

export const listRounds = (region?: string | null): Promise<Round[]> => getJson<Round[]>(`/api/rounds${qs({ region })}`);

/** Count per status, every status present (0 when none), in lifecycle order. */
export function countByStatus(rounds: readonly Pick<Round, 'status'>[]): { status: RoundStatus; count: number }[] {
  return ROUND_STATUSES.map((status) => ({ status, count: rounds.filter((r) => r.status === status).length }));
}
