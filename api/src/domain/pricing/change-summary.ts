/**
 * The audit trail's record of a write to a scenario's change list: not the list itself (a scenario may hold 10,000
 * rows, already stored in its version) but what the write did to it.
 *
 * changeSummary(from, to) — `from` is the rows the write touched as they were before it (every row for a write of the
 * whole list; for a PATCH only the rows it set or removed), `to` the same rows after it. The summary counts the rows
 * added, removed, re-priced (another old or new price) and re-worded (another reason only), lists up to `limit` of
 * them (default 50) with both sides in item and level order, and — when a row's base-year volume is given — the net
 * Σ ΔP·Q the write added to the scenario: Σ over `to` of (P¹ − P⁰)·Q minus the same over `from`, rounded to the fen
 * (null without volumes, or past the exact integer range).
 */
import type { Fen } from '../money';
import { changeListDiff, type ListedChange, type RowDiff } from './versions';

export interface ChangeSummary {
  added: number;
  removed: number;
  repriced: number;
  reworded: number;
  /** the net Σ ΔP·Q the write added (fen), or null when volumes were not given */
  netDeltaFen: Fen | null;
  /** the first `limit` differing rows, with both sides */
  rows: RowDiff[];
  /** differing rows not listed in `rows` */
  omitted: number;
}

export function changeSummary(
  from: readonly ListedChange[],
  to: readonly ListedChange[],
  options: { limit?: number; quantity?: (itemCode: string, level: number) => number } = {},
): ChangeSummary {
  const limit = options.limit ?? 50;
  const diff = changeListDiff(from, to);
  const counts = { added: 0, removed: 0, changed: 0, reason: 0 };
  for (const d of diff) counts[d.kind]++;
  let netDeltaFen: number | null = null;
  const q = options.quantity;
  if (q) {
    let net = 0;
    for (const d of diff) {
      if (d.kind === 'reason') continue;
      const qty = q(d.itemCode, d.level);
      if (d.to) net += (d.to.newPriceFen - d.to.oldPriceFen) * qty;
      if (d.from) net -= (d.from.newPriceFen - d.from.oldPriceFen) * qty;
    }
    const r = Math.round(net);
    netDeltaFen = Number.isSafeInteger(r) ? r : null;
  }
  return {
    added: counts.added,
    removed: counts.removed,
    repriced: counts.changed,
    reworded: counts.reason,
    netDeltaFen,
    rows: diff.slice(0, limit),
    omitted: Math.max(0, diff.length - limit),
  };
}
