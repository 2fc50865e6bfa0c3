/**
 * 区域比价 of one item: per hospital level a box of the other regions' prices (min, Q1, median, Q3, max, in 元), this
 * region's current price as a marker and the scenario's new price as another where the scenario changes it. A level
 * no other region prices has no box (its markers still show). Pure: levels in, option out.
 */
export interface BoxLevel {
  label: string;
  box: { count: number; minFen: number; q1Fen: number; medianFen: number; q3Fen: number; maxFen: number } | null;
  oldPriceFen: number;
  newPriceFen: number;
  changed: boolean;
}

export interface PriceBoxLabels {
  others: string;
  current: string;
  proposed: string;
  unit: string;
  count: string;
}

const yuan = (fen: number): number => Math.round(fen) / 100;

export function buildPriceBoxOption(levels: readonly BoxLevel[], l: PriceBoxLabels) {
  const names = levels.map((x) => x.label);
  return {
    animation: false,
    grid: { left: 72, right: 24, top: 40, bottom: 40 },
    legend: { top: 0, data: [l.others, l.current, l.proposed] },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'category', data: names, axisLabel: { fontSize: 12 } },
    yAxis: { type: 'value', name: l.unit, scale: true, axisLabel: { fontSize: 11 }, splitLine: { lineStyle: { color: '#eef0f4' } } },
    series: [
      {
        name: l.others,
        type: 'boxplot',
        itemStyle: { color: '#e8eef6', borderColor: '#1f4e79' },
        boxWidth: [24, 64],
        data: levels.map((x) => (x.box ? [x.box.minFen, x.box.q1Fen, x.box.medianFen, x.box.q3Fen, x.box.maxFen].map(yuan) : [])),
        tooltip: {
          formatter: (p: { dataIndex: number; name: string }) => {
            const b = levels[p.dataIndex]?.box;
            if (!b) return p.name;
            return `${p.name} · ${l.others}（${b.count} ${l.count}）<br/>max ${yuan(b.maxFen)}<br/>Q3 ${yuan(b.q3Fen)}<br/>median ${yuan(b.medianFen)}<br/>Q1 ${yuan(b.q1Fen)}<br/>min ${yuan(b.minFen)} ${l.unit}`;
          },
        },
      },
      {
        name: l.current,
        type: 'scatter',
        symbol: 'circle',
        symbolSize: 12,
        itemStyle: { color: '#e67e22' },
        data: levels.map((x) => [x.label, yuan(x.oldPriceFen)]),
        tooltip: { formatter: (p: { value: [string, number] }) => `${p.value[0]} · ${l.current}：${p.value[1]} ${l.unit}` },
      },
      {
        name: l.proposed,
        type: 'scatter',
        symbol: 'diamond',
        symbolSize: 14,
        itemStyle: { color: '#c0392b' },
        data: levels.filter((x) => x.changed).map((x) => [x.label, yuan(x.newPriceFen)]),
        tooltip: { formatter: (p: { value: [string, number] }) => `${p.value[0]} · ${l.proposed}：${p.value[1]} ${l.unit}` },
      },
    ],
  };
}
