import { describe, expect, it } from 'vitest';
import { amount, percent, percentFixed } from './format';

describe('web formatting', () => {
  it('percentFixed pads to the decimals asked where percent() drops trailing zeros', () => {
    expect(percent(0.87, 1)).toBe('87%');
    expect(percentFixed(0.87, 1)).toBe('87.0%');
    expect(percentFixed(0.927, 1)).toBe('92.7%');
    // rounded half away from zero first, as percent() does: 0.99951 → 99.95% → "100.0%" at one decimal
    expect(percentFixed(0.99951, 1)).toBe('100.0%');
    expect(percentFixed(-0.05, 2)).toBe('-5.00%');
    expect(percentFixed(1.4053, 0)).toBe('141%');
    expect(percentFixed(null)).toBe('—');
    expect(percentFixed(Number.NaN)).toBe('—');
  });

  it('amount gives the number of a unit named in the header', () => {
    expect(amount(123_456_789, '万元')).toBe('123.46');
    expect(amount(-1_274_900, '万元')).toBe('-1.27');
    expect(amount(null, '万元')).toBe('—');
  });
});
