/**
 * Raises, cuts and the net of a scenario by group (category or hospital level): for each group a bar of the gross
 * raise (Σ ΔP·Q over raised rows, upward), of the cuts (downward) and a marker of the net, in 万元. Pure: groups in,
 * ECharts option out; the same builder serves the page and the PDF briefing.
 */
import { formatFenAuto } from '../../../../api/src/domain/money';

export interface GroupRow {
  labelZh: string;
  grossUpFen: number;
  grossDownFen: number;
  netFen: number;
}

export interface ImpactGroupsLabels {
  up: string;
  down: string;
  net: string;
  unit: string;
}

/** fen → 万元 as a number for the axis (exact to 0.01 万元 for display; labels use formatFenAuto). */
const wan = (fen: number): number => Math.round(fen / 10_000) / 100;

export function buildImpactGroupsOption(groups: readonly GroupRow[], labels: ImpactGroupsLabels) {
  const names = groups.map((g) => g.labelZh);
  return {
    animation: false,
    grid: { left: 64, right: 16, top: 36, bottom: 56, containLabel: false },
    legend: { top: 0, right: 0, data: [labels.up, labels.down, labels.net] },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v: number) => `${v.toLocaleString('zh-CN', { maximumFractionDigits: 2 })} ${labels.unit}`,
    },
    xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 30 : 0, fontSize: 11 } },
    yAxis: { type: 'value', name: labels.unit, axisLabel: { fontSize: 11 } },
    series: [
      { name: labels.up, type: 'bar', stack: 'move', itemStyle: { color: '#c0392b' }, data: groups.map((g) => wan(g.grossUpFen)) },
      { name: labels.down, type: 'bar', stack: 'move', itemStyle: { color: '#2e86c1' }, data: groups.map((g) => -wan(g.grossDownFen)) },
      {
        name: labels.net,
        type: 'scatter',
        symbol: 'diamond',
        symbolSize: 12,
        itemStyle: { color: '#303133' },
        data: groups.map((g) => wan(g.netFen)),
        tooltip: { valueFormatter: (v: number) => `${v} ${labels.unit}` },
      },
    ],
    /** the exact amounts, for labels outside the chart (tables, the PDF) */
    aria: { enabled: true, label: { description: groups.map((g) => `${g.labelZh} ${labels.net} ${formatFenAuto(g.netFen)}`).join('；') } },
  };
}
