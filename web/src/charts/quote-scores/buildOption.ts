/**
 * 复杂型报价 scoring: one horizontal stacked bar per quote, its score (0–100) split into the weighted criteria — cost
 * coverage (×50), cost structure (×20) and closeness to the median quote (×30) — the highest score at the top. Pure:
 * scored quotes in, option out.
 */
export interface ScoredQuote {
  label: string;
  coverage: number;
  structure: number;
  median: number;
  score: number;
}

export interface QuoteScoreLabels {
  coverage: string;
  structure: string;
  median: string;
}

export const WEIGHTS = { coverage: 50, structure: 20, median: 30 } as const;
const part = (x: number, w: number): number => Math.round(x * w * 100) / 100;

export function buildQuoteScoresOption(quotes: readonly ScoredQuote[], l: QuoteScoreLabels) {
  // highest first at the top: the category axis of a horizontal bar runs bottom-up
  const shown = [...quotes].sort((a, b) => a.score - b.score);
  return {
    animation: false,
    color: ['#1f4e79', '#27ae60', '#e67e22'],
    grid: { left: 8, right: 48, top: 32, bottom: 24, containLabel: true },
    legend: { top: 0, data: [l.coverage, l.structure, l.median] },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', max: 100, axisLabel: { fontSize: 11 } },
    yAxis: { type: 'category', data: shown.map((q) => q.label), axisLabel: { fontSize: 11, width: 240, overflow: 'truncate' } },
    series: [
      { name: l.coverage, type: 'bar', stack: 'score', data: shown.map((q) => part(q.coverage, WEIGHTS.coverage)) },
      { name: l.structure, type: 'bar', stack: 'score', data: shown.map((q) => part(q.structure, WEIGHTS.structure)) },
      {
        name: l.median,
        type: 'bar',
        stack: 'score',
        data: shown.map((q) => part(q.median, WEIGHTS.median)),
        label: { show: true, position: 'right', fontSize: 11, formatter: (p: { dataIndex: number }) => String(shown[p.dataIndex].score) },
      },
    ],
  };
}
