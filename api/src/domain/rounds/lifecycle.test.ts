import { describe, expect, it } from 'vitest';
import { NEXT_STATUS, roundLocked, scenarioLocked, transitionProblem } from './lifecycle';
import { ROUND_STATUSES } from './params';

describe('round lifecycle', () => {
  it('moves one step at a time and never back', () => {
    expect(transitionProblem('regular', 'draft', 'evaluated')).toBeNull();
    expect(transitionProblem('regular', 'scenarios', 'approved')).toBeNull();
    expect(transitionProblem('regular', 'draft', 'approved')).toMatch(/不能从 draft（草稿）变更为 approved（已批准），可变更为：evaluated（已评估）/);
    expect(transitionProblem('regular', 'implemented', 'draft')).toMatch(/可变更为：无/);
    // every status but implemented has a next one, and none leads back to draft
    for (const s of ROUND_STATUSES) expect(NEXT_STATUS[s].includes('draft')).toBe(false);
    expect(ROUND_STATUSES.filter((s) => NEXT_STATUS[s].length === 0)).toEqual(['implemented']);
  });

  it('lets a blocked round go on only as a 专项调整, and keeps historic rounds read-only', () => {
    expect(transitionProblem('regular', 'blocked', 'scenarios')).toMatch(/专项调整/);
    expect(transitionProblem('special', 'blocked', 'scenarios')).toBeNull();
    expect(transitionProblem('historic', 'draft', 'evaluated')).toMatch(/只读/);
  });

  it('locks a round once approved, implemented or historic, and a scenario unless a draft of an open round', () => {
    expect(roundLocked({ kind: 'regular', status: 'scenarios' })).toBe(false);
    expect(roundLocked({ kind: 'regular', status: 'approved' })).toBe(true);
    expect(roundLocked({ kind: 'regular', status: 'implemented' })).toBe(true);
    expect(roundLocked({ kind: 'historic', status: 'draft' })).toBe(true);
    expect(scenarioLocked({ status: 'draft', roundStatus: 'scenarios', roundKind: 'regular' })).toBe(false);
    expect(scenarioLocked({ status: 'approved', roundStatus: 'scenarios', roundKind: 'regular' })).toBe(true);
    expect(scenarioLocked({ status: 'draft', roundStatus: 'approved', roundKind: 'special' })).toBe(true);
    expect(scenarioLocked({ status: 'draft', roundStatus: 'draft', roundKind: 'historic' })).toBe(true);
  });
});
