/**
 * Price optimiser, part 2: solving the LP of model.ts and turning the solution into a proposal.
 *
 * The solver is injected, `(lpText) => result`, in the shape of the `highs` package's `solve` (CPLEX-LP text in,
 * { Status, ObjectiveValue, Columns: { name: { Primal } }, Rows: [{ Name, Primal, Dual }] } out), so the domain stays
 * pure: the caller loads HiGHS once and passes `(lp) => highs.solve(lp, OPTIMISER_HIGHS_OPTIONS)`.
 *
 * Steps:
 * 1. Pre-checks without the solver: no column at all, or fewer movable items than the item-share floor needs.
 * 2. Solve the LP. Infeasible → conflict analysis (below). Any other non-optimal status → { status: 'error' }.
 * 3. Round to whole fen without breaking a constraint: a value within 10⁻⁶ of a whole fen snaps to it, otherwise a
 *    raise is rounded down and a cut up (both lower the net, so `total` keeps holding). Then an exact integer repair,
 *    in this order: (a) net over the total → take fen off raises of non-labour rows, add to cuts, take off labour
 *    raises; (b) labour rule missed → take fen off non-labour raises, or add to labour raises within the total;
 *    (c) net under minNet → give back cut fen, add to labour raises, then to non-labour raises within the labour
 *    rule; (d) top-up: leftover room in the total goes in whole fen to raises in order of recovery gap. Every
 *    constraint is then checked again exactly (BigInt for the labour rule); an instance that cannot be met in whole
 *    fen is reported as an `integer_rounding` conflict.
 * 4. Item-share floor (a count, not an LP row — see model.ts): if the rounded proposal adjusts fewer than
 *    ⌈N × floor⌉ distinct items, the unadjusted movable items with the largest recovery gap are pre-selected, each
 *    gets a forced step (lower bound max(1 fen, ⌈P⁰ × floorStep⌉), at most its upper bound), each item already
 *    adjusted keeps min(its change, that step) on one row, and the LP is solved again (steps 2–3).
 * 5. Explain: per changed row the bound or row that stops it (`binding`): 'cap' / 'cost' when it sits at its
 *    column bound (the tighter one), 'item_share_floor' when it sits at a forced step, otherwise the LP row that
 *    binds (row dual ≠ 0 and row tight): 'labour_rule' for a non-labour raise when that row binds, else 'total',
 *    'labour_rule', 'min_net'; null when none does. The binding constraints of the round come from the same duals,
 *    with the exact slack of the rounded proposal.
 *
 * Conflicts (infeasible settings): a deletion filter over the constraint groups (total, labour_rule, min_net,
 * item_share_floor): each group is dropped in turn and stays dropped when the rest is still infeasible, so what
 * remains is a minimal conflicting set (one solve per group). The per-row limits (cap, cost, target recovery) are
 * named as well (`item_bounds`) when the same set becomes feasible with those limits lifted (`wideVars`), and the
 * direction rules (`direction_rules`) when it becomes feasible with noRaiseOn / allowCutsOn lifted and the per-row
 * limits kept (`anyDirectionVars`). For money rows the smallest relaxation of that row alone that makes the whole
 * model feasible is computed with one elastic solve each (`relaxFen`) and stated in the message. The pre-checks
 * of step 1 name item_share_floor / total / min_net with item_bounds without solving.
 */
import type { Fen } from '../money';
import type { Ratio } from '../pricing';
import {
  anyDirectionVars,
  buildLp,
  ceilTimes,
  CONSTRAINT_LABEL_ZH,
  FIXED_REASON_ZH,
  prepareModel,
  wideVars,
  type ConstraintName,
  type FixedReason,
  type LpBuildOptions,
  type LpRowName,
  type OptimiserItem,
  type OptimiserSettings,
  type PreparedModel,
  type VarPlan,
  type OptimiserBinding,
} from './model';
import { conflictMessage, fmt, pctN, pctQ, pctR, reasonZh } from './sentences';

// ---------------------------------------------------------------------------------------------------------------
// Solver interface

export interface LpColumnResult {
  Index?: number;
  Primal?: number;
}

export interface LpRowResult {
  Index?: number;
  Name?: string;
  Primal?: number;
  Dual?: number;
}

/** The part of a HiGHS result the optimiser reads. */
export interface LpSolveResult {
  Status: string;
  ObjectiveValue?: number;
  Columns: Readonly<Record<string, LpColumnResult>>;
  Rows: readonly LpRowResult[];
}

export type LpSolver = (lpText: string) => LpSolveResult;

/**
 * HiGHS options suggested for these LPs (a few dense rows over bounded columns, where presolve gains nothing):
 * `(lp) => highs.solve(lp, OPTIMISER_HIGHS_OPTIONS)`. On 10,000 rows this roughly halved the median time of a solve
 * and removed slow outliers (some default-option solves took over a second) in the conflict analysis.
 */
export const OPTIMISER_HIGHS_OPTIONS = { solver: 'simplex', presolve: 'off' } as const;

// ---------------------------------------------------------------------------------------------------------------
// Result types

export type { OptimiserBinding } from './model';

export interface ProposalChange {
  /** Row index in the input. */
  index: number;
  itemCode: string;
  name: string;
  level: OptimiserItem['level'];
  categoryCode: string;
  family: OptimiserItem['family'];
  labourDominant: boolean;
  direction: 'up' | 'down';
  oldPriceFen: Fen;
  newPriceFen: Fen;
  deltaFen: Fen;
  /** ΔP ÷ P⁰. */
  changeRate: number;
  quantity: number;
  /** ΔP × Q. */
  amountFen: Fen;
  unitCostFen: Fen;
  recoveryBefore: number;
  recoveryAfter: number;
  binding: OptimiserBinding;
  reasonZh: string;
}

export interface ProposalSummary {
  totalFen: Fen;
  minNetFen: Fen | null;
  netFen: Fen;
  grossUpFen: Fen;
  grossDownFen: Fen;
  /** Raised amount on labour-dominant rows. */
  labourUpFen: Fen;
  /** labourUp ÷ grossUp; null when nothing is raised. */
  labourShare: number | null;
  labourRuleShare: number;
  upRowCount: number;
  downRowCount: number;
  itemCount: number;
  adjustedItemCount: number;
  requiredItemCount: number;
  /** Rows with a lower bound from the item-share floor heuristic (pre-selected items and the adjusted ones kept). */
  floorForcedCount: number;
  /** Objective of the last LP (recovery gap × 元 moved). */
  objective: number;
  columns: number;
  solves: number;
}

export interface BindingConstraint {
  constraint: LpRowName | 'cap' | 'cost' | 'item_share_floor';
  labelZh: string;
  /** |row dual|: objective gained per extra 元 of the row's bound; null for bounds. */
  shadowPrice: number | null;
  /** Room left in the rounded proposal, fen (for rows). */
  slackFen: Fen | null;
  /** Rows stopped by the bound (for cap, cost, item_share_floor). */
  rowCount: number | null;
  messageZh: string;
}

export interface OptimalProposal {
  status: 'optimal';
  changes: ProposalChange[];
  /** New price of every input row, in input order. */
  newPriceFen: Fen[];
  summary: ProposalSummary;
  binding: BindingConstraint[];
  /** Rows that could not move, by reason. */
  excluded: Partial<Record<FixedReason, number>>;
  notesZh: string[];
}

export interface ConflictInfo {
  constraint: ConstraintName;
  labelZh: string;
  messageZh: string;
  /** Smallest relaxation of this constraint alone that makes the model feasible, fen (money rows only). */
  relaxFen: Fen | null;
}

export interface InfeasibleProposal {
  status: 'infeasible';
  conflicts: ConflictInfo[];
  messageZh: string;
  solves: number;
}

export interface SolverFailure {
  status: 'error';
  solverStatus: string;
  messageZh: string;
}

export type OptimiserResult = OptimalProposal | InfeasibleProposal | SolverFailure;

// ---------------------------------------------------------------------------------------------------------------
// Helpers

const SNAP = 1e-6;

interface LpRun {
  kind: 'optimal' | 'infeasible' | 'error';
  status: string;
  x: Float64Array;
  /** Row name → { dual, activity }. */
  rows: Map<string, { dual: number; activity: number }>;
  objective: number;
}

class Runner {
  solves = 0;
  constructor(
    private readonly m: PreparedModel,
    private readonly solver: LpSolver,
  ) {}

  run(opts: LpBuildOptions = {}): LpRun {
    const lp = buildLp(this.m, opts);
    this.solves++;
    const res = this.solver(lp.text);
    const status = res.Status;
    const vars = opts.vars ?? this.m.vars;
    const x = new Float64Array(vars.length + (lp.elasticName ? 1 : 0));
    const rows = new Map<string, { dual: number; activity: number }>();
    if (status === 'Optimal') {
      for (let k = 0; k < vars.length; k++) x[k] = res.Columns[vars[k].name]?.Primal ?? 0;
      if (lp.elasticName) x[vars.length] = res.Columns[lp.elasticName]?.Primal ?? 0;
      res.Rows.forEach((r, i) => rows.set(r.Name ?? lp.rows[i], { dual: r.Dual ?? 0, activity: r.Primal ?? 0 }));
      return { kind: 'optimal', status, x, rows, objective: res.ObjectiveValue ?? 0 };
    }
    // every column is bounded, so "infeasible or unbounded" can only be infeasible
    const kind = status === 'Infeasible' || status === 'Primal infeasible or unbounded' ? 'infeasible' : 'error';
    return { kind, status, x, rows, objective: 0 };
  }

  feasible(opts: LpBuildOptions): boolean {
    const rows = opts.rows ?? this.m.lpRows;
    if (!rows.length) return true; // bounds alone are consistent by construction
    if (!(opts.vars ?? this.m.vars).length) {
      // no columns: only "nothing changes" is possible
      const s = this.m.settings;
      return !(rows.includes('total') && s.totalFen < 0) && !(rows.includes('min_net') && s.minNetFen !== null && s.minNetFen > 0);
    }
    const r = this.run({ ...opts, feasibilityOnly: true });
    if (r.kind === 'error') throw new SolverError(r.status);
    return r.kind === 'optimal';
  }
}

/** A solver status other than optimal / infeasible during the conflict analysis. */
class SolverError extends Error {
  constructor(readonly solverStatus: string) {
    super(`LP solver failed: ${solverStatus}`);
  }
}

function diagnoseOrFail(m: PreparedModel, runner: Runner, lowerBounds: ReadonlyMap<number, number> | null): InfeasibleProposal | SolverFailure {
  try {
    return diagnose(m, runner, lowerBounds);
  } catch (e) {
    if (e instanceof SolverError) return failure(e.solverStatus);
    throw e;
  }
}

/** Integer state of a proposal: movement in fen per column. */
interface IntState {
  d: number[];
  lb: number[];
}

interface Sums {
  net: number;
  up: number;
  down: number;
  labourUp: number;
}

function sums(vars: readonly VarPlan[], d: readonly number[]): Sums {
  let up = 0;
  let down = 0;
  let labourUp = 0;
  for (let k = 0; k < vars.length; k++) {
    const a = d[k] * vars[k].quantity;
    if (vars[k].dir === 'up') {
      up += a;
      if (vars[k].labour) labourUp += a;
    } else down += a;
  }
  for (const v of [up, down, labourUp]) if (!Number.isSafeInteger(v)) throw new RangeError('proposal sums exceed the exact integer range');
  return { net: up - down, up, down, labourUp };
}

/** d·L − n·G (≥ 0 when the labour rule holds), exact. */
function labourRoom(rule: Ratio, s: Sums): bigint {
  return rule.d * BigInt(s.labourUp) - rule.n * BigInt(s.up);
}

const byGapAsc = (vars: readonly VarPlan[]) => (a: number, b: number) => vars[a].gap - vars[b].gap || a - b;
const byGapDesc = (vars: readonly VarPlan[]) => (a: number, b: number) => vars[b].gap - vars[a].gap || a - b;

/** Rounds the LP solution and repairs it to whole fen; null when no whole-fen proposal was found. */
function roundAndRepair(m: PreparedModel, x: Float64Array, lbIn: ReadonlyMap<number, number>): IntState | null {
  const vars = m.vars;
  const s = m.settings;
  const n = vars.length;
  const d = new Array<number>(n);
  const lb = new Array<number>(n);
  for (let k = 0; k < n; k++) {
    const v = vars[k];
    const val = x[k];
    const r = Math.round(val);
    const q = Math.abs(val - r) <= SNAP ? r : v.dir === 'up' ? Math.floor(val) : Math.ceil(val);
    lb[k] = lbIn.get(k) ?? 0;
    d[k] = Math.min(v.upperFen, Math.max(lb[k], q));
  }
  const T = s.totalFen;
  const st = sums(vars, d);
  const rn = s.rule.n;
  const rd = s.rule.d;
  /** Moves column k by `units` fen of movement (negative: less movement), keeping the sums current. */
  const move = (k: number, units: number): void => {
    const v = vars[k];
    const a = units * v.quantity;
    d[k] += units;
    if (v.dir === 'up') {
      st.up += a;
      st.net += a;
      if (v.labour) st.labourUp += a;
    } else {
      st.down += a;
      st.net -= a;
    }
  };
  const room = (): bigint => labourRoom(s.rule, st);
  const pick = (pred: (v: VarPlan, k: number) => boolean, desc: boolean): number[] => {
    const out: number[] = [];
    for (let k = 0; k < n; k++) if (pred(vars[k], k)) out.push(k);
    return out.sort(desc ? byGapDesc(vars) : byGapAsc(vars));
  };
  const canLess = (k: number) => d[k] > lb[k];
  const canMore = (k: number) => d[k] < vars[k].upperFen;
  /** Units of raise on a non-labour column that keep the labour rule. */
  const ruleLimit = (k: number): number => (rn > 0n ? Number(room() / (rn * BigInt(vars[k].quantity))) : Number.MAX_SAFE_INTEGER);

  // (a) net over the total
  for (const order of [
    pick((v, k) => v.dir === 'up' && !v.labour && canLess(k), false),
    pick((v, k) => v.dir === 'down' && canMore(k), true),
    pick((v, k) => v.dir === 'up' && v.labour && canLess(k), false),
  ]) {
    for (const k of order) {
      if (st.net <= T) break;
      const q = vars[k].quantity;
      const units = Math.min(vars[k].dir === 'up' ? d[k] - lb[k] : vars[k].upperFen - d[k], Math.ceil((st.net - T) / q));
      move(k, vars[k].dir === 'up' ? -units : units);
    }
  }

  // (b) labour rule: d·L − n·G ≥ 0
  if (room() < 0n) {
    for (const k of pick((v, k) => v.dir === 'up' && !v.labour && canLess(k), false)) {
      const r = room();
      if (r >= 0n) break;
      const per = rn * BigInt(vars[k].quantity);
      move(k, -Math.min(d[k] - lb[k], Number((-r + per - 1n) / per)));
    }
    if (rd > rn) {
      for (const k of pick((v, k) => v.dir === 'up' && v.labour && canMore(k), true)) {
        const r = room();
        if (r >= 0n) break;
        const q = vars[k].quantity;
        const per = (rd - rn) * BigInt(q);
        const units = Math.min(vars[k].upperFen - d[k], Math.floor((T - st.net) / q), Number((-r + per - 1n) / per));
        if (units > 0) move(k, units);
      }
    }
  }

  // (c) net under minNet: give back cut fen, then raise labour rows, then other rows within the labour rule
  const minNet = s.minNetFen;
  if (minNet !== null && st.net < minNet) {
    for (const [order, kind] of [
      [pick((v, k) => v.dir === 'down' && canLess(k), false), 'cut'],
      [pick((v, k) => v.dir === 'up' && v.labour && canMore(k), true), 'labour'],
      [pick((v, k) => v.dir === 'up' && !v.labour && canMore(k), true), 'other'],
    ] as const) {
      for (const k of order) {
        if (st.net >= minNet) break;
        const q = vars[k].quantity;
        let units = Math.min(kind === 'cut' ? d[k] - lb[k] : vars[k].upperFen - d[k], Math.ceil((minNet - st.net) / q), Math.floor((T - st.net) / q));
        if (kind === 'other') units = Math.min(units, ruleLimit(k));
        if (units > 0) move(k, kind === 'cut' ? -units : units);
      }
    }
  }

  // (d) top-up: leftover room in the total goes to raises by recovery gap
  if (st.net < T) {
    for (const k of pick((v, k) => v.dir === 'up' && canMore(k), true)) {
      const q = vars[k].quantity;
      let units = Math.min(vars[k].upperFen - d[k], Math.floor((T - st.net) / q));
      if (!vars[k].labour) units = Math.min(units, ruleLimit(k));
      if (units > 0) move(k, units);
    }
  }

  // exact re-check from scratch
  for (let k = 0; k < n; k++) if (!(Number.isSafeInteger(d[k]) && d[k] >= lb[k] && d[k] <= vars[k].upperFen)) return null;
  const fin = sums(vars, d);
  if (fin.net > T) return null;
  if (minNet !== null && fin.net < minNet) return null;
  if (labourRoom(s.rule, fin) < 0n) return null;
  return { d, lb };
}

// ---------------------------------------------------------------------------------------------------------------
// Conflicts

function infeasible(m: PreparedModel, groups: { g: ConstraintName; relaxFen: Fen | null }[], solves: number, floorFromLp = false): InfeasibleProposal {
  const conflicts = groups.map(({ g, relaxFen }) => ({ constraint: g, labelZh: CONSTRAINT_LABEL_ZH[g], messageZh: conflictMessage(m, g, relaxFen, floorFromLp), relaxFen }));
  return {
    status: 'infeasible',
    conflicts,
    messageZh: `调价设置相互冲突，无法同时满足：${conflicts.map((c) => c.labelZh).join('、')}。`,
    solves,
  };
}

/** Minimal conflicting set of constraint groups (deletion filter), plus whether the per-row limits take part. */
function diagnose(m: PreparedModel, runner: Runner, lowerBounds: ReadonlyMap<number, number> | null): InfeasibleProposal {
  type Group = LpRowName | 'item_share_floor';
  const all: Group[] = [...m.lpRows, ...(lowerBounds ? (['item_share_floor'] as const) : [])];
  const optsOf = (set: readonly Group[], wide: 0 | 1 | 2): LpBuildOptions => {
    const rows = set.filter((g): g is LpRowName => g !== 'item_share_floor');
    const floor = lowerBounds && set.includes('item_share_floor') ? lowerBounds : undefined;
    if (!wide) return { rows, lowerBounds: floor };
    const vars = wide === 1 ? wideVars(m) : anyDirectionVars(m);
    let lb: Map<number, number> | undefined;
    if (floor) {
      const pos = new Map(vars.map((v, k) => [`${v.row}:${v.dir}`, k]));
      lb = new Map();
      for (const [k, b] of floor) {
        const w = pos.get(`${m.vars[k].row}:${m.vars[k].dir}`);
        if (w !== undefined) lb.set(w, b);
      }
    }
    return { rows, lowerBounds: lb, vars };
  };
  /** wide: 0 = the model's columns, 1 = per-row limits lifted, 2 = direction rules lifted (per-row limits kept). */
  const feasible = (set: readonly Group[], wide: 0 | 1 | 2 = 0): boolean => {
    const o = optsOf(set, wide);
    // without rows, the bounds (lower ≤ upper by construction) are always consistent
    return o.rows?.length ? runner.feasible(o) : true;
  };

  let conflict = [...all];
  for (const g of all) {
    const trial = conflict.filter((x) => x !== g);
    if (!feasible(trial)) conflict = trial;
  }
  const groups: { g: ConstraintName; relaxFen: Fen | null }[] = [];
  for (const g of conflict) {
    let relaxFen: Fen | null = null;
    if (g !== 'item_share_floor') {
      const r = runner.run({ rows: m.lpRows, lowerBounds: lowerBounds ?? undefined, elastic: g });
      if (r.kind === 'optimal') relaxFen = Math.ceil(r.x[r.x.length - 1] * 100 - SNAP);
    }
    groups.push({ g, relaxFen });
  }
  // the per-row limits and the direction rules are reported when lifting them alone resolves the conflict
  if (conflict.length === 0 || feasible(conflict, 1)) groups.push({ g: 'item_bounds', relaxFen: null });
  if (conflict.length > 0 && feasible(conflict, 2)) groups.push({ g: 'direction_rules', relaxFen: null });
  return infeasible(m, groups, runner.solves, true);
}

// ---------------------------------------------------------------------------------------------------------------
// Entry point

/**
 * Proposes new prices for `items` under `settings` with the injected LP solver. Pure apart from the solver calls.
 */
export function optimisePrices(items: readonly OptimiserItem[], settings: OptimiserSettings, solver: LpSolver): OptimiserResult {
  const m = prepareModel(items, settings);
  const s = m.settings;
  const runner = new Runner(m, solver);

  // 1. pre-checks
  if (m.requiredItems > m.movableItemCount) {
    return infeasible(m, [{ g: 'item_share_floor', relaxFen: null }, { g: 'item_bounds', relaxFen: null }], 0);
  }
  if (m.vars.length === 0) {
    const bad: { g: ConstraintName; relaxFen: Fen | null }[] = [];
    if (s.totalFen < 0) bad.push({ g: 'total', relaxFen: -s.totalFen });
    if (s.minNetFen !== null && s.minNetFen > 0) bad.push({ g: 'min_net', relaxFen: s.minNetFen });
    if (bad.length) return infeasible(m, [...bad, { g: 'item_bounds', relaxFen: null }], 0);
    return proposal(m, { d: [], lb: [] }, null, runner.solves, []);
  }

  // 2–3. solve and round
  let run = runner.run();
  if (run.kind === 'infeasible') return diagnoseOrFail(m, runner, null);
  if (run.kind === 'error') return failure(run.status);
  let state = roundAndRepair(m, run.x, new Map());
  if (!state) return infeasible(m, [{ g: 'integer_rounding', relaxFen: null }], runner.solves);
  const notes: string[] = [];

  // 4. item-share floor
  const adjusted = adjustedCodes(m, state.d);
  if (adjusted.size < m.requiredItems) {
    const lowerBounds = floorBounds(m, state.d, adjusted);
    run = runner.run({ lowerBounds });
    if (run.kind === 'infeasible') return diagnoseOrFail(m, runner, lowerBounds);
    if (run.kind === 'error') return failure(run.status);
    state = roundAndRepair(m, run.x, lowerBounds);
    if (!state) return infeasible(m, [{ g: 'integer_rounding', relaxFen: null }, { g: 'item_share_floor', relaxFen: null }], runner.solves);
    notes.push(
      `按线性规划结果只调整了${adjusted.size}项，低于调价项目数比例下限要求的${m.requiredItems}项；` +
        `已按成本回收率差距补选${m.requiredItems - adjusted.size}项并设最小调幅（原价的${pctR(s.step)}，至少1分）后重新求解。`,
    );
  }
  return proposal(m, state, run, runner.solves, notes);
}

function failure(status: string): SolverFailure {
  return { status: 'error', solverStatus: status, messageZh: `线性规划求解未得到最优解（求解器状态：${status}）。` };
}

function adjustedCodes(m: PreparedModel, d: readonly number[]): Set<string> {
  const out = new Set<string>();
  for (let k = 0; k < m.vars.length; k++) if (d[k] > 0) out.add(m.items[m.vars[k].row].itemCode);
  return out;
}

/** Forced steps for the item-share floor heuristic (see the module comment, step 4). */
function floorBounds(m: PreparedModel, d: readonly number[], adjusted: ReadonlySet<string>): Map<number, number> {
  const s = m.settings;
  const stepOf = (k: number) => Math.min(m.vars[k].upperFen, Math.max(1, ceilTimes(m.items[m.vars[k].row].oldPriceFen, s.step)));
  const lb = new Map<number, number>();
  // keep every adjusted item adjusted: one row each, its largest change
  const keep = new Map<string, number>();
  const best = new Map<string, number>();
  for (let k = 0; k < m.vars.length; k++) {
    const code = m.items[m.vars[k].row].itemCode;
    if (d[k] > 0) {
      const cur = keep.get(code);
      if (cur === undefined || d[k] > d[cur]) keep.set(code, k);
    } else if (!adjusted.has(code)) {
      const cur = best.get(code);
      if (cur === undefined || m.vars[k].gap > m.vars[cur].gap) best.set(code, k);
    }
  }
  for (const k of keep.values()) lb.set(k, Math.min(d[k], stepOf(k)));
  const extra = [...best.values()].sort(byGapDesc(m.vars)).slice(0, m.requiredItems - adjusted.size);
  for (const k of extra) lb.set(k, stepOf(k));
  return lb;
}

function rowIsBinding(run: LpRun | null, name: LpRowName, bound: number): { binding: boolean; dual: number } {
  const r = run?.rows.get(name);
  if (!r) return { binding: false, dual: 0 };
  const tight = Math.abs(r.activity - bound) <= 1e-7 * Math.max(1, Math.abs(bound));
  return { binding: tight && Math.abs(r.dual) > 1e-12, dual: Math.abs(r.dual) };
}

function proposal(m: PreparedModel, state: IntState, run: LpRun | null, solves: number, notes: string[]): OptimalProposal {
  const s = m.settings;
  const vars = m.vars;
  const st = sums(vars, state.d);
  const rowBind = {
    total: rowIsBinding(run, 'total', s.totalFen / 100),
    labour_rule: rowIsBinding(run, 'labour_rule', 0),
    min_net: rowIsBinding(run, 'min_net', (s.minNetFen ?? 0) / 100),
  };
  const newPriceFen = m.items.map((it) => it.oldPriceFen);
  const changes: ProposalChange[] = [];
  let capCount = 0;
  let costCount = 0;
  let floorCount = 0;
  let upRows = 0;
  let downRows = 0;
  for (let k = 0; k < vars.length; k++) {
    const dk = state.d[k];
    if (dk === 0) continue;
    const v = vars[k];
    const it = m.items[v.row];
    const delta = v.dir === 'up' ? dk : -dk;
    newPriceFen[v.row] = it.oldPriceFen + delta;
    let b: OptimiserBinding;
    if (dk === v.upperFen) b = v.bound;
    else if (state.lb[k] > 0 && dk === state.lb[k]) b = 'item_share_floor';
    else if (v.dir === 'up') {
      if (!v.labour && rowBind.labour_rule.binding) b = 'labour_rule';
      else if (rowBind.total.binding) b = 'total';
      else if (rowBind.labour_rule.binding) b = 'labour_rule';
      else if (rowBind.min_net.binding) b = 'min_net';
      else b = null;
    } else b = rowBind.min_net.binding ? 'min_net' : rowBind.total.binding ? 'total' : null;
    if (b === 'cap') capCount++;
    else if (b === 'cost') costCount++;
    else if (b === 'item_share_floor') floorCount++;
    if (v.dir === 'up') upRows++;
    else downRows++;
    const c = it.unitCostFen ?? 0;
    changes.push({
      index: v.row,
      itemCode: it.itemCode,
      name: it.name,
      level: it.level,
      categoryCode: it.categoryCode,
      family: it.family,
      labourDominant: v.labour,
      direction: v.dir,
      oldPriceFen: it.oldPriceFen,
      newPriceFen: it.oldPriceFen + delta,
      deltaFen: delta,
      changeRate: delta / it.oldPriceFen,
      quantity: it.quantity,
      amountFen: delta * it.quantity,
      unitCostFen: c,
      recoveryBefore: it.oldPriceFen / c,
      recoveryAfter: (it.oldPriceFen + delta) / c,
      binding: b,
      reasonZh: reasonZh(m, it, v.labour, v.dir, delta, b),
    });
  }
  changes.sort((a, b) => a.index - b.index);

  const binding: BindingConstraint[] = [];
  if (rowBind.total.binding) {
    const slack = s.totalFen - st.net;
    binding.push({
      constraint: 'total',
      labelZh: CONSTRAINT_LABEL_ZH.total,
      shadowPrice: rowBind.total.dual,
      slackFen: slack,
      rowCount: null,
      messageZh: `净调价${fmt(st.net)}，已用足调价总量${fmt(s.totalFen)}（取整后余${fmt(slack)}）。`,
    });
  }
  if (rowBind.labour_rule.binding) {
    const room = labourRoom(s.rule, st);
    binding.push({
      constraint: 'labour_rule',
      labelZh: CONSTRAINT_LABEL_ZH.labour_rule,
      shadowPrice: rowBind.labour_rule.dual,
      slackFen: Number(room / s.rule.d),
      rowCount: null,
      messageZh: `技术劳务项目占上调金额${st.up > 0 ? pctQ(st.labourUp, st.up) : '—'}，正好满足不低于${pctR(s.rule)}的要求，其他项目不能再多上调。`,
    });
  }
  if (rowBind.min_net.binding && s.minNetFen !== null) {
    const slack = st.net - s.minNetFen;
    binding.push({
      constraint: 'min_net',
      labelZh: CONSTRAINT_LABEL_ZH.min_net,
      shadowPrice: rowBind.min_net.dual,
      slackFen: slack,
      rowCount: null,
      messageZh: `净调价不得低于${fmt(s.minNetFen)}，降价项目不能再多降。`,
    });
  }
  if (capCount) {
    binding.push({ constraint: 'cap', labelZh: '调价幅度上限', shadowPrice: null, slackFen: null, rowCount: capCount, messageZh: `${capCount}条项目调到调价幅度上限${pctR(s.cap)}。` });
  }
  if (costCount) {
    binding.push({ constraint: 'cost', labelZh: '成本约束', shadowPrice: null, slackFen: null, rowCount: costCount, messageZh: `${costCount}条项目调到成本（上调至目标回收率${pctR(s.target)}或下调至成本）。` });
  }
  if (floorCount) {
    binding.push({
      constraint: 'item_share_floor',
      labelZh: CONSTRAINT_LABEL_ZH.item_share_floor,
      shadowPrice: null,
      slackFen: null,
      rowCount: floorCount,
      messageZh: `${floorCount}条项目为满足调价项目数比例下限${pctN(s.itemShareFloor)}而按最小调幅调整。`,
    });
  }

  const adjusted = adjustedCodes(m, state.d);
  const excludedCount = Object.values(m.excluded).reduce((a, k) => a + (k ?? 0), 0);
  if (excludedCount) {
    notes.push(
      `${excludedCount}条项目未参与优化：${(Object.entries(m.excluded) as [FixedReason, number][]).map(([r, k]) => `${FIXED_REASON_ZH[r]}${k}条`).join('、')}。`,
    );
  }
  return {
    status: 'optimal',
    changes,
    newPriceFen,
    summary: {
      totalFen: s.totalFen,
      minNetFen: s.minNetFen,
      netFen: st.net,
      grossUpFen: st.up,
      grossDownFen: st.down,
      labourUpFen: st.labourUp,
      labourShare: st.up > 0 ? st.labourUp / st.up : null,
      labourRuleShare: s.labourRuleShare,
      upRowCount: upRows,
      downRowCount: downRows,
      itemCount: m.itemCount,
      adjustedItemCount: adjusted.size,
      requiredItemCount: m.requiredItems,
      floorForcedCount: [...state.lb].filter((x) => x > 0).length,
      objective: run?.objective ?? 0,
      columns: vars.length,
      solves,
    },
    binding,
    excluded: m.excluded,
    notesZh: notes,
  };
}
