/**
 * The yearly series of the indicators a trigger rule reads (e.g. 医药总费用增长率 for the 湖南 constraint "上年医药总费用
 * 增长率超过10%"), with the rule's threshold as a dashed line and the data year of the chosen evaluation marked.
 *
 * Rows are the indicator values as GET /api/regions/:code/indicators returns them: every release of a period. Only
 * annual periods are drawn, one value per year: the release the evaluation would take (the rule set's release
 * preference, default 公报 → 快报 → 统计年鉴 → 测算 → 其他), so the line shows what the checklist used. The release
 * of each point is in the tooltip.
 */
import type { EChartsCoreOption } from 'echarts/core';
import { DEFAULT_RELEASE_PREFERENCE, RELEASE_TYPES, type ReleaseType } from '../../../../api/src/domain/triggers/schema';

export interface TrendRow {
  indicator: string;
  period: string;
  value: number;
  unit: string;
  releaseType: ReleaseType;
  source: string;
}

export interface TrendSeries {
  indicator: string;
  /** Name shown in the legend and the tooltip. */
  name: string;
}

export interface IndicatorTrendLabels {
  /** 2024 → "2024年" (zh) or "2024" (en). */
  year: (year: number) => string;
  release: Record<ReleaseType, string>;
  /** "阈值 10%" */
  threshold: string;
  /** "2025年评估所用数据": the name of the vertical line at the highlighted year (drawn without a label). */
  highlight?: string;
  noData: string;
}

export interface IndicatorTrendInput {
  series: readonly TrendSeries[];
  rows: readonly TrendRow[];
  fromYear: number;
  toYear: number;
  /** The rule's threshold, on the scale of the (first) series; null when the rule does not compare one series. */
  threshold?: number | null;
  /** The data year the chosen evaluation reads (the evaluation year − 1). */
  highlightYear?: number | null;
  releasePreference?: readonly ReleaseType[];
  labels: IndicatorTrendLabels;
  /** Value with its unit, in the user's language (valueText.ts). */
  format: (value: number, unit: string) => string;
}

export interface TrendPoint {
  value: number | null;
  unit: string;
  releaseType: ReleaseType | null;
  source: string | null;
}

export const TREND_COLORS = ['#1f4e79', '#e6a23c', '#67c23a', '#909399', '#b37feb'];

/** The value drawn for each indicator and year: annual periods only, the preferred release of the year. */
export function annualPoints(rows: readonly TrendRow[], preference: readonly ReleaseType[] = DEFAULT_RELEASE_PREFERENCE): Map<string, TrendRow> {
  const rank = (t: ReleaseType) => {
    const i = preference.indexOf(t);
    return i >= 0 ? i : preference.length + RELEASE_TYPES.indexOf(t);
  };
  const best = new Map<string, TrendRow>();
  for (const r of rows) {
    if (!/^[0-9]{4}$/.test(r.period) || !Number.isFinite(r.value)) continue;
    const key = `${r.indicator}|${r.period}`;
    const cur = best.get(key);
    if (!cur || rank(r.releaseType) < rank(cur.releaseType)) best.set(key, r);
  }
  return best;
}

export function buildIndicatorTrendOption(input: IndicatorTrendInput): EChartsCoreOption {
  const { labels } = input;
  const years: number[] = [];
  for (let y = input.fromYear; y <= input.toYear; y++) years.push(y);
  const categories = years.map(String);
  const points = annualPoints(input.rows, input.releasePreference);
  const units = new Set(input.series.map((s) => input.rows.find((r) => r.indicator === s.indicator)?.unit).filter((u): u is string => u !== undefined));
  const unit = units.size === 1 ? [...units][0]! : '';
  const markData: Record<string, unknown>[] = [];
  const hasThreshold = input.threshold !== null && input.threshold !== undefined;
  const t = input.threshold ?? 0;
  if (hasThreshold) {
    markData.push({ yAxis: t, name: labels.threshold, label: { formatter: labels.threshold, position: 'insideStartTop' }, lineStyle: { color: '#f56c6c', type: 'dashed' } });
  }
  if (input.highlightYear !== null && input.highlightYear !== undefined && years.includes(input.highlightYear)) {
    markData.push({
      xAxis: String(input.highlightYear),
      name: labels.highlight ?? '',
      // no label on the line (it would cross the threshold's): the page's hint says what the line is
      label: { show: false },
      lineStyle: { color: '#909399', type: 'dotted', width: 1.5 },
    });
  }
  const series = input.series.map((s, i) => {
    const data: TrendPoint[] = years.map((y) => {
      const r = points.get(`${s.indicator}|${y}`);
      return r ? { value: r.value, unit: r.unit, releaseType: r.releaseType, source: r.source } : { value: null, unit, releaseType: null, source: null };
    });
    return {
      id: s.indicator,
      name: s.name,
      type: 'line',
      color: TREND_COLORS[i % TREND_COLORS.length],
      symbolSize: 7,
      connectNulls: false,
      data,
      ...(i === 0 && markData.length ? { markLine: { silent: true, symbol: 'none', data: markData } } : {}),
    };
  });
  const tooltipLine = (name: string, color: string, p: TrendPoint | undefined) => {
    const v = p && p.value !== null ? `${input.format(p.value, p.unit)}（${labels.release[p.releaseType as ReleaseType]}）` : labels.noData;
    return `<span style="display:inline-block;width:8px;height:8px;border-radius:4px;background:${color};margin-right:6px"></span>${escapeHtml(name)}：${escapeHtml(v)}`;
  };
  return {
    animation: false,
    grid: { left: 56, right: 24, top: 40, bottom: 32 },
    legend: { top: 4, data: input.series.map((s) => s.name) },
    tooltip: {
      trigger: 'axis',
      formatter: (ps: { dataIndex: number; seriesIndex: number; seriesName: string; color: string; data: TrendPoint }[]) => {
        const first = ps[0];
        if (!first) return '';
        const head = labels.year(years[first.dataIndex] as number);
        return [escapeHtml(head), ...ps.map((p) => tooltipLine(p.seriesName, p.color, p.data))].join('<br/>');
      },
    },
    xAxis: { type: 'category', data: categories, boundaryGap: false, axisLabel: { formatter: (v: string) => labels.year(Number(v)) } },
    yAxis: {
      type: 'value',
      name: unit,
      scale: true,
      // the threshold line stays inside the axis even when every value lies on one side of it
      ...(hasThreshold ? { min: (e: { min: number }) => niceBound(Math.min(e.min, t), 'down'), max: (e: { max: number }) => niceBound(Math.max(e.max, t), 'up') } : {}),
    },
    series,
  };
}

/** An axis bound a little beyond x, on a whole number (or a tenth below 1). */
export function niceBound(x: number, dir: 'up' | 'down'): number {
  const step = Math.abs(x) < 1 ? 0.1 : 1;
  const pad = Math.max(step, Math.abs(x) * 0.05);
  const v = dir === 'up' ? x + pad : x - pad;
  const r = (dir === 'up' ? Math.ceil(v / step) : Math.floor(v / step)) * step;
  return Number(r.toFixed(1));
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
