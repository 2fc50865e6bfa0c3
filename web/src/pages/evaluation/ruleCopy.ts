/**
 * An editable copy of a rule set: thresholds, comparisons and labels changed, rules switched off (left out of the
 * copy). The copy is sent as an ad-hoc rule set to evaluate-regions while editing (nothing stored) and then stored
 * with POST /api/rule-sets as a rule set of a region. The API's validation errors come back with paths of the body
 * (body.rules.0.threshold, or body.ruleSet.rules.0.threshold inside an evaluation request); they are mapped back to
 * the rule they belong to, although the copy's indices skip the rules switched off.
 * (Domain imported by relative path: the unit tests run without the web app's alias.)
 */
import type { Comparison, Rule, RuleRole, RuleSet } from '../../../../api/src/domain/triggers/schema';
import type { RuleSetBody } from '../../api/ruleSets';

export interface RuleDraft {
  /** The original rule's id (its own, else r<position>): stable while rules are switched on and off. */
  key: string;
  role: RuleRole;
  label: string;
  comparison: Comparison;
  /** null while the field is cleared; sent as is, so the API names the field. */
  threshold: number | null;
  enabled: boolean;
  original: Rule;
}

export interface CopyDraft {
  name: string;
  regionCode: string;
  validFrom: string;
  validTo: string | null;
  startCombine: 'any' | 'all';
  rules: RuleDraft[];
  base: RuleSet;
}

export function draftFrom(base: RuleSet, o: { name: string; regionCode: string; validFrom: string }): CopyDraft {
  return {
    name: o.name,
    regionCode: o.regionCode,
    validFrom: o.validFrom,
    validTo: null,
    startCombine: base.startCombine,
    base,
    rules: base.rules.map((r, i) => ({
      key: r.id ?? `r${i + 1}`,
      role: r.role,
      label: r.label,
      comparison: r.comparison,
      threshold: r.threshold,
      enabled: true,
      original: r,
    })),
  };
}

/** The rule set to send (without version: the server assigns it) and the draft key of each rule in it. */
export function bodyOf(d: CopyDraft): { body: RuleSetBody; ruleKeys: string[] } {
  const on = d.rules.filter((r) => r.enabled);
  const body: RuleSetBody = {
    name: d.name,
    regionCode: d.regionCode,
    validFrom: d.validFrom,
    ...(d.validTo ? { validTo: d.validTo } : {}),
    startCombine: d.startCombine,
    releasePreference: [...d.base.releasePreference],
    periodPolicy: d.base.periodPolicy,
    evaluationIntervalYears: d.base.evaluationIntervalYears,
    rules: on.map((r) => ({
      ...r.original,
      id: r.key,
      label: r.label,
      comparison: r.comparison,
      // a cleared field goes out as null so that the API reports it on rules.n.threshold
      threshold: r.threshold as number,
    })),
  };
  return { body, ruleKeys: on.map((r) => r.key) };
}

/** What differs from the rule set copied: rules switched off, changed thresholds, comparisons or labels. */
export function changesOf(d: CopyDraft): { off: number; changed: number } {
  let off = 0;
  let changed = 0;
  for (const r of d.rules) {
    if (!r.enabled) off++;
    else if (r.threshold !== r.original.threshold || r.comparison !== r.original.comparison || r.label !== r.original.label) changed++;
  }
  return { off, changed };
}

export type FormField = 'name' | 'regionCode' | 'validFrom' | 'validTo' | 'startCombine' | 'rules';
export type RuleField = 'label' | 'comparison' | 'threshold' | 'other';

export interface FieldErrors {
  form: Partial<Record<FormField, string[]>>;
  rules: Record<string, Partial<Record<RuleField, string[]>>>;
  /** Errors that belong to no field of the form (shown above it). */
  other: { path: string; message: string }[];
}

export const noErrors = (): FieldErrors => ({ form: {}, rules: {}, other: [] });

const FORM_FIELDS: readonly string[] = ['name', 'regionCode', 'validFrom', 'validTo', 'startCombine', 'rules'];

/**
 * Maps the API's details ([{ path, message }]) to the form: `prefix` is the body path of the rule set ('body.' for
 * POST /api/rule-sets, 'body.ruleSet.' for an evaluation), `ruleKeys` the draft key of each rule of the body sent.
 */
export function fieldErrors(details: unknown, prefix: string, ruleKeys: readonly string[]): FieldErrors {
  const out = noErrors();
  if (!Array.isArray(details)) return out;
  for (const d of details as { path?: unknown; message?: unknown }[]) {
    const path = typeof d?.path === 'string' ? d.path : '';
    const message = typeof d?.message === 'string' ? d.message : String(d?.message ?? '');
    if (!path.startsWith(prefix)) {
      out.other.push({ path, message });
      continue;
    }
    const parts = path.slice(prefix.length).split('.');
    const [head, index, field] = parts;
    if (head === 'rules' && index !== undefined && /^[0-9]+$/.test(index)) {
      const key = ruleKeys[Number(index)];
      if (key === undefined) {
        out.other.push({ path, message });
        continue;
      }
      const f: RuleField = field === 'label' || field === 'comparison' || field === 'threshold' ? field : 'other';
      const rule = (out.rules[key] ??= {});
      (rule[f] ??= []).push(f === 'other' ? `${parts.slice(2).join('.')}: ${message}` : message);
    } else if (head !== undefined && FORM_FIELDS.includes(head) && parts.length === 1) {
      (out.form[head as FormField] ??= []).push(message);
    } else {
      out.other.push({ path, message });
    }
  }
  return out;
}

export function hasErrors(e: FieldErrors): boolean {
  return Object.keys(e.form).length > 0 || Object.keys(e.rules).length > 0 || e.other.length > 0;
}
