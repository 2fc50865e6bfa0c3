import { Float64, Int8, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import type { ImpactRow } from '../domain/pricing';
import type { ScenarioFactsMeta } from './impact.schemas';

/** Schema metadata key holding the JSON of ScenarioFactsMeta. */
export const FACTS_META_KEY = 'mspr';

/**
 * The round's rows (item × hospital level priced on the price date, unchanged, in rowOrder, plus the saved
 * scenario's changes at unpriced levels, flagged extra) as an Arrow IPC stream. Prices, costs and quantities are
 * Float64, which holds every integer up to 2^53 exactly (they decode to the same JavaScript numbers); shares Float64;
 * level Int8; texts Utf8; null where the domain row has null.
 */
export function factsToArrow(rows: readonly ImpactRow[], extra: readonly boolean[], kindOf: (code: string) => string | null, meta: ScenarioFactsMeta): Uint8Array {
  const text = (f: (r: ImpactRow, i: number) => string | null) => vectorFromArray(rows.map(f), new Utf8());
  const num = (f: (r: ImpactRow) => number | null | undefined) => vectorFromArray(rows.map((r) => f(r) ?? null), new Float64());
  const table = new Table({
    itemCode: text((r) => r.itemCode),
    name: text((r) => r.name),
    unit: text((r) => r.unit),
    categoryCode: text((r) => r.categoryCode),
    family: text((r) => r.family),
    kind: text((r) => kindOf(r.itemCode)),
    paymentClass: text((r) => r.paymentClass),
    level: vectorFromArray(rows.map((r) => r.level), new Int8()),
    oldPriceFen: num((r) => r.oldPriceFen),
    quantity: num((r) => r.quantity),
    fundShare: num((r) => r.fundShare),
    fundShareSource: text((r) => r.fundShareSource),
    unitCostFen: num((r) => r.unitCostFen),
    labourShare: num((r) => r.labourShare),
    labourShareSource: text((r) => r.labourShareSource ?? null),
    extra: text((_r, i) => (extra[i] ? '1' : null)),
  });
  table.schema.metadata.set(FACTS_META_KEY, JSON.stringify(meta));
  return tableToIPC(table, 'stream');
}
