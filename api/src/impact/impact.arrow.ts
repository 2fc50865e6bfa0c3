import { Bool, Float64, Int32, Int64, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import type { ImpactItemRow } from './impact.service';

export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';

/**
 * The items table as an Arrow IPC stream: one column per field of ImpactItemRow, money and counts as Int64, level as
 * Int32, rates and shares as Float64 (null where the JSON has null), texts as Utf8.
 */
export function itemsToArrow(rows: readonly ImpactItemRow[]): Uint8Array {
  const text = (f: (r: ImpactItemRow) => string | null) => vectorFromArray(rows.map(f), new Utf8());
  const int64 = (f: (r: ImpactItemRow) => number | null) =>
    vectorFromArray(
      rows.map((r) => {
        const v = f(r);
        return v === null ? null : BigInt(v);
      }),
      new Int64(),
    );
  const float = (f: (r: ImpactItemRow) => number | null) => vectorFromArray(rows.map(f), new Float64());
  const table = new Table({
    itemCode: text((r) => r.itemCode),
    name: text((r) => r.name),
    unit: text((r) => r.unit),
    categoryCode: text((r) => r.categoryCode),
    family: text((r) => r.family),
    paymentClass: text((r) => r.paymentClass),
    level: vectorFromArray(rows.map((r) => r.level), new Int32()),
    changed: vectorFromArray(rows.map((r) => r.changed), new Bool()),
    oldPriceFen: int64((r) => r.oldPriceFen),
    newPriceFen: int64((r) => r.newPriceFen),
    deltaFen: int64((r) => r.deltaFen),
    changeRate: float((r) => r.changeRate),
    quantity: int64((r) => r.quantity),
    deltaRevenueFen: int64((r) => r.deltaRevenueFen),
    fundShare: float((r) => r.fundShare),
    fundFen: int64((r) => r.fundFen),
    outOfPocketFen: int64((r) => r.outOfPocketFen),
    unitCostFen: int64((r) => r.unitCostFen),
    recoveryBefore: float((r) => r.recoveryBefore),
    recoveryAfter: float((r) => r.recoveryAfter),
    labourShare: float((r) => r.labourShare),
    labourShareSource: text((r) => r.labourShareSource),
    otherRegionCount: vectorFromArray(rows.map((r) => r.otherRegionCount), new Int32()),
    otherMinFen: int64((r) => r.otherMinFen),
    otherMedianFen: float((r) => r.otherMedianFen),
    otherMaxFen: int64((r) => r.otherMaxFen),
    percentileOld: float((r) => r.percentileOld),
    percentileNew: float((r) => r.percentileNew),
  });
  return tableToIPC(table, 'stream');
}
