/**
 * The allocation of the adjustment total to hospitals: the largest `top` hospitals by amount as bars (万元), the rest
 * summed as one bar labelled `otherLabel`. Pure: rows in, option out.
 */
export interface AllocationRow {
  name: string;
  amountFen: number;
}

const wan = (fen: number): number => Math.round(fen / 10_000) / 100;

export function buildAllocationOption(rows: readonly AllocationRow[], unit: string, otherLabel: string, top = 20) {
  const sorted = [...rows].sort((a, b) => b.amountFen - a.amountFen);
  const shown = sorted.slice(0, top);
  const rest = sorted.slice(top).reduce((s, r) => s + r.amountFen, 0);
  const bars = rest ? [...shown, { name: otherLabel, amountFen: rest }] : shown;
  return {
    animation: false,
    grid: { left: 150, right: 40, top: 16, bottom: 24 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => `${v} ${unit}` },
    xAxis: { type: 'value', name: unit, axisLabel: { fontSize: 10 } },
    yAxis: { type: 'category', inverse: true, data: bars.map((b) => b.name), axisLabel: { fontSize: 11, width: 140, overflow: 'truncate' } },
    series: [{ type: 'bar', name: unit, itemStyle: { color: '#1f4e79' }, data: bars.map((b) => wan(b.amountFen)) }],
  };
}
