// The pilot cities' two published rounds (NHSA 2025): round 1 effective 2023-01-01, net 3.52亿元 over 1,398 item
// prices; round 2 effective 2024-01-01, net 6.31亿元 over 5,076 item prices. An item price is one item at one hospital
// level in one city. The net amount of a city is Σ (新价 − 原价) × the city's base-year volume at that level, summed
// over its public institutions of that level. The generator hits each city's share of the total to the fen-unit and
// the count exactly; direction 有升有降: technical labour up, equipment-heavy exams and lab down.
import { roundRole, type Item } from './items';
import type { Ladder } from './prices';
import { Rng } from './random';
import { nicePrice, yuan } from './money';

export interface RoundSpec {
  round: 1 | 2;
  effective: string;
  /** Base year of the volumes. */
  baseYear: number;
  /** 亿元 → 分 per city, in PILOT_CITIES order. */
  netByCity: Record<string, number>;
  countByCity: Record<string, number>;
  /** Changes fixed by published examples: city → item code → new ladder in 元. */
  fixtures: Record<string, Record<string, [number, number, number]>>;
  /** Items left out of this round's free selection (city → codes; '*' = every city). */
  exclude: Record<string, string[]>;
  /** Share of the changed item prices that go down. */
  downShare: number;
}

const YI = 100 * 1e8; // 亿元 in 分

/** Round 1 (2023-01): 3.52亿元, 1,398 item prices across the five pilot cities. */
export const ROUND1: RoundSpec = {
  round: 1,
  effective: '2023-01-01',
  baseYear: 2022,
  netByCity: { '130200': 0.72 * YI, '320500': 1.1 * YI, '350200': 0.72 * YI, '360700': 0.48 * YI, '511100': 0.5 * YI },
  countByCity: { '130200': 262, '320500': 318, '350200': 276, '360700': 255, '511100': 287 },
  fixtures: {
    '130200': { '210300001': [135, 120, 105] }, // CT 180 → 135 (北京 2017)
    '320500': { '210200001x': [600, 540, 480], '230600001': [7000, 7000, 7000] }, // MRI 850 → 600, PET/CT 10,000 → 7,000
  },
  exclude: { '*': ['120100002', '120400014x'], '350200': ['250307006'], '360700': ['250302003'] },
  downShare: 0.3,
};

/** Round 2 (2024-01): 6.31亿元, 5,076 item prices; 原价 = the price in force after round 1. */
export const ROUND2: RoundSpec = {
  round: 2,
  effective: '2024-01-01',
  baseYear: 2023,
  netByCity: { '130200': 1.3 * YI, '320500': 1.95 * YI, '350200': 1.3 * YI, '360700': 0.86 * YI, '511100': 0.9 * YI },
  countByCity: { '130200': 980, '320500': 1120, '350200': 1010, '360700': 956, '511100': 1010 },
  fixtures: {
    '*': { '120100002': [150, 135, 120], '120400014x': [700, 630, 560] }, // 特级护理 ≈150元/日, 输液港置入 ≈700元
    '350200': { '250307006': [180, 165, 150] }, // B型钠尿肽 330 → 180
    '360700': { '250302003': [30, 27, 24] }, // 糖化血红蛋白 88 → 30
  },
  exclude: { '130200': ['210300001'], '320500': ['210200001x', '230600001'] },
  downShare: 0.4,
};

export interface RoundRow {
  item: Item;
  old: Ladder;
  next: Ladder;
}

export interface RoundResult {
  regionCode: string;
  spec: RoundSpec;
  rows: RoundRow[];
  /** Σ ΔP·Q in 分. */
  net: number;
  count: number;
  target: number;
}

type Lv = 'p3' | 'p2' | 'p1';
const LEVELS: readonly Lv[] = ['p3', 'p2', 'p1'];

interface Change {
  item: Item;
  old: Ladder;
  next: Ladder;
  q: [number, number, number];
  levels: Lv[];
  dir: 1 | -1;
  rate: number;
  fixed: boolean;
}

function qOf(q: [number, number, number], lv: Lv): number {
  return lv === 'p3' ? q[0] : lv === 'p2' ? q[1] : q[2];
}

function netOf(c: Change): number {
  let s = 0;
  for (const lv of LEVELS) s += (c.next[lv] - c.old[lv]) * qOf(c.q, lv);
  return s;
}

function countOf(c: { old: Ladder; next: Ladder }): number {
  return LEVELS.filter((lv) => c.next[lv] !== c.old[lv]).length;
}

/** Applies a rate to the changed levels, rounded to table granularity, keeping the ladder and the direction. */
function applyRate(c: Change, rate: number): void {
  const next: Ladder = { ...c.old };
  if (c.item.flat) {
    const p = nicePrice(c.old.p3 * (1 + c.dir * rate));
    next.p3 = next.p2 = next.p1 = p;
  } else {
    for (const lv of c.levels) next[lv] = nicePrice(c.old[lv] * (1 + c.dir * rate));
  }
  for (const lv of c.levels) {
    if (next[lv] === c.old[lv]) next[lv] = c.old[lv] + c.dir * (c.old[lv] >= 10_000 ? 100 : c.old[lv] >= 1_000 ? 50 : 10);
  }
  next.p2 = Math.min(next.p2, next.p3);
  next.p1 = Math.min(next.p1, next.p2);
  c.next = next;
}

function ladderOk(l: Ladder): boolean {
  return l.p3 >= l.p2 && l.p2 >= l.p1 && l.p1 >= 10;
}

/** Weighted sampling without replacement (Efraimidis–Spirakis keys). */
function weightedOrder<T>(items: T[], weight: (t: T) => number, r: Rng): T[] {
  return items
    .map((t) => ({ t, k: Math.log(1 - r.next()) / Math.max(1e-9, weight(t)) }))
    .sort((a, b) => b.k - a.k)
    .map((x) => x.t);
}

export function buildRound(
  spec: RoundSpec,
  regionCode: string,
  items: Item[],
  inForce: Map<string, Ladder>,
  volumes: Map<string, [number, number, number]>,
  rng: Rng,
): RoundResult {
  const r = rng.fork(`round${spec.round}:${regionCode}`);
  const target = Math.round(spec.netByCity[regionCode] as number);
  const targetCount = spec.countByCity[regionCode] as number;
  const fixtures = { ...(spec.fixtures['*'] ?? {}), ...(spec.fixtures[regionCode] ?? {}) };
  const excluded = new Set([...(spec.exclude['*'] ?? []), ...(spec.exclude[regionCode] ?? []), ...Object.keys(fixtures)]);
  const zero: [number, number, number] = [0, 0, 0];

  const changes: Change[] = [];
  let count = 0;
  for (const [code, f] of Object.entries(fixtures)) {
    const item = items.find((i) => i.code === code);
    const old = inForce.get(code);
    if (!item || !old) throw new Error(`round ${spec.round} fixture ${code} not in ${regionCode}'s price table`);
    const next = { p3: yuan(f[0]), p2: yuan(f[1]), p1: yuan(f[2]) };
    const c: Change = { item, old, next, q: volumes.get(code) ?? zero, levels: [...LEVELS], dir: next.p3 > old.p3 ? 1 : -1, rate: 0, fixed: true };
    changes.push(c);
    count += countOf(c);
  }

  const revenue = (it: Item) => {
    const p = inForce.get(it.code);
    const q = volumes.get(it.code) ?? zero;
    return p ? p.p3 * q[0] + p.p2 * q[1] + p.p1 * q[2] : 0;
  };
  const pool = items.filter((it) => !excluded.has(it.code) && inForce.has(it.code));
  const ups = weightedOrder(pool.filter((it) => roundRole(it) === 'up'), (it) => Math.sqrt(revenue(it)) + 50, r);
  const downs = weightedOrder(
    pool.filter((it) => roundRole(it) === 'down' && (inForce.get(it.code)?.p1 ?? 0) >= 100),
    (it) => Math.sqrt(revenue(it)) + 50,
    r,
  );

  const remainingAfterFixtures = targetCount - count;
  const downBudget = Math.floor((remainingAfterFixtures * spec.downShare) / 3) * 3;
  for (const it of downs) {
    if (count >= targetCount - remainingAfterFixtures + downBudget) break;
    const old = inForce.get(it.code) as Ladder;
    changes.push({ item: it, old, next: old, q: volumes.get(it.code) ?? zero, levels: [...LEVELS], dir: -1, rate: r.range(0.1, 0.3), fixed: false });
    count += 3;
  }
  for (const it of ups) {
    const left = targetCount - count;
    if (left === 0) break;
    let levels: Lv[] = it.flat ? [...LEVELS] : it.minLevel === 3 ? ['p3'] : it.minLevel === 2 && r.chance(0.2) ? ['p3', 'p2'] : [...LEVELS];
    if (levels.length > left) {
      if (it.flat) continue;
      levels = levels.slice(0, left);
    }
    const old = inForce.get(it.code) as Ladder;
    const labourBoost = it.kind === 'nurs' || it.kind === 'cons' || it.kind === 'tcm' ? 1.3 : 1;
    changes.push({ item: it, old, next: old, q: volumes.get(it.code) ?? zero, levels, dir: 1, rate: r.range(0.08, 0.35) * labourBoost, fixed: false });
    count += it.flat ? 3 : levels.length;
  }
  if (count !== targetCount) throw new Error(`round ${spec.round} ${regionCode}: could not reach ${targetCount} item prices (${count})`);

  // Scale the rates so that the net amount meets the target, then fine-tune single prices in whole fen.
  const free = changes.filter((c) => !c.fixed);
  const upC = free.filter((c) => c.dir === 1);
  const downC = free.filter((c) => c.dir === -1);
  const fixedNet = changes.filter((c) => c.fixed).reduce((s, c) => s + netOf(c), 0);
  let sUp = 1;
  let sDown = 1;
  const cap = (c: Change, s: number) => Math.min(c.dir === 1 ? 1.2 : 0.5, c.rate * s);
  for (let iter = 0; iter < 40; iter++) {
    for (const c of upC) applyRate(c, cap(c, sUp));
    for (const c of downC) applyRate(c, cap(c, sDown));
    const U = upC.reduce((s, c) => s + netOf(c), 0);
    const D = -downC.reduce((s, c) => s + netOf(c), 0);
    const need = target - fixedNet + D;
    if (U <= 0) throw new Error(`round ${spec.round} ${regionCode}: no volume on the raised items`);
    const ratio = need / U;
    if (Math.abs(ratio - 1) < 1e-4) break;
    sUp *= ratio;
    if (sUp > 3) {
      // Ups alone cannot carry it: soften the cuts instead.
      sDown *= Math.max(0.3, 1 - (sUp - 3) / sUp);
      sUp = 3;
    } else if (sUp < 0.2) {
      sDown *= Math.min(2, 1 + (0.2 - sUp) / 0.2);
      sUp = 0.2;
    }
  }

  let residual = target - changes.reduce((s, c) => s + netOf(c), 0);
  const entries: Array<{ c: Change; lv: Lv; q: number }> = [];
  for (const c of free) {
    if (c.item.flat) continue;
    for (const lv of c.levels) {
      const q = qOf(c.q, lv);
      if (q > 0) entries.push({ c, lv, q });
    }
  }
  entries.sort((a, b) => b.q - a.q || (a.c.item.code < b.c.item.code ? -1 : 1));
  const planned = new Map(entries.map((e) => [e, e.c.next[e.lv]]));
  for (const step of [100, 50, 10, 1]) {
    for (const e of entries) {
      if (residual === 0) break;
      let k = Math.trunc(residual / (e.q * step)) * step;
      if (k === 0) continue;
      const old = e.c.old[e.lv];
      const cur = e.c.next[e.lv];
      const plan = planned.get(e) as number;
      // Stay clearly on the same side of the old price, within a sensible band and near the planned price.
      const lo = Math.max(
        e.c.dir === 1 ? Math.min(cur, Math.ceil(old * 1.03)) : Math.max(10, Math.ceil(old * 0.4)),
        plan - Math.ceil(old * 0.12),
      );
      const hi = Math.min(
        e.c.dir === 1 ? Math.floor(old * 2.3) : Math.max(cur, Math.floor(old * 0.95)),
        plan + Math.ceil(old * 0.12),
      );
      k = Math.max(lo - cur, Math.min(hi - cur, k));
      if (step > 1) k = Math.trunc(k / step) * step;
      if (k === 0) continue;
      const trial = { ...e.c.next, [e.lv]: cur + k };
      if (!ladderOk(trial)) continue;
      e.c.next = trial;
      residual -= k * e.q;
    }
  }
  if (Math.abs(residual) > 100_00) {
    throw new Error(`round ${spec.round} ${regionCode}: residual ${residual / 100} 元 after fine-tuning`);
  }

  const rows = changes
    .map((c) => ({ item: c.item, old: c.old, next: c.next }))
    .sort((a, b) => (a.item.code < b.item.code ? -1 : a.item.code > b.item.code ? 1 : 0));
  const net = changes.reduce((s, c) => s + netOf(c), 0);
  const finalCount = rows.reduce((s, row) => s + countOf(row), 0);
  if (finalCount !== targetCount) throw new Error(`round ${spec.round} ${regionCode}: ${finalCount} item prices instead of ${targetCount}`);
  return { regionCode, spec, rows, net, count: finalCount, target };
}

/** Prices in force after a round. */
export function applyRound(prices: Map<string, Ladder>, round: RoundResult): Map<string, Ladder> {
  const out = new Map(prices);
  for (const row of round.rows) out.set(row.item.code, row.next);
  return out;
}
