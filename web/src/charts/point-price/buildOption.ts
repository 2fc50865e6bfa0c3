/**
 * 比价 by chapter: the price per 人力资源消耗相对值 point (元 per point, volume-weighted: Σ P·Q ÷ Σ RV·Q) of each
 * category, before and after the scenario, as grouped bars, with the region's overall figure as a line. Categories
 * without an item with points are left out. Pure: groups in, option out.
 */
export interface PointPriceGroup {
  name: string;
  beforeFen: number | null;
  afterFen: number | null;
  /** items of the group with points */
  pointedCount: number;
}

export interface PointPriceLabels {
  before: string;
  after: string;
  overall: string;
  unit: string;
}

const yuan2 = (fen: number): number => Math.round(fen) / 100;

export function buildPointPriceOption(groups: readonly PointPriceGroup[], overallFen: number | null, l: PointPriceLabels) {
  const shown = groups.filter((g) => g.pointedCount > 0 && g.beforeFen !== null);
  const names = shown.map((g) => g.name);
  return {
    animation: false,
    color: ['#9fb7d3', '#1f4e79'],
    grid: { left: 64, right: 16, top: 40, bottom: 56 },
    legend: { top: 0, data: [l.before, l.after] },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => `${v} ${l.unit}` },
    xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 30 : 0, fontSize: 11 } },
    yAxis: { type: 'value', name: l.unit, axisLabel: { fontSize: 11 } },
    series: [
      { name: l.before, type: 'bar', data: shown.map((g) => yuan2(g.beforeFen!)) },
      {
        name: l.after,
        type: 'bar',
        data: shown.map((g) => yuan2(g.afterFen ?? g.beforeFen!)),
        markLine:
          overallFen === null
            ? undefined
            : { silent: true, symbol: 'none', label: { formatter: `${l.overall} ${yuan2(overallFen)}`, fontSize: 11, position: 'insideStartTop' }, lineStyle: { type: 'dashed', color: '#e67e22' }, data: [{ yAxis: yuan2(overallFen) }] },
      },
    ],
  };
}
