/**
 * The forecast as a fan over the years: for one figure (net, fund or out-of-pocket), per forecast year the exact range
 * of the assumptions as a light band, P10–P90 as a darker band inside it, the median P50 as a line, and the static
 * figure (base-year volumes held) as a dashed line beside them; amounts in 万元 (axis), every label in the caller's
 * language. Bands are drawn as stacked areas (lower edge, then the width on top); they stack in any sign
 * (stackStrategy 'all'), since a round's net may be negative. Pure: rows in, ECharts option out; the same builder
 * serves the page and the PDF briefing.
 */
import { formatFenAuto } from '../../../../api/src/domain/money';

export interface FanBand {
  p10Fen: number;
  p50Fen: number;
  p90Fen: number;
  minFen: number;
  maxFen: number;
}

export interface FanRow {
  year: number;
  band: FanBand;
  staticFen: number;
}

export interface ForecastFanLabels {
  /** 2024 → "2024年" */
  year: (year: number) => string;
  range: string;
  band: string;
  median: string;
  static: string;
  unit: string;
}

/** fen → 万元 for the axis, to 0.01 万元. */
export const wan = (fen: number): number => Math.round(fen / 10_000) / 100;

export function buildForecastFanOption(rows: readonly FanRow[], labels: ForecastFanLabels) {
  const years = rows.map((r) => labels.year(r.year));
  const area = (color: string, opacity: number) => ({ color, opacity });
  const width = (hi: number, lo: number) => Math.round((hi - lo) * 100) / 100;
  const minW = rows.map((r) => wan(r.band.minFen));
  const p10W = rows.map((r) => wan(r.band.p10Fen));
  return {
    animation: false,
    grid: { left: 72, right: 24, top: 40, bottom: 32 },
    legend: { top: 0, right: 0, data: [labels.static, labels.median, labels.band, labels.range] },
    tooltip: {
      trigger: 'axis',
      formatter: (params: { dataIndex: number }[]) => {
        const r = rows[params[0]?.dataIndex ?? 0];
        if (!r) return '';
        return [
          `<b>${labels.year(r.year)}</b>`,
          `${labels.static}：${formatFenAuto(r.staticFen)}`,
          `${labels.median}：${formatFenAuto(r.band.p50Fen)}`,
          `${labels.band}：${formatFenAuto(r.band.p10Fen)} ～ ${formatFenAuto(r.band.p90Fen)}`,
          `${labels.range}：${formatFenAuto(r.band.minFen)} ～ ${formatFenAuto(r.band.maxFen)}`,
        ].join('<br/>');
      },
    },
    xAxis: { type: 'category', boundaryGap: false, data: years },
    yAxis: { type: 'value', name: labels.unit, scale: true, axisLabel: { fontSize: 11 } },
    series: [
      { name: `${labels.range}-lower`, type: 'line', stack: 'range', stackStrategy: 'all', symbol: 'none', lineStyle: { opacity: 0 }, data: minW, tooltip: { show: false } },
      { name: labels.range, type: 'line', stack: 'range', stackStrategy: 'all', symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: area('#9ec5e8', 0.35), itemStyle: { color: '#9ec5e8' }, data: rows.map((r, i) => width(wan(r.band.maxFen), minW[i])) },
      { name: `${labels.band}-lower`, type: 'line', stack: 'band', stackStrategy: 'all', symbol: 'none', lineStyle: { opacity: 0 }, data: p10W, tooltip: { show: false } },
      { name: labels.band, type: 'line', stack: 'band', stackStrategy: 'all', symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: area('#2e75b6', 0.45), itemStyle: { color: '#2e75b6' }, data: rows.map((r, i) => width(wan(r.band.p90Fen), p10W[i])) },
      { name: labels.median, type: 'line', symbol: 'circle', symbolSize: 6, lineStyle: { width: 2, color: '#1f4e79' }, itemStyle: { color: '#1f4e79' }, data: rows.map((r) => wan(r.band.p50Fen)) },
      { name: labels.static, type: 'line', symbol: 'diamond', symbolSize: 8, lineStyle: { type: 'dashed', width: 2, color: '#c0392b' }, itemStyle: { color: '#c0392b' }, data: rows.map((r) => wan(r.staticFen)) },
    ],
    aria: {
      enabled: true,
      label: {
        description: rows.map((r) => `${labels.year(r.year)} ${labels.band} ${formatFenAuto(r.band.p10Fen)}～${formatFenAuto(r.band.p90Fen)}，${labels.static} ${formatFenAuto(r.staticFen)}`).join('；'),
      },
    },
  };
}
