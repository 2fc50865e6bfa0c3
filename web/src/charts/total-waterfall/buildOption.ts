/**
 * The 调价总量 as a waterfall (the ECharts bar-waterfall shape): each enabled component (合理增长, 控费奖励, 集采腾空间,
 * 自我消化) floats from the running sum before it to the sum after it, the subtotal and the total stand on zero, and
 * the fund cap's reduction floats down from the subtotal. R₀ (历史基数) is the base the growth is computed on, not a
 * part of the total (domain/pricing/total.ts), so it is given in the caption rather than as a bar that would dwarf
 * the others. Bars are drawn by a custom series from [low, high] in 万元, so components below zero are drawn right.
 */
export interface StepRow {
  key: string;
  kind: 'base' | 'component' | 'subtotal' | 'cap' | 'total';
  labelZh: string;
  amountFen: number;
  enabled: boolean;
}

export interface WaterfallBar {
  key: string;
  label: string;
  low: number;
  high: number;
  /** the step's own amount, 万元 (signed) */
  value: number;
  kind: 'up' | 'down' | 'sum';
}

const wan = (fen: number): number => Math.round(fen / 10_000) / 100;
const COLOR = { up: '#c0392b', down: '#2e86c1', sum: '#1f4e79' } as const;

/** The bars in order, with their low and high ends in 万元. */
export function waterfallBars(steps: readonly StepRow[]): WaterfallBar[] {
  const bars: WaterfallBar[] = [];
  let running = 0;
  for (const s of steps) {
    if (s.kind === 'base' || (!s.enabled && s.kind !== 'subtotal' && s.kind !== 'total')) continue;
    if (s.kind === 'subtotal' || s.kind === 'total') {
      running = s.amountFen;
      const v = wan(s.amountFen);
      bars.push({ key: s.key, label: s.labelZh, low: Math.min(0, v), high: Math.max(0, v), value: v, kind: 'sum' });
      continue;
    }
    const before = wan(running);
    running += s.amountFen;
    const after = wan(running);
    bars.push({ key: s.key, label: s.labelZh, low: Math.min(before, after), high: Math.max(before, after), value: wan(s.amountFen), kind: s.amountFen < 0 ? 'down' : 'up' });
  }
  return bars;
}

export function buildTotalWaterfallOption(steps: readonly StepRow[], unit: string) {
  const bars = waterfallBars(steps);
  return {
    animation: false,
    grid: { left: 72, right: 16, top: 24, bottom: 40 },
    tooltip: { trigger: 'item', formatter: (p: { dataIndex: number }) => `${bars[p.dataIndex].label}：${bars[p.dataIndex].value} ${unit}` },
    xAxis: { type: 'category', data: bars.map((b) => b.label), axisLabel: { interval: 0, fontSize: 11 } },
    yAxis: { type: 'value', name: unit, axisLabel: { fontSize: 11 } },
    series: [
      {
        type: 'custom',
        name: 'waterfall',
        encode: { x: 0, y: [1, 2] },
        data: bars.map((b, i) => [i, b.low, b.high, b.value]),
        renderItem: (
          params: { dataIndex: number },
          api: { value(d: number): number; coord(p: [number, number]): [number, number]; size(p: [number, number]): [number, number]; style(o: object): object },
        ) => {
          const b = bars[params.dataIndex];
          const [x, yLow] = api.coord([api.value(0), b.low]);
          const [, yHigh] = api.coord([api.value(0), b.high]);
          const width = api.size([1, 0])[0] * 0.55;
          return {
            type: 'rect',
            shape: { x: x - width / 2, y: yHigh, width, height: Math.max(1, yLow - yHigh) },
            style: { fill: COLOR[b.kind] },
            textContent: { style: { text: `${b.value}`, fontSize: 11, fill: '#303133' } },
            textConfig: { position: 'top' },
          };
        },
      },
    ],
  };
}
