import { z } from 'zod';
import type { ImpactDifference, ImpactResult, RowDiff } from '../domain/pricing';
import type { Scenario, ScenarioChange } from './scenarios.schemas';

/**
 * Versions of a scenario (table scenario_version): each save of its changes is one, with the action that made it.
 * create: the new scenario (version 1, no changes); manual: PUT of the whole list; patch: PATCH of some rows; import,
 * scale, index, optimise: the bulk actions; quotes: a 复杂型 quote selection; restore: an earlier version written
 * again; historic: a historic round loaded by the ETL; backfill: the state a scenario had when versions began.
 */
export const VERSION_ACTIONS = ['create', 'manual', 'patch', 'import', 'scale', 'index', 'optimise', 'quotes', 'restore', 'historic', 'backfill'] as const;
export type VersionAction = (typeof VERSION_ACTIONS)[number];

/** One version in the list. */
export interface VersionHead {
  version: number;
  action: VersionAction;
  /** changes in the list at this version */
  rowCount: number;
  /** who saved it: the user's id, username and display name (null: unknown, e.g. the backfill or a load) */
  userId: number | null;
  actor: string | null;
  displayName: string | null;
  /** when (ISO, UTC) */
  at: string;
  requestId: string | null;
  /** the scenario's name at that version */
  name: string;
  /** restore: the version it wrote again */
  restoredFrom: number | null;
}

/** One version with its change list (GET /api/scenarios/:id/versions/:version). */
export interface VersionDetail extends VersionHead {
  scenarioId: number;
  /** the scenario's params at that version */
  params: Record<string, unknown>;
  changes: ScenarioChange[];
}

/** The figures of a version's impact compared (the domain's impact summary of the version). */
export interface VersionImpact extends Pick<VersionHead, 'version' | 'action' | 'at' | 'rowCount' | 'displayName' | 'actor'> {
  summary: ImpactResult;
  warnings: string[];
}

/** Two versions compared (GET /api/scenarios/:id/versions/compare?from=&to=). */
export interface VersionComparison {
  scenarioId: number;
  priceDate: string;
  from: VersionImpact;
  to: VersionImpact;
  /** rows added, removed, re-priced or re-worded from `from` to `to`, with the item's name */
  items: (RowDiff & { name: string | null; unit: string | null })[];
  counts: { added: number; removed: number; changed: number; reason: number };
  /** impact(to) − impact(from), figure by figure */
  difference: ImpactDifference;
}

/** The answer of a restore: the scenario as now saved and the version written again. */
export interface RestoreResult {
  scenario: Scenario & { changes: ScenarioChange[] };
  restoredFrom: number;
}

const versionNumber = z.coerce.number().int().min(1, '版本应为正整数 (version must be a positive integer)').max(2 ** 31 - 1);

export const versionParamsSchema = z.object({
  id: z.coerce.number().int().positive().max(2 ** 31 - 1),
  version: versionNumber,
});
export type VersionParams = z.infer<typeof versionParamsSchema>;

export const compareVersionsQuerySchema = z
  .object({
    from: versionNumber,
    to: versionNumber,
  })
  .strict();
export type CompareVersionsQuery = z.infer<typeof compareVersionsQuerySchema>;

/** The scenario's current version, as every write of its changes carries it (optimistic locking). */
export const restoreSchema = z.object({ version: z.number().int().min(1) }).strict();
export type RestoreRequest = z.infer<typeof restoreSchema>;
