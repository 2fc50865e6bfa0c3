/**
 * The round's base facts in the browser (GET /api/scenarios/:id/facts, an Arrow IPC stream read once per scenario and
 * data revision) and the scenario's impact recomputed from them on every edit, with the same domain functions and
 * the same inputs as the server (ImpactService.impact), so that the editor's panel equals the server's answer after
 * saving, to the fen.
 *
 * Rows are the priced item × level rows of the round in rowOrder (plus the saved scenario's changes at unpriced
 * levels). A recompute places the current changes on them as the server's placeChanges does, runs analyzeImpact with the total and
 * parameters the server uses, and the 医疗服务收入占比 from the base-year indicator. The base rows' columns are built
 * once and only the changed prices are patched per edit (withPrices).
 */
import { tableFromIPC } from 'apache-arrow';
import {
  analyzeImpact,
  changedRow,
  impactColumns,
  rowGroups,
  rowKey,
  serviceRevenueShare,
  withPrices,
  type FundShareSource,
  type ImpactColumns,
  type ImpactResult,
  type ImpactRow,
  type LabourShareSource,
  type RowGroups,
  type ServiceShareChange,
} from '@domain/pricing';
import { percentTextToRate } from '@domain/rational';
import type { CategoryFamily, HospitalLevel } from '@domain/reference';
import type { ScenarioFactsMeta } from '../../../api/src/impact/impact.schemas';

export type { ScenarioFactsMeta };

export interface FactsRow extends ImpactRow {
  /** the row's index in the facts: a unique key for tables */
  id: number;
  kind: 'general' | 'complex' | null;
  extra: boolean;
}

export interface ScenarioFacts {
  meta: ScenarioFactsMeta;
  rows: FactsRow[];
  /** `${itemCode}|${level}` → index in rows */
  index: Map<string, number>;
  columns: ImpactColumns;
  groups: RowGroups;
}

export interface ChangeLike {
  itemCode: string;
  level: number;
  oldPriceFen: number;
  newPriceFen: number;
  reason: string | null;
}

export interface Recomputed {
  summary: ImpactResult;
  serviceRevenueShare: ServiceShareChange | null;
}

const META_KEY = 'mspr';

export function decodeFacts(bytes: ArrayBuffer | Uint8Array): ScenarioFacts {
  const table = tableFromIPC(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  const metaText = table.schema.metadata.get(META_KEY);
  if (!metaText) throw new Error('facts: the Arrow stream has no metadata');
  const meta = JSON.parse(metaText) as ScenarioFactsMeta;
  // each column read once as a plain array (much faster than get(i) per cell)
  const col = (name: string): unknown[] => {
    const c = table.getChild(name);
    if (!c) throw new Error(`facts: column ${name} is missing`);
    return Array.from(c as Iterable<unknown>);
  };
  const [itemCode, name, unit, categoryCode, family, kind, paymentClass, level, oldPriceFen, quantity, fundShare, fundShareSource, unitCostFen, labourShare, labourShareSource, extra] = [
    'itemCode', 'name', 'unit', 'categoryCode', 'family', 'kind', 'paymentClass', 'level', 'oldPriceFen', 'quantity', 'fundShare',
    'fundShareSource', 'unitCostFen', 'labourShare', 'labourShareSource', 'extra',
  ].map(col);
  const n = table.numRows;
  const rows: FactsRow[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const p0 = oldPriceFen[i] as number;
    // the same fields in the same order as the server's rows (region-facts.cache makeRow)
    rows[i] = {
      itemCode: itemCode[i] as string,
      name: name[i] as string,
      unit: unit[i] as string | null,
      categoryCode: categoryCode[i] as string,
      family: family[i] as CategoryFamily,
      level: level[i] as HospitalLevel,
      oldPriceFen: p0,
      newPriceFen: p0,
      quantity: quantity[i] as number,
      fundShare: fundShare[i] as number,
      fundShareSource: fundShareSource[i] as FundShareSource,
      unitCostFen: unitCostFen[i] as number | null,
      labourShare: labourShare[i] as number | null,
      labourShareSource: labourShareSource[i] as LabourShareSource,
      paymentClass: paymentClass[i] as string | null,
      changed: false,
      reason: null,
      id: i,
      kind: kind[i] as FactsRow['kind'],
      extra: extra[i] === '1',
    };
  }
  const index = new Map(rows.map((r, i) => [rowKey(r.itemCode, r.level), i]));
  return { meta, rows, index, columns: impactColumns(rows), groups: rowGroups(rows) };
}

/** The impact of `changes` (each at most once per item and level, at a row of the facts) as the server computes it. */
export function recompute(facts: ScenarioFacts, changes: readonly ChangeLike[]): Recomputed {
  return new LiveImpact(facts, changes).compute();
}

/**
 * The impact kept current edit by edit: the rows with the changes in place are kept, and an edit replaces one row
 * instead of placing every change again (the same rows the server's placeChanges builds).
 */
export class LiveImpact {
  private readonly rows: ImpactRow[];
  private readonly changedRows = new Set<number>();

  constructor(
    private readonly facts: ScenarioFacts,
    changes: readonly ChangeLike[],
  ) {
    this.rows = facts.rows.slice();
    for (const c of changes) {
      const i = facts.index.get(rowKey(c.itemCode, c.level));
      if (i === undefined) throw new Error(`facts: no row for ${c.itemCode} at level ${c.level}`);
      this.rows[i] = changedRow(facts.rows[i], c.oldPriceFen, c.newPriceFen, c.reason);
      this.changedRows.add(i);
    }
  }

  /** Row i at a new price (its old price: back to the unchanged row). */
  set(i: number, newPriceFen: number, reason: string | null = null): void {
    const base = this.facts.rows[i];
    if (newPriceFen === base.oldPriceFen) {
      this.rows[i] = base;
      this.changedRows.delete(i);
    } else {
      this.rows[i] = changedRow(base, base.oldPriceFen, newPriceFen, reason);
      this.changedRows.add(i);
    }
  }

  compute(): Recomputed {
    const changed = Int32Array.from(this.changedRows).sort();
    const m = this.facts.meta;
    const summary = analyzeImpact(this.rows, m.total.totalFen, {
      catalogueItemCount: this.facts.groups.itemCount,
      changeCap: m.params.changeCap,
      itemShareFloor: m.params.itemShareFloor,
      labourRuleShare: m.params.labourRuleShare,
      labourItemThreshold: m.params.labourItemThreshold,
    });
    let share: ServiceShareChange | null = null;
    if (m.serviceShare) {
      const cols = withPrices(this.facts.columns, this.rows, changed);
      share = serviceRevenueShare(cols, this.facts.groups.quantity, this.facts.groups.examLab, changed, percentTextToRate(m.serviceShare.value));
    }
    return { summary, serviceRevenueShare: share };
  }
}
