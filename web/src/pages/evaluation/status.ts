/** The four verdicts of a trigger evaluation, their tag colours and display order. */
import type { TriggerStatus } from '@domain/triggers';

export const STATUS_TAG: Record<TriggerStatus, 'success' | 'danger' | 'info' | 'warning'> = {
  triggered: 'success',
  blocked: 'danger',
  not_started: 'info',
  insufficient_data: 'warning',
};

export const OUTCOME_TAG: Record<'met' | 'not_met' | 'insufficient_data', 'success' | 'info' | 'warning' | 'danger'> = {
  met: 'success',
  not_met: 'info',
  insufficient_data: 'warning',
};

/** '>' → '＞' … for the value ⟨comparison⟩ threshold line. */
export const COMPARISON_SIGN: Record<string, string> = { '>': '>', '>=': '≥', '<': '<', '<=': '≤', '=': '=', '!=': '≠' };
