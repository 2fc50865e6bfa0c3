/**
 * 监测 by month: the forecast (a line) and the actual (bars) of each month of the monitored year, in 万元 (spending)
 * or in 万次 (volume); a month whose actual departs from the forecast by more than the threshold the user set is drawn
 * in the warning colour and marked with its gap ("+7.0%", one decimal as the table writes it), the legend naming that
 * colour (an empty bar series in the bars' own slot, so the bars keep their width). Unreported months have no bar. Each bar's data keeps the figures behind the point
 * (forecast, actual, gap, gap rate) for the tooltip and the table. Pure: points in, option out.
 */
export interface MonitorPoint {
  month: number;
  forecast: number;
  actual: number | null;
  /** actual ÷ forecast − 1; null when unreported or the forecast is 0 */
  gapRate: number | null;
}

export interface MonitoringLabels {
  forecast: string;
  actual: string;
  flagged: string;
  gap: string;
  unit: string;
  month: (m: number) => string;
}

const FLAG = '#c0392b';
const OK = '#1f4e79';

/** Whether a point's gap exceeds the threshold (decimal) in either direction; unreported months never. */
export const flagged = (p: Pick<MonitorPoint, 'gapRate'>, threshold: number): boolean => p.gapRate !== null && Math.abs(p.gapRate) > threshold;

/** A number in the unit's scale to two decimals, half away from zero (fen → 万元: ÷ 1,000,000; count → 万次: ÷ 10,000). */
export const scaled = (v: number, divisor: number): number => {
  const x = Math.round(Math.abs(v / divisor) * 100) / 100;
  return v < 0 && x !== 0 ? -x : x;
};

export function buildMonitoringOption(points: readonly MonitorPoint[], threshold: number, divisor: number, l: MonitoringLabels) {
  const pct = (r: number | null) => (r === null ? '—' : `${r > 0 ? '+' : ''}${(Math.round(r * 1000) / 10).toFixed(1)}%`);
  return {
    animation: false,
    grid: { left: 64, right: 24, top: 40, bottom: 32 },
    // the legend explains the colours; hiding a series from it would leave the flagged one as an empty entry
    legend: { top: 0, data: [l.actual, l.flagged, l.forecast], selectedMode: false },
    tooltip: {
      trigger: 'axis',
      formatter: (ps: { dataIndex: number }[]) => {
        const p = points[ps[0]?.dataIndex ?? 0];
        if (!p) return '';
        const head = `${l.month(p.month)}${flagged(p, threshold) ? ` · <b style="color:${FLAG}">${l.flagged}</b>` : ''}`;
        const actual = p.actual === null ? '—' : `${scaled(p.actual, divisor)} ${l.unit}`;
        return `${head}<br/>${l.forecast}：${scaled(p.forecast, divisor)} ${l.unit}<br/>${l.actual}：${actual}<br/>${l.gap}：${pct(p.gapRate)}`;
      },
    },
    xAxis: { type: 'category', data: points.map((p) => l.month(p.month)), axisLabel: { fontSize: 11 } },
    yAxis: { type: 'value', name: l.unit, axisLabel: { fontSize: 11 } },
    series: [
      {
        name: l.actual,
        type: 'bar',
        itemStyle: { color: OK },
        data: points.map((p) =>
          p.actual === null
            ? { value: null, month: p.month }
            : { value: scaled(p.actual, divisor), month: p.month, flagged: flagged(p, threshold), itemStyle: { color: flagged(p, threshold) ? FLAG : OK } },
        ),
        label: {
          show: true,
          position: 'top',
          fontSize: 10,
          color: FLAG,
          formatter: (x: { dataIndex: number }) => (flagged(points[x.dataIndex], threshold) ? pct(points[x.dataIndex].gapRate) : ''),
        },
      },
      {
        name: l.forecast,
        type: 'line',
        symbol: 'circle',
        symbolSize: 6,
        itemStyle: { color: '#e67e22' },
        lineStyle: { type: 'dashed' },
        data: points.map((p) => scaled(p.forecast, divisor)),
      },
      // the legend's entry for the warning colour: no data, drawn over the actual bars' slot (barGap -100%)
      { name: l.flagged, type: 'bar', data: [], itemStyle: { color: FLAG }, barGap: '-100%', silent: true },
    ],
  };
}
