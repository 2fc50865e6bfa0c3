/**
 * Input guards shared by the pricing modules. They throw RangeError with the field name, so a bad import row is
 * reported rather than silently rounded: money must be integer fen, counts integer, rates finite decimals.
 */

export function assertFen(x: number, what: string): void {
  if (!Number.isSafeInteger(x)) throw new RangeError(`${what} must be an integer number of fen, got ${x}`);
}

export function assertNonNegativeFen(x: number, what: string): void {
  if (!Number.isSafeInteger(x) || x < 0) throw new RangeError(`${what} must be a non-negative integer number of fen, got ${x}`);
}

export function assertCount(x: number, what: string): void {
  if (!Number.isSafeInteger(x) || x < 0) throw new RangeError(`${what} must be a non-negative integer, got ${x}`);
}

export function assertFinite(x: number, what: string): void {
  if (!Number.isFinite(x)) throw new RangeError(`${what} must be a finite number, got ${x}`);
}

/** A share in [0, 1]. */
export function assertShare(x: number, what: string): void {
  if (!Number.isFinite(x) || x < 0 || x > 1) throw new RangeError(`${what} must be a decimal between 0 and 1, got ${x}`);
}

export function assertNonNegative(x: number, what: string): void {
  if (!Number.isFinite(x) || x < 0) throw new RangeError(`${what} must be a non-negative number, got ${x}`);
}

/** Throws when a running sum of fen left the exact integer range. */
export function assertSafeSum(x: number, what: string): void {
  if (!Number.isSafeInteger(x)) throw new RangeError(`${what} exceeds the exact integer range`);
}
