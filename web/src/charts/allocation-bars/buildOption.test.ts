import { describe, expect, it } from 'vitest';
import { buildAllocationOption } from './buildOption';

describe('allocation bars', () => {
  it('shows the top hospitals and the rest as one bar, in 万元, the sum kept', () => {
    const rows = [
      { name: 'A', amountFen: 3_000_000 },
      { name: 'B', amountFen: 1_000_000 },
      { name: 'C', amountFen: 2_000_000 },
      { name: 'D', amountFen: 500_000 },
    ];
    const o = buildAllocationOption(rows, '万元', '其他', 2);
    expect(o.yAxis.data).toEqual(['A', 'C', '其他']);
    expect(o.series[0].data).toEqual([3, 2, 1.5]);
    expect(buildAllocationOption(rows, '万元', '其他').yAxis.data).toEqual(['A', 'C', 'B', 'D']);
  });
});
