import { describe, expect, it } from 'vitest';
import { buildFundGaugeOption } from './buildOption';

describe('fund gauge', () => {
  it('shows the total as a share of the fund capacity, to 0.1%, capped at 100', () => {
    expect(buildFundGaugeOption(3_200, 10_000, '占用').series[0].data).toEqual([{ value: 32, name: '占用' }]);
    expect(buildFundGaugeOption(1, 3, 'x').series[0].data[0].value).toBe(33.3);
    expect(buildFundGaugeOption(5, 4, 'x').series[0].data[0].value).toBe(100);
  });
});
