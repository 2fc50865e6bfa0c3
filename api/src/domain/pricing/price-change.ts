/**
 * A new price given as a percent change of the old one: P¹ = P⁰ × (1 + pct ÷ 100), rounded half away from zero to the
 * fen, computed exactly (the percent is read as the decimal it is written as: 12.5 is 125/1000, not a binary double).
 */
import type { Fen } from '../money';
import * as R from '../rational';

export function priceAfterPercent(oldPriceFen: Fen, pctChange: number): Fen {
  if (!Number.isSafeInteger(oldPriceFen) || oldPriceFen < 0) throw new RangeError(`oldPriceFen must be a non-negative whole number of fen: ${oldPriceFen}`);
  if (!Number.isFinite(pctChange) || pctChange < -100) throw new RangeError(`pctChange must be a number ≥ −100: ${pctChange}`);
  const factor = R.add(R.ONE, R.div(R.fromDecimal(pctChange), R.fromInt(100)));
  return R.toSafeInt(R.roundHalfAway(R.mul(R.fromInt(oldPriceFen), factor)), 'new price');
}
