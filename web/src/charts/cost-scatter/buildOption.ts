/**
 * 成本比价 scatter: each item at one hospital level as a bubble at (unit cost, price) in 元, its area proportional to
 * the base-year volume, coloured by category (one series per category, in the order given; a category keeps its colour
 * whichever others are shown, so a filter does not repaint it), with the line price = cost. Axes are logarithmic when the values spread over more than two orders of magnitude (or when asked), and then
 * rows with a price or cost of 0 cannot be drawn and are left out. A point's data is
 * [cost 元, price 元, volume, item code, name, recovery], so a click can open the item. Pure: rows in, option out.
 */
export interface CostPoint {
  itemCode: string;
  name: string;
  categoryCode: string;
  priceFen: number;
  unitCostFen: number;
  quantity: number;
}

export interface CostScatterLabels {
  cost: string;
  price: string;
  parity: string;
  volume: string;
  recovery: string;
  unit: string;
}

export interface CostScatterOptions {
  /** true/false: force log or linear axes; undefined: log when max ÷ min of the positive values exceeds 100 */
  log?: boolean;
}

/**
 * One colour per category of the catalogue (its 14 chapters): ten hues, then a navy, a gold, a near-black and a
 * lavender, each told apart from the others at 70% opacity on white.
 */
export const CATEGORY_COLORS = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2',
  '#7f7f7f', '#bcbd22', '#17becf', '#0b2e59', '#f4c20d', '#222222', '#c5b0d5',
] as const;

/** The colour of the i-th category of the full list (repeats after 14). */
export const categoryColor = (i: number): string => CATEGORY_COLORS[i % CATEGORY_COLORS.length]!;
const yuan = (fen: number): number => Math.round(fen) / 100;

/** Bubble diameter in px: 4 for no volume up to 30 for the largest, by the square root (area ∝ volume). */
export function bubbleSize(quantity: number, maxQuantity: number): number {
  if (maxQuantity <= 0 || quantity <= 0) return 4;
  return Math.round((4 + 26 * Math.sqrt(quantity / maxQuantity)) * 10) / 10;
}

/** Whether positive values spread over more than two orders of magnitude. */
export function needsLog(values: readonly number[]): boolean {
  const pos = values.filter((v) => v > 0);
  if (pos.length < 2) return false;
  return Math.max(...pos) / Math.min(...pos) > 100;
}

export function buildCostScatterOption(rows: readonly CostPoint[], categories: readonly { code: string; name: string }[], l: CostScatterLabels, o: CostScatterOptions = {}) {
  const log = o.log ?? needsLog(rows.flatMap((r) => [r.priceFen, r.unitCostFen]));
  const drawn = rows.filter((r) => (log ? r.priceFen > 0 && r.unitCostFen > 0 : r.unitCostFen >= 0));
  const maxQ = Math.max(0, ...drawn.map((r) => r.quantity));
  const present = categories.map((c, i) => ({ ...c, color: categoryColor(i) })).filter((c) => drawn.some((r) => r.categoryCode === c.code));
  const values = drawn.flatMap((r) => [yuan(r.priceFen), yuan(r.unitCostFen)]).filter((v) => !log || v > 0);
  const lo = values.length ? Math.min(...values) : 0;
  const hi = values.length ? Math.max(...values) : 1;
  const axis = (name: string) => ({
    type: log ? 'log' : 'value',
    name,
    nameLocation: 'middle',
    nameGap: 36,
    ...(log ? { logBase: 10 } : { min: 0 }),
    axisLabel: { fontSize: 11 },
    splitLine: { lineStyle: { color: '#eef0f4' } },
  });
  return {
    animation: false,
    grid: { left: 72, right: 24, top: 56, bottom: 56 },
    legend: { top: 0, type: 'scroll', data: [...present.map((c) => c.name), l.parity] },
    tooltip: {
      trigger: 'item',
      formatter: (p: { seriesName: string; data: [number, number, number, string, string, number | null] }) => {
        const d = p.data;
        if (!Array.isArray(d) || d.length < 5) return p.seriesName;
        const rec = d[5] === null ? '—' : `${Math.round(d[5] * 1000) / 10}%`;
        return `${d[3]} ${d[4]}<br/>${p.seriesName}<br/>${l.price}：${d[1]} ${l.unit}<br/>${l.cost}：${d[0]} ${l.unit}<br/>${l.recovery}：${rec}<br/>${l.volume}：${d[2].toLocaleString('zh-CN')}`;
      },
    },
    xAxis: axis(`${l.cost}（${l.unit}）`),
    yAxis: { ...axis(`${l.price}（${l.unit}）`), nameGap: 52 },
    series: [
      ...present.map((c) => ({
        name: c.name,
        type: 'scatter',
        data: drawn
          .filter((r) => r.categoryCode === c.code)
          .map((r) => [yuan(r.unitCostFen), yuan(r.priceFen), r.quantity, r.itemCode, r.name, r.unitCostFen > 0 ? r.priceFen / r.unitCostFen : null]),
        symbolSize: (d: [number, number, number]) => bubbleSize(d[2], maxQ),
        itemStyle: { color: c.color, opacity: 0.7 },
        emphasis: { focus: 'series' },
      })),
      {
        name: l.parity,
        type: 'line',
        data: [[lo, lo], [hi, hi]],
        symbol: 'none',
        silent: true,
        itemStyle: { color: '#909399' },
        lineStyle: { type: 'dashed', color: '#909399', width: 1 },
        tooltip: { show: false },
      },
    ],
  };
}
