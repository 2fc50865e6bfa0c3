/**
 * 成本回收率 ranking: the items with the lowest (or highest) recovery (price ÷ unit cost) as horizontal bars in
 * percent, the first of the ranking at the top, with a line at 100% (price = cost), which the axis always reaches so
 * that a ranking entirely below cost still shows how far below it lies. Labels carry one decimal ("49.0%"). Rows without a cost are left out.
 * A bar's item code is kept in the category label ("code name") and in the data, so a click can open it. Pure.
 */
export interface RecoveryRow {
  itemCode: string;
  name: string;
  recovery: number | null;
}

export interface RecoveryRankingLabels {
  recovery: string;
  parity: string;
}

/** The n rows with the lowest (highest) recovery, ranked; ties by item code. */
export function rankRecovery<T extends RecoveryRow>(rows: readonly T[], which: 'lowest' | 'highest', n: number): T[] {
  const sign = which === 'lowest' ? 1 : -1;
  return rows
    .filter((r) => r.recovery !== null && Number.isFinite(r.recovery))
    .sort((a, b) => sign * (a.recovery! - b.recovery!) || (a.itemCode < b.itemCode ? -1 : a.itemCode > b.itemCode ? 1 : 0))
    .slice(0, n);
}

const pct = (r: number): number => Math.round(r * 1000) / 10;
/** A percent value with one decimal, as the labels and the tooltip show it: 49 → "49.0%". */
export const pctText = (v: number): string => `${v.toFixed(1)}%`;

export function buildRecoveryRankingOption(rows: readonly RecoveryRow[], which: 'lowest' | 'highest', n: number, l: RecoveryRankingLabels) {
  const ranked = rankRecovery(rows, which, n);
  // the first of the ranking at the top of a horizontal bar chart: the category axis runs bottom-up
  const shown = [...ranked].reverse();
  const color = which === 'lowest' ? '#2e86c1' : '#c0392b';
  const top = Math.max(0, ...ranked.map((r) => pct(r.recovery!)));
  return {
    animation: false,
    grid: { left: 8, right: 56, top: 16, bottom: 28, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: pctText },
    // below 100% the axis is drawn to 100 (the parity line); above, ECharts rounds the largest bar up
    xAxis: { type: 'value', name: `${l.recovery}（%）`, nameLocation: 'middle', nameGap: 22, max: top < 100 ? 100 : undefined, axisLabel: { fontSize: 11 } },
    yAxis: {
      type: 'category',
      data: shown.map((r) => `${r.itemCode} ${r.name}`),
      axisLabel: { fontSize: 11, width: 220, overflow: 'truncate' },
    },
    series: [
      {
        name: l.recovery,
        type: 'bar',
        data: shown.map((r) => ({ value: pct(r.recovery!), itemCode: r.itemCode })),
        itemStyle: { color },
        label: { show: true, position: 'right', fontSize: 11, formatter: (p: { value: number }) => pctText(p.value) },
        markLine: { silent: true, symbol: 'none', label: { formatter: l.parity, fontSize: 11 }, lineStyle: { type: 'dashed', color: '#606266' }, data: [{ xAxis: 100 }] },
      },
    ],
  };
}
