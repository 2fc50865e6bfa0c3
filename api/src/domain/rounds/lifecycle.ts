import type { RoundKind, RoundStatus } from './params';

/**
 * Life cycle of a round: draft → evaluated → triggered | blocked → scenarios → approved → implemented. A blocked
 * round goes on to scenarios only when it is a 专项调整 (kind special, exempt from constraints). Historic rounds
 * (loaded from an implemented 调价项目表) are read-only.
 */
export const NEXT_STATUS: Readonly<Record<RoundStatus, readonly RoundStatus[]>> = {
  draft: ['evaluated'],
  evaluated: ['triggered', 'blocked'],
  triggered: ['scenarios'],
  blocked: ['scenarios'],
  scenarios: ['approved'],
  approved: ['implemented'],
  implemented: [],
};

export const STATUS_ZH: Record<RoundStatus, string> = {
  draft: '草稿',
  evaluated: '已评估',
  triggered: '已触发',
  blocked: '受约束',
  scenarios: '方案编制',
  approved: '已批准',
  implemented: '已实施',
};

export function transitionProblem(kind: string, from: RoundStatus, to: RoundStatus): string | null {
  if (kind === 'historic') return '历史调价轮次为只读 (historic rounds are read-only)';
  if (!NEXT_STATUS[from].includes(to)) {
    const allowed = NEXT_STATUS[from].map((s) => `${s}（${STATUS_ZH[s]}）`).join('、') || '无';
    return `不能从 ${from}（${STATUS_ZH[from]}）变更为 ${to}（${STATUS_ZH[to]}），可变更为：${allowed} (illegal transition ${from} → ${to})`;
  }
  if (from === 'blocked' && to === 'scenarios' && kind !== 'special') {
    return '受约束条件限制的轮次只有专项调整（kind special）才能进入方案编制 (a blocked round goes on only as a special adjustment)';
  }
  return null;
}

/** A round's parameters and scenarios are fixed once it is historic, approved or implemented. */
export function roundLocked(r: { kind: RoundKind | string; status: RoundStatus | string }): boolean {
  return r.kind === 'historic' || r.status === 'approved' || r.status === 'implemented';
}

/** A scenario's changes may be written only while it is a draft of a round that is not locked. */
export function scenarioLocked(s: { status: string; roundStatus: string; roundKind: string }): boolean {
  return s.status !== 'draft' || roundLocked({ kind: s.roundKind, status: s.roundStatus });
}
