import { describe, expect, it } from 'vitest';
import { actionKey, changeSummaryOf, fieldRows, isFenField, isRateField, otherDetails } from './auditView';

describe('audit page view helpers', () => {
  it('lists the changed fields of a round update, its params flattened, with the side a field is missing on', () => {
    const before = { name: '旧名', params: { changeCap: 0.3, fundCap: 0.02 }, version: 1 };
    const after = { name: '新名', params: { changeCap: 0.2, itemShareFloor: 0.1 }, version: 2 };
    expect(fieldRows(before, after)).toEqual([
      { path: 'name', before: '旧名', after: '新名', kind: 'changed' },
      { path: 'params.changeCap', before: 0.3, after: 0.2, kind: 'changed' },
      { path: 'params.fundCap', before: 0.02, after: null, kind: 'removed' },
      { path: 'version', before: 1, after: 2, kind: 'changed' },
      { path: 'params.itemShareFloor', before: null, after: 0.1, kind: 'added' },
    ]);
  });

  it('shows a creation (no before) as added fields, and keeps alike fields only when asked', () => {
    expect(fieldRows(null, { name: 'x', year: 2025 })).toEqual([
      { path: 'name', before: null, after: 'x', kind: 'added' },
      { path: 'year', before: null, after: 2025, kind: 'added' },
    ]);
    expect(fieldRows({ a: 1 }, { a: 1 })).toEqual([]);
    expect(fieldRows({ a: 1 }, { a: 1 }, true)).toHaveLength(1);
    // arrays (a rule set's rules) stay one field
    expect(fieldRows({ rules: [1] }, { rules: [1, 2] })).toEqual([{ path: 'rules', before: [1], after: [1, 2], kind: 'changed' }]);
  });

  it('finds the change-list summary of a scenario write and leaves the rest of the details', () => {
    const details = { restoredFrom: 2, changes: { added: 1, removed: 0, repriced: 0, reworded: 0, netDeltaFen: 100, rows: [], omitted: 0 } };
    expect(changeSummaryOf(details)).toEqual(details.changes);
    expect(otherDetails(details)).toEqual({ restoredFrom: 2 });
    expect(changeSummaryOf({ from: 'draft' })).toBeNull();
    expect(otherDetails({ changes: details.changes })).toBeNull();
  });

  it('names i18n keys of actions and money fields', () => {
    expect(actionKey('scenario.changes.put')).toBe('audit.actions.scenario_changes_put');
    expect(isFenField('params.totalFen')).toBe(true);
    expect(isFenField('version')).toBe(false);
    expect(isRateField('params.changeCap')).toBe(true);
    expect(isRateField('params.totalFen')).toBe(false);
  });
});
