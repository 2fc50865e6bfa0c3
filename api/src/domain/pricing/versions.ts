/**
 * Two versions of one scenario side by side: which rows (item × hospital level) of the change list differ, and how
 * the impact summary moved.
 *
 * changeListDiff — a row is
 *   added    when only `to` changes it,
 *   removed  when only `from` changes it,
 *   changed  when both change it with another old or new price,
 *   reason   when both change it with the same prices and another reason;
 * rows alike in both are not listed. Rows come in item-code order, level 3 → 1 (rowOrder).
 *
 * impactDifference — each figure of the impact summary (ImpactResult) as from, to and to − from (exact: integer fen
 * and counts), the labour share of the raised amount, the net by category and by level (a group missing on one side
 * counts 0), and the checks raised or cleared.
 */
import type { Fen } from '../money';
import type { ImpactGroup, ImpactResult, ScenarioCheckCode } from './impact';
import { rowKey, rowOrder } from './rows';

export interface ListedChange {
  itemCode: string;
  level: number;
  oldPriceFen: Fen;
  newPriceFen: Fen;
  reason: string | null;
}

export type RowDiffKind = 'added' | 'removed' | 'changed' | 'reason';

export interface RowDiff {
  itemCode: string;
  level: number;
  kind: RowDiffKind;
  /** the row in `from` (null: added) and in `to` (null: removed) */
  from: { oldPriceFen: Fen; newPriceFen: Fen; reason: string | null } | null;
  to: { oldPriceFen: Fen; newPriceFen: Fen; reason: string | null } | null;
}

const side = (c: ListedChange) => ({ oldPriceFen: c.oldPriceFen, newPriceFen: c.newPriceFen, reason: c.reason });

export function changeListDiff(from: readonly ListedChange[], to: readonly ListedChange[]): RowDiff[] {
  const before = new Map(from.map((c) => [rowKey(c.itemCode, c.level), c]));
  const out: RowDiff[] = [];
  for (const c of to) {
    const k = rowKey(c.itemCode, c.level);
    const b = before.get(k);
    before.delete(k);
    if (!b) out.push({ itemCode: c.itemCode, level: c.level, kind: 'added', from: null, to: side(c) });
    else if (b.oldPriceFen !== c.oldPriceFen || b.newPriceFen !== c.newPriceFen) out.push({ itemCode: c.itemCode, level: c.level, kind: 'changed', from: side(b), to: side(c) });
    else if ((b.reason ?? null) !== (c.reason ?? null)) out.push({ itemCode: c.itemCode, level: c.level, kind: 'reason', from: side(b), to: side(c) });
  }
  for (const b of before.values()) out.push({ itemCode: b.itemCode, level: b.level, kind: 'removed', from: side(b), to: null });
  return out.sort(rowOrder);
}

/** The figures of the impact summary compared one by one. */
export const DIFFERENCE_FIGURES = [
  'netFen', 'grossUpFen', 'grossDownFen', 'fundFen', 'outOfPocketFen', 'baseRevenueFen', 'newRevenueFen', 'totalFen', 'overByFen',
  'changedRowCount', 'upRowCount', 'downRowCount', 'adjustedItemCount',
] as const satisfies readonly (keyof ImpactResult)[];
export type DifferenceFigure = (typeof DIFFERENCE_FIGURES)[number];

export interface FigureDifference {
  from: number;
  to: number;
  /** to − from */
  difference: number;
}

export interface GroupDifference {
  key: string;
  labelZh: string;
  /** net adjustment Σ ΔP·Q of the group in each version and to − from */
  fromNetFen: Fen;
  toNetFen: Fen;
  differenceFen: Fen;
}

export interface ImpactDifference {
  figures: Record<DifferenceFigure, FigureDifference>;
  /** labour-dominant items' part of the raised amount (null when nothing is raised) */
  labourShare: { from: number | null; to: number | null; difference: number | null };
  byCategory: GroupDifference[];
  byLevel: GroupDifference[];
  /** check codes `to` raises that `from` did not, and those it clears */
  checks: { raised: ScenarioCheckCode[]; cleared: ScenarioCheckCode[] };
}

function groupDifference(from: readonly ImpactGroup[], to: readonly ImpactGroup[]): GroupDifference[] {
  const a = new Map(from.map((g) => [g.key, g]));
  const b = new Map(to.map((g) => [g.key, g]));
  const keys = [...new Set([...from.map((g) => g.key), ...to.map((g) => g.key)])];
  return keys.map((key) => {
    const x = a.get(key)?.netFen ?? 0;
    const y = b.get(key)?.netFen ?? 0;
    return { key, labelZh: (b.get(key) ?? a.get(key))!.labelZh, fromNetFen: x, toNetFen: y, differenceFen: y - x };
  });
}

export function impactDifference(from: ImpactResult, to: ImpactResult): ImpactDifference {
  const figures = {} as Record<DifferenceFigure, FigureDifference>;
  for (const f of DIFFERENCE_FIGURES) figures[f] = { from: from[f], to: to[f], difference: to[f] - from[f] };
  const ls = { from: from.labour.share, to: to.labour.share };
  const codesFrom = new Set(from.checks.map((c) => c.code));
  const codesTo = new Set(to.checks.map((c) => c.code));
  return {
    figures,
    labourShare: { ...ls, difference: ls.from === null || ls.to === null ? null : ls.to - ls.from },
    byCategory: groupDifference(from.byCategory, to.byCategory),
    byLevel: groupDifference(from.byLevel, to.byLevel),
    checks: { raised: [...codesTo].filter((c) => !codesFrom.has(c)), cleared: [...codesFrom].filter((c) => !codesTo.has(c)) },
  };
}
