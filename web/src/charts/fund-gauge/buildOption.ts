/**
 * How much of the fund's capacity the adjustment total uses: total ÷ the largest increase the fund can bear while
 * keeping its current balance ≥ 0 and its reserve ≥ the minimum months (TotalResult.maxIncreaseFen), as a gauge in %.
 */
export function buildFundGaugeOption(totalFen: number, maxIncreaseFen: number, label: string) {
  const used = maxIncreaseFen > 0 ? Math.round((totalFen / maxIncreaseFen) * 1000) / 10 : 100;
  return {
    animation: false,
    series: [
      {
        type: 'gauge',
        name: label,
        min: 0,
        max: 100,
        progress: { show: true, width: 14 },
        axisLine: { lineStyle: { width: 14, color: [[0.8, '#67c23a'], [0.95, '#e6a23c'], [1, '#f56c6c']] } },
        axisLabel: { fontSize: 10 },
        detail: { valueAnimation: false, formatter: '{value}%', fontSize: 20, offsetCenter: [0, '60%'] },
        title: { offsetCenter: [0, '90%'], fontSize: 12 },
        data: [{ value: Math.min(used, 100), name: label }],
      },
    ],
  };
}
