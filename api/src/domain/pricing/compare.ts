/**
 * Scenarios of one round side by side: the rows (item × hospital level) whose new price is not the same in every
 * scenario. A scenario that does not change a row leaves it at its price in force, so a row changed alike by every
 * scenario is not listed, and a row changed by one scenario only is (its price in force in the others).
 *
 *   newPrice(s, row) = the change's new price when scenario s changes the row, else the row's old price
 *   listed ⇔ max_s newPrice(s, row) ≠ min_s newPrice(s, row);   spreadFen = max − min
 *
 * The old price of a row is the price in force on the round's price date (`priceOf`), else the old price stored with
 * a change of it (a level priced only through a scenario).
 */
import type { Fen } from '../money';
import { rowKey, rowOrder } from './rows';

export interface PriceChangeLike {
  itemCode: string;
  level: number;
  oldPriceFen: Fen;
  newPriceFen: Fen;
}

export interface ComparedRow {
  itemCode: string;
  level: number;
  oldPriceFen: Fen;
  /** One per scenario, in the order given. */
  newPricesFen: Fen[];
  /** max − min of newPricesFen */
  spreadFen: Fen;
}

export function differingPrices(scenarios: readonly (readonly PriceChangeLike[])[], priceOf: (key: string) => Fen | undefined): ComparedRow[] {
  const byScenario = scenarios.map((changes) => new Map(changes.map((c) => [rowKey(c.itemCode, c.level), c])));
  const keys = new Map<string, PriceChangeLike>();
  for (const changes of scenarios) for (const c of changes) if (!keys.has(rowKey(c.itemCode, c.level))) keys.set(rowKey(c.itemCode, c.level), c);
  const out: ComparedRow[] = [];
  for (const [key, first] of keys) {
    const oldPriceFen = priceOf(key) ?? first.oldPriceFen;
    const newPricesFen = byScenario.map((m) => m.get(key)?.newPriceFen ?? oldPriceFen);
    let min = newPricesFen[0];
    let max = newPricesFen[0];
    for (const p of newPricesFen) {
      if (p < min) min = p;
      if (p > max) max = p;
    }
    if (max !== min) out.push({ itemCode: first.itemCode, level: first.level, oldPriceFen, newPricesFen, spreadFen: max - min });
  }
  return out.sort(rowOrder);
}
