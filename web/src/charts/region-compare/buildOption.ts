/**
 * 区域对比: several regions side by side (GET /api/regions/compare), three charts with one colour per region, the
 * same in each: (1) the indicators as grouped bars, one series per region, the unit in each indicator's label;
 * (2) the 调价总量 per region in 元/万元/亿元 by magnitude; (3) the net impact by category, one series per region, as
 * horizontal bars diverging from zero, the 增 side tinted red and the 减 side blue as the impact charts colour them.
 * A region without the figure keeps its place with its reason in its label. Pure: plain rows in, ECharts option out.
 */
import { formatFen, formatFenAuto, type MoneyUnit } from '../../../../api/src/domain/money';
import { fixed } from '../../../../api/src/domain/triggers/format';

export interface CompareRegionRow {
  code: string;
  name: string;
  /** the compared indicators' values, in the indicators' order (null: not loaded) */
  values: (number | null)[];
  totalFen: number | null;
  /** why the total is null, short (e.g. 无轮次) */
  totalReason: string | null;
  /** net ΔP·Q by category of the region's scenario; null without one */
  byCategory: { key: string; labelZh: string; netFen: number }[] | null;
  impactReason: string | null;
}

export interface CompareIndicatorColumn {
  code: string;
  name: string;
  unit: string;
}

export interface RegionCompareLabels {
  total: string;
  net: string;
  up: string;
  down: string;
}

/** One colour per region, in the order compared (neither the 增 red nor the 减 blue). */
export const REGION_COLORS = ['#1f4e79', '#d68910', '#239b56', '#7d3c98', '#5d6d7e', '#a04000', '#17a589', '#b7950b'] as const;
export const UP_COLOR = '#c0392b';
export const DOWN_COLOR = '#2e86c1';

const colorOf = (i: number): string => REGION_COLORS[i % REGION_COLORS.length]!;
const PER_UNIT: Record<MoneyUnit, number> = { 元: 100, 万元: 1_000_000, 亿元: 10_000_000_000 };

/** The unit an axis of these amounts reads best in: 亿元 from 1亿元, 万元 from 1万元, else 元 (as formatFenAuto). */
export function moneyUnitOf(fens: readonly (number | null)[]): MoneyUnit {
  const max = Math.max(0, ...fens.filter((f): f is number => f !== null).map(Math.abs));
  return max >= PER_UNIT['亿元'] ? '亿元' : max >= PER_UNIT['万元'] ? '万元' : '元';
}

/** fen in a unit, two decimals (the axis value; labels use the exact formatter). */
export const inUnit = (fen: number, unit: MoneyUnit): number => Math.round((fen / PER_UNIT[unit]) * 100) / 100;

/**
 * The unit of a table column of amounts read against each other: 万元 from 1万元 up (亿元 would round a region's
 * small category to 0.01亿元), else 元; every row of the column in it, the unit in the header.
 */
export function tableMoneyUnit(fens: readonly (number | null)[]): MoneyUnit {
  return moneyUnitOf(fens) === '元' ? '元' : '万元';
}

const LEGEND = { top: 0, type: 'scroll' as const, itemWidth: 14, itemHeight: 10, textStyle: { fontSize: 12 } };
const num = (v: number): string => String(Math.round(v * 100) / 100);

/** An indicator value as the table writes it (domain/triggers/format.ts): rates, points and months 1 decimal, else 2. */
export function indicatorNumber(v: number, unit: string): string {
  return fixed(v, ['%', 'pp', '月', '分'].includes(unit) ? 1 : 2);
}

/** (1) The indicators: one group per indicator ("医药总费用增长率（%）"), one bar per region. */
export function buildIndicatorsOption(columns: readonly CompareIndicatorColumn[], regions: readonly CompareRegionRow[]) {
  const labelled = regions.length <= 4;
  return {
    animation: false,
    color: regions.map((_, i) => colorOf(i)),
    legend: LEGEND,
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v: number | null, k: number) => (v === null || v === undefined ? '—' : indicatorNumber(v, columns[k]?.unit ?? '')),
    },
    xAxis: {
      type: 'category',
      data: columns.map((c) => `${c.name}\n（${c.unit}）`),
      axisLabel: { interval: 0, fontSize: 11, lineHeight: 14 },
    },
    yAxis: { type: 'value', axisLabel: { fontSize: 11 } },
    series: regions.map((r, i) => ({
      name: r.name,
      type: 'bar',
      barMaxWidth: 28,
      itemStyle: { color: colorOf(i) },
      data: columns.map((_, k) => r.values[k] ?? null),
      // the precision of the table below (13.4, not 13.39, for 13.4个月)
      label: {
        show: labelled,
        position: 'top',
        fontSize: 10,
        formatter: (p: { value: number | null; dataIndex: number }) => (p.value === null ? '' : indicatorNumber(p.value, columns[p.dataIndex]?.unit ?? '')),
      },
    })),
  };
}

/** (2) 调价总量 per region, bars in the unit of the largest; a region without one shows its reason under its name. */
export function buildTotalsOption(regions: readonly CompareRegionRow[], l: RegionCompareLabels) {
  const unit = moneyUnitOf(regions.map((r) => r.totalFen));
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    tooltip: { trigger: 'item', formatter: (p: { name: string; data: { fen: number | null } }) => `${p.name}<br/>${l.total} ${p.data.fen === null ? '—' : formatFenAuto(p.data.fen)}` },
    xAxis: {
      type: 'category',
      data: regions.map((r) => (r.totalFen === null ? `${r.name}\n（${r.totalReason ?? '—'}）` : r.name)),
      axisLabel: { interval: 0, fontSize: 11 },
    },
    yAxis: { type: 'value', name: `${l.total}（${unit}）`, nameTextStyle: { align: 'left' }, axisLabel: { fontSize: 11 } },
    series: [
      {
        name: l.total,
        type: 'bar',
        barMaxWidth: 48,
        data: regions.map((r, i) => ({ value: r.totalFen === null ? null : inUnit(r.totalFen, unit), fen: r.totalFen, itemStyle: { color: colorOf(i) } })),
        // every label in the axis' unit, exact to 0.01 of it, so the bars read against each other
        label: { show: true, position: 'top', fontSize: 11, formatter: (p: { data: { fen: number | null } }) => (p.data.fen === null ? '' : formatFen(p.data.fen, unit)) },
      },
    ],
  };
}

/** The smallest 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10ⁿ at or above v (1 for 0): a round bound for an axis. */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  const m = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((k) => k * p >= v - 1e-12)!;
  return Math.round(m * p * 1e6) / 1e6;
}

/** The categories of the regions' impacts, in the order the impact summaries list them (first seen first). */
export function categoriesOf(regions: readonly CompareRegionRow[]): { key: string; labelZh: string }[] {
  const seen = new Map<string, string>();
  for (const r of regions) for (const g of r.byCategory ?? []) if (!seen.has(g.key)) seen.set(g.key, g.labelZh);
  return [...seen].map(([key, labelZh]) => ({ key, labelZh }));
}

/**
 * (3) Net impact by category: one row per category (the first at the top), one bar per region diverging from 0; a
 * region's category without changes is 0, a region without an impact has no bars and its reason in the legend.
 */
export function buildNetByCategoryOption(regions: readonly CompareRegionRow[], l: RegionCompareLabels) {
  const cats = categoriesOf(regions);
  const fenOf = (r: CompareRegionRow, key: string): number | null => (r.byCategory === null ? null : (r.byCategory.find((g) => g.key === key)?.netFen ?? 0));
  const fens = regions.flatMap((r) => cats.map((c) => fenOf(r, c.key)));
  const unit = moneyUnitOf(fens);
  // an axis symmetric about 0, so that the 增 half (red tint) and the 减 half (blue tint) are the same width
  const bound = niceCeil(Math.max(0, ...fens.filter((f): f is number => f !== null).map((f) => Math.abs(inUnit(f, unit)))));
  const tint = (color: string) => ({ color, opacity: 0.07 });
  return {
    animation: false,
    color: regions.map((_, i) => colorOf(i)),
    legend: LEGEND,
    grid: { left: 8, right: 24, top: 36, bottom: 36, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v: number | null) => (v === null || v === undefined ? '—' : `${num(v)}${unit}`),
    },
    xAxis: { type: 'value', min: -bound, max: bound, name: `${l.net}（${unit}）`, nameLocation: 'middle', nameGap: 28, axisLabel: { fontSize: 11 } },
    yAxis: { type: 'category', inverse: true, data: cats.map((c) => c.labelZh), axisLabel: { interval: 0, fontSize: 11 } },
    series: regions.map((r, i) => ({
      name: r.byCategory === null ? `${r.name}（${r.impactReason ?? '—'}）` : r.name,
      type: 'bar',
      barMaxWidth: 14,
      itemStyle: { color: colorOf(i) },
      data: cats.map((c) => {
        const f = fenOf(r, c.key);
        return f === null ? null : inUnit(f, unit);
      }),
      ...(i === 0
        ? {
            markArea: {
              silent: true,
              label: { position: 'insideTop', fontSize: 11 },
              data: [
                [{ xAxis: 0, name: `${l.up} →`, itemStyle: tint(UP_COLOR), label: { color: UP_COLOR } }, { xAxis: bound }],
                [{ xAxis: -bound, name: `← ${l.down}`, itemStyle: tint(DOWN_COLOR), label: { color: DOWN_COLOR } }, { xAxis: 0 }],
              ],
            },
          }
        : {}),
    })),
  };
}

/** A net amount as the table shows it: exact, in 元/万元/亿元 by magnitude; "—" for null. */
export const netText = (fen: number | null): string => (fen === null ? '—' : formatFenAuto(fen));
