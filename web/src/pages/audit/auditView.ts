/**
 * What the audit page shows of a record, as plain data (tested without a browser): the fields an update changed as
 * rows of 字段 / 变更前 / 变更后, and the summary of a write of a scenario's change list.
 */

/** Every action code the API writes, in the order of the filter. */
export { AUDIT_ACTIONS as ACTIONS, AUDIT_ENTITIES as ENTITIES } from '../../../../api/src/domain/audit-actions';

/** The i18n key of an action code (dots become underscores: one flat table of labels). */
export const actionKey = (code: string): string => `audit.actions.${code.replace(/\./g, '_')}`;

export interface FieldRow {
  /** the field's path, e.g. `params.changeCap` */
  path: string;
  before: unknown;
  after: unknown;
  /** present on one side only */
  kind: 'changed' | 'added' | 'removed';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function flatten(v: unknown, prefix: string, out: Map<string, unknown>, depth: number): void {
  if (isObject(v) && depth < 3 && Object.keys(v).length > 0) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out, depth + 1);
  } else if (prefix) out.set(prefix, v);
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The fields of before and after, one row each (nested objects such as a round's params flattened to `params.key`,
 * up to three levels), in the order they first appear; fields alike on both sides are left out unless `all`.
 */
export function fieldRows(before: unknown, after: unknown, all = false): FieldRow[] {
  const b = new Map<string, unknown>();
  const a = new Map<string, unknown>();
  flatten(before ?? {}, '', b, 0);
  flatten(after ?? {}, '', a, 0);
  const rows: FieldRow[] = [];
  for (const path of new Set([...b.keys(), ...a.keys()])) {
    const hasB = b.has(path);
    const hasA = a.has(path);
    const x = hasB ? b.get(path) : null;
    const y = hasA ? a.get(path) : null;
    if (!all && hasB && hasA && same(x, y)) continue;
    rows.push({ path, before: x, after: y, kind: hasB && hasA ? 'changed' : hasA ? 'added' : 'removed' });
  }
  return rows;
}

/** One row of a change list as the trail keeps it (api/src/domain/pricing/change-summary.ts). */
export interface ChangeRowDiff {
  itemCode: string;
  level: number;
  kind: 'added' | 'removed' | 'changed' | 'reason';
  from: { oldPriceFen: number; newPriceFen: number; reason: string | null } | null;
  to: { oldPriceFen: number; newPriceFen: number; reason: string | null } | null;
}

export interface ChangeSummaryView {
  added: number;
  removed: number;
  repriced: number;
  reworded: number;
  netDeltaFen: number | null;
  rows: ChangeRowDiff[];
  omitted: number;
}

/** The change-list summary in a record's details, when the record is a write of a scenario's changes. */
export function changeSummaryOf(details: unknown): ChangeSummaryView | null {
  if (!isObject(details) || !isObject(details.changes)) return null;
  const c = details.changes;
  if (typeof c.added !== 'number' || !Array.isArray(c.rows)) return null;
  return c as unknown as ChangeSummaryView;
}

/** The details left once the change summary is shown on its own (null when nothing is left). */
export function otherDetails(details: unknown): Record<string, unknown> | null {
  if (!isObject(details)) return null;
  const rest = Object.fromEntries(Object.entries(details).filter(([k]) => k !== 'changes'));
  return Object.keys(rest).length ? rest : null;
}

/** Whether a field holds money in fen (`…Fen`): shown in 元/万元/亿元. */
export const isFenField = (path: string): boolean => /Fen$/.test(path.split('.').pop() ?? '');

/** The i18n key of a field's label (`params.changeCap` → `audit.fields.params_changeCap`). */
export const fieldKey = (path: string): string => `audit.fields.${path.replace(/\./g, '_')}`;

/** Whether a field holds a rate kept as a decimal (a round's 调价幅度上限 0.3): shown as a percentage. */
export const isRateField = (path: string): boolean => /^(changeCap|itemShareFloor|labourRuleShare|labourItemThreshold)$/.test(path.split('.').pop() ?? '');
