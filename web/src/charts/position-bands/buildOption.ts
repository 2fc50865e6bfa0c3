/**
 * The changed rows of a scenario by the band of their cross-region percentile rank, before and after (the impact's
 * positionSummary.bands): two bars per band, the counts of rows. Pure: bands in, option out.
 */
export interface Band {
  labelZh: string;
  before: number;
  after: number;
}

export interface PositionBandsLabels {
  before: string;
  after: string;
  rows: string;
}

export function buildPositionBandsOption(bands: readonly Band[], l: PositionBandsLabels) {
  return {
    animation: false,
    color: ['#9fb7d3', '#c0392b'],
    grid: { left: 56, right: 16, top: 40, bottom: 48 },
    legend: { top: 0, data: [l.before, l.after] },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => `${v} ${l.rows}` },
    xAxis: { type: 'category', data: bands.map((b) => b.labelZh), axisLabel: { interval: 0, fontSize: 11 } },
    yAxis: { type: 'value', name: l.rows, minInterval: 1, axisLabel: { fontSize: 11 } },
    series: [
      { name: l.before, type: 'bar', data: bands.map((b) => b.before), label: { show: true, position: 'top', fontSize: 11 } },
      { name: l.after, type: 'bar', data: bands.map((b) => b.after), label: { show: true, position: 'top', fontSize: 11 } },
    ],
  };
}
