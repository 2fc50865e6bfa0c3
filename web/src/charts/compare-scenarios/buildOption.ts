/**
 * Scenarios side by side. Totals: one group of bars per figure (raises, cuts, net, fund, out-of-pocket), one bar per
 * scenario, in 万元. Groups: the net by category or hospital level, one bar per scenario, over the union of the groups
 * in first-seen order that some scenario changes (a group a scenario does not touch is 0 there). Pure: rows in, ECharts option out.
 */
export interface ScenarioTotals {
  name: string;
  grossUpFen: number;
  grossDownFen: number;
  netFen: number;
  fundFen: number;
  outOfPocketFen: number;
}

export interface TotalsLabels {
  up: string;
  down: string;
  net: string;
  fund: string;
  outOfPocket: string;
  unit: string;
}

const PALETTE = ['#1f4e79', '#e67e22', '#27ae60', '#8e44ad'];
const wan = (fen: number): number => Math.round(fen / 10_000) / 100;

function base(categories: string[], unit: string, legend: string[]) {
  return {
    animation: false,
    color: PALETTE,
    grid: { left: 64, right: 16, top: 40, bottom: 48 },
    legend: { top: 0, data: legend },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => `${v} ${unit}` },
    xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, rotate: categories.length > 6 ? 30 : 0, fontSize: 11 } },
    yAxis: { type: 'value', name: unit, axisLabel: { fontSize: 11 } },
  };
}

export function buildCompareTotalsOption(scenarios: readonly ScenarioTotals[], l: TotalsLabels) {
  const figures: [string, (s: ScenarioTotals) => number][] = [
    [l.up, (s) => s.grossUpFen],
    [l.down, (s) => s.grossDownFen],
    [l.net, (s) => s.netFen],
    [l.fund, (s) => s.fundFen],
    [l.outOfPocket, (s) => s.outOfPocketFen],
  ];
  return {
    ...base(figures.map(([name]) => name), l.unit, scenarios.map((s) => s.name)),
    series: scenarios.map((s) => ({ name: s.name, type: 'bar', data: figures.map(([, f]) => wan(f(s))) })),
  };
}

export interface ScenarioGroups {
  name: string;
  /** changedCount: rows of the group the scenario changes; a group no scenario changes is left out */
  groups: readonly { key: string; labelZh: string; netFen: number; changedCount: number }[];
}

export function buildCompareGroupsOption(scenarios: readonly ScenarioGroups[], unit: string) {
  const keys: string[] = [];
  const label = new Map<string, string>();
  for (const s of scenarios) {
    for (const g of s.groups) {
      if (g.changedCount === 0) continue;
      if (!label.has(g.key)) {
        keys.push(g.key);
        label.set(g.key, g.labelZh);
      }
    }
  }
  return {
    ...base(keys.map((k) => label.get(k)!), unit, scenarios.map((s) => s.name)),
    series: scenarios.map((s) => {
      const net = new Map(s.groups.map((g) => [g.key, g.netFen]));
      return { name: s.name, type: 'bar', data: keys.map((k) => wan(net.get(k) ?? 0)) };
    }),
  };
}
