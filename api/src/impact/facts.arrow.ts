import { Dictionary, Float64, Int32, Int8, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import type { ImpactRow } from '../domain/pricing';
import type { ScenarioFactsMeta } from './impact.schemas';

/** Schema metadata key holding the JSON of ScenarioFactsMeta. */
export const FACTS_META_KEY = 'mspr';

/**
 * The round's rows (item × hospital level priced on the price date, unchanged, in rowOrder, plus the saved
 * scenario's changes at unpriced levels, flagged extra) as an Arrow IPC stream. Prices, costs and quantities are
 * Float64, which holds every integer up to 2^53 exactly (they decode to the same JavaScript numbers); shares Float64;
 * level Int8; codes and names Utf8, texts of few distinct values dictionary-encoded; null where the domain row has null.
 */
export function factsToArrow(rows: readonly ImpactRow[], extra: readonly boolean[], kindOf: (code: string) => string | null, meta: ScenarioFactsMeta): Uint8Array {
  const text = (f: (r: ImpactRow, i: number) => string | null) => vectorFromArray(rows.map(f), new Utf8());
  // texts of few distinct values (categories, families, sources…) as dictionaries: a fraction of the bytes
  const codes = (f: (r: ImpactRow, i: number) => string | null) => vectorFromArray(rows.map(f), new Dictionary(new Utf8(), new Int32()));
  const num = (f: (r: ImpactRow) => number | null | undefined) => vectorFromArray(rows.map((r) => f(r) ?? null), new Float64());
  const table = new Table({
    itemCode: text((r) => r.itemCode),
    name: text((r) => r.name),
    unit: codes((r) => r.unit),
    categoryCode: codes((r) => r.categoryCode),
    family: codes((r) => r.family),
    kind: codes((r) => kindOf(r.itemCode)),
    paymentClass: codes((r) => r.paymentClass),
    level: vectorFromArray(rows.map((r) => r.level), new Int8()),
    oldPriceFen: num((r) => r.oldPriceFen),
    quantity: num((r) => r.quantity),
    fundShare: num((r) => r.fundShare),
    fundShareSource: codes((r) => r.fundShareSource),
    unitCostFen: num((r) => r.unitCostFen),
    labourShare: num((r) => r.labourShare),
    labourShareSource: codes((r) => r.labourShareSource ?? null),
    extra: codes((_r, i) => (extra[i] ? '1' : null)),
  });
  table.schema.metadata.set(FACTS_META_KEY, JSON.stringify(meta));
  return tableToIPC(table, 'stream');
}
