/**
 * Trigger rule sets and their evaluation (/api/rule-sets…), typed with the API's schemas and the domain's types.
 * evaluate-regions evaluates one rule set — stored (ruleSetId) or ad hoc (ruleSet, nothing stored) — for many
 * regions at once and returns every rule's evidence.
 */
import type { AdjustmentKind, RuleSet, RuleSetInput, TriggerResult } from '@domain/triggers';
import type { EvaluateRegionsBody, RegionsEvaluation, RuleSetDetail, RuleSetSummary } from '../../../api/src/rule-sets/rule-sets.schemas';

export type { RegionsEvaluation } from '../../../api/src/rule-sets/rule-sets.schemas';
import { getJson, postJson } from './client';

export type { RuleSetDetail, RuleSetSummary, TriggerResult };

/** A rule set as sent: version optional (the server assigns it when storing). */
export type RuleSetBody = Omit<RuleSetInput, 'version'> & { version?: number };

/** The request of POST /api/rule-sets/evaluate-regions (defaults optional, an ad-hoc rule set as written). */
export type EvaluateRegionsRequest = Omit<EvaluateRegionsBody, 'kind' | 'ruleSet'> & { kind?: AdjustmentKind; ruleSet?: RuleSetBody };

export const listRuleSets = (): Promise<RuleSetSummary[]> => getJson<RuleSetSummary[]>('/api/rule-sets');

/** One rule set with its validated definition. */
export async function getRuleSet(id: number): Promise<RuleSetDetail & { definition: RuleSet }> {
  return getJson<RuleSetDetail & { definition: RuleSet }>(`/api/rule-sets/${id}`);
}

export const evaluateRegions = (body: EvaluateRegionsRequest): Promise<RegionsEvaluation> => postJson<RegionsEvaluation>('/api/rule-sets/evaluate-regions', body);

/** Stores a rule set of a region: version 1, or n + 1 when the region has one of that name. */
export const createRuleSet = (body: RuleSetBody): Promise<RuleSetDetail & { definition: RuleSet }> => postJson('/api/rule-sets', body);
