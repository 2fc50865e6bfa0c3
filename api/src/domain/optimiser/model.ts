/**
 * Price optimiser, part 1: the linear program (DOMAIN.md §1 有升有降 and the 60% labour rule, §4 total / caps /
 * floors, §6 cost-recovery rate, §7 step 4). Pure: builds CPLEX-LP text, never calls a solver (see solve.ts).
 *
 * Rows of the input are items at a hospital level (as in pricing/impact.ts). For row i with price P⁰ᵢ, unit cost
 * Cᵢ, base-period volume Qᵢ and the settings (cap c, target recovery t):
 *
 *   variables   upᵢ ≥ 0, downᵢ ≥ 0 in fen, ΔPᵢ = upᵢ − downᵢ.
 *   bounds      upᵢ   ≤ min(⌊P⁰ᵢ·c⌋, ⌊Cᵢ·t⌋ − P⁰ᵢ)      cap, and no raise above cost × target recovery
 *               downᵢ ≤ min(⌊P⁰ᵢ·c⌋, P⁰ᵢ − Cᵢ)            cap, and no cut below cost
 *   objective   maximise Σ (gapᵢ − ε)·Qᵢ·upᵢ + Σ (gapᵢ − ε)·Qᵢ·downᵢ   (money in 元)
 *               gap = (C − P⁰)/P⁰ for a raise of an under-recovering row, (P⁰ − C)/P⁰ for a cut of an
 *               over-recovering row; ε (`penalty`, default 0.0001) is a cost per 元 moved: a row whose gap is not
 *               above ε is left alone, and of two equally good proposals the one moving less money wins.
 *               Per 元 of the total spent, a raise earns its gap, so the total goes first to the lowest recovery
 *               rates; every cut earns its gap and frees room for raises.
 *   rows        total:        Σ (up − down)·Q ≤ totalFen                       (net increase within 调价总量)
 *               labour_rule:  Σ up·Q·[labour] − s·Σ up·Q ≥ 0                   (≥ s of the gross raise on
 *                             labour-dominant rows, s = labourRuleShare, default 0.6)
 *               min_net:      Σ (up − down)·Q ≥ minNetFen                     (only when minNetFen is given)
 *
 * Caps and cost limits are column bounds, not rows (`cap_<i>` rows would only slow HiGHS down); solve.ts reports
 * which bound stops each row. A row is labour-dominant as in analyzeImpact: labourShare > labourItemThreshold
 * (default 0.6), or, without labourShare, when its category family is 'labour'.
 *
 * Which rows may move (one direction at most, so a row never has both an up and a down column):
 * - raise when P⁰ < C, ⌊C·t⌋ > P⁰, the family is not in `noRaiseOn` (default ['equipment']) and, with
 *   `raiseLabourItemsOnly`, the row is labour-dominant (the per-item 60% screen); the ceiling C·t applies
 *   to every raised row, and with t > 1 an under-recovering row may pass its cost, while a row already at or above
 *   cost is not raised;
 * - cut when P⁰ > C and the family is in `allowCutsOn` (default ['equipment']);
 * - never when locked, without a positive unit cost (no recovery rate to move toward), with P⁰ = 0 (no relative
 *   change is within a cap) or Q = 0 (no money moves; the row could only pad the item count), or when the cap in fen is 0.
 * Columns that could only be 0 are left out of the LP; `rows[i].fixedReason` says why.
 *
 * 调价项目数比例下限 (minimum share of distinct items adjusted) is a floor on a count, which an LP cannot express
 * without integer variables. It is handled outside the LP (solve.ts): the proposal is checked after rounding, and
 * when it adjusts too few items the best unadjusted items are pre-selected and given a small forced step (a lower
 * bound, `floorStep` of the price, default 1%), the items already adjusted keep a lower bound of their own, and the
 * LP is solved again. This is a heuristic: it may adjust more items than strictly needed, and a floor it cannot meet
 * this way is reported as a conflict.
 *
 * Numerics: columns are in fen (whole numbers up to the cap), money rows and the objective are in 元 (÷100), so
 * totals of 亿元 stay near 10⁸–10⁹ and coefficients near Q. solve.ts rounds the solution to whole fen and re-checks
 * every constraint exactly in integers. Names in the LP are x1, x2, … (`vars[k].name`), so item codes never have to
 * be escaped. The text is built with array joins, linear in the number of rows.
 */
import type { Fen } from '../money';
import { fromDecimal, minAdjustedItems, type Ratio } from '../pricing';
import type { CategoryFamily, HospitalLevel } from '../reference';

export interface OptimiserItem {
  itemCode: string;
  name: string;
  level: HospitalLevel;
  categoryCode: string;
  family: CategoryFamily;
  oldPriceFen: Fen;
  /** Base-period volume (count). */
  quantity: number;
  unitCostFen?: Fen | null;
  /** Technical-labour share of the price composition, decimal in [0, 1]. */
  labourShare?: number | null;
  /** A locked row keeps its price. */
  locked?: boolean;
}

export interface OptimiserSettings {
  /** 调价总量: the largest net increase Σ ΔP·Q, fen (negative: the round must cut at least that much net). */
  totalFen: Fen;
  /** 调价幅度上限, decimal: |ΔP| ≤ P⁰ × cap. */
  changeCap: number;
  /** 调价项目数比例下限, decimal: adjusted distinct items ≥ ⌈N × floor⌉ (see the module comment). */
  itemShareFloor: number;
  /** Minimum share of the gross raise on labour-dominant rows (default 0.6). */
  labourRuleShare?: number;
  /** A row is labour-dominant when its labourShare exceeds this (default 0.6). */
  labourItemThreshold?: number;
  /** Families whose over-recovering rows may be cut (default ['equipment']). */
  allowCutsOn?: readonly CategoryFamily[];
  /** Families that are never raised (default ['equipment']). */
  noRaiseOn?: readonly CategoryFamily[];
  /**
   * Raise only labour-dominant rows (labourShare > labourItemThreshold, or without a share the 'labour' family): the
   * per-item technical-labour rule officials screen raises with (default false).
   */
  raiseLabourItemsOnly?: boolean;
  /** Raises stop at cost × targetRecovery (default 1 = at cost). */
  targetRecovery?: number;
  /** Smallest net Σ ΔP·Q, fen (optional). */
  minNetFen?: Fen | null;
  /** Denominator N of the adjusted-item share (default: distinct item codes of the input). */
  catalogueItemCount?: number;
  /** Cost per 元 moved in the objective, in units of the recovery gap (default 0.0001). */
  penalty?: number;
  /** Forced step of an item pre-selected for the item-share floor, share of its price (default 0.01, at least 1 fen). */
  floorStep?: number;
}

export interface ResolvedSettings {
  totalFen: Fen;
  changeCap: number;
  itemShareFloor: number;
  labourRuleShare: number;
  labourItemThreshold: number;
  allowCutsOn: readonly CategoryFamily[];
  noRaiseOn: readonly CategoryFamily[];
  raiseLabourItemsOnly: boolean;
  targetRecovery: number;
  minNetFen: Fen | null;
  catalogueItemCount: number | null;
  penalty: number;
  floorStep: number;
  /** Exact fractions of the rates. */
  cap: Ratio;
  target: Ratio;
  rule: Ratio;
  step: Ratio;
}

/** Global rows of the LP. */
export type LpRowName = 'total' | 'labour_rule' | 'min_net';

/**
 * Every constraint the optimiser may report: LP rows, the item-share floor, the per-row bounds as one group, the
 * direction rules (noRaiseOn / allowCutsOn), and whole-fen rounding.
 */
/** The constraint that stopped a price where the proposal put it (null: none). */
export type OptimiserBinding = 'cap' | 'cost' | 'total' | 'labour_rule' | 'min_net' | 'item_share_floor' | null;

export type ConstraintName = LpRowName | 'item_share_floor' | 'item_bounds' | 'direction_rules' | 'integer_rounding';

export type FixedReason =
  | 'locked'
  | 'no_volume'
  | 'zero_price'
  | 'no_cost'
  | 'cap_zero'
  | 'no_raise_family'
  | 'not_labour_item'
  | 'no_cut_family'
  | 'at_target'
  | 'gap_too_small';

export const FIXED_REASON_ZH: Readonly<Record<FixedReason, string>> = {
  locked: '已锁定',
  no_volume: '基期服务量为 0',
  zero_price: '原价为 0',
  no_cost: '缺少单位成本',
  cap_zero: '调价幅度上限不足 1 分',
  no_raise_family: '该类项目不上调',
  not_labour_item: '技术劳务占比未达标，不上调',
  no_cut_family: '该类项目不下调',
  at_target: '已达目标回收率',
  gap_too_small: '成本回收率差距过小',
};

export const CONSTRAINT_LABEL_ZH: Readonly<Record<ConstraintName, string>> = {
  total: '调价总量',
  labour_rule: '技术劳务占比要求',
  min_net: '最低净调价金额',
  item_share_floor: '调价项目数比例下限',
  item_bounds: '单项调价限制（调价幅度上限、成本约束）',
  direction_rules: '调价方向设置（不上调、可下调的类别，只上调技术劳务项目）',
  integer_rounding: '按分取整',
};

/** What the model knows about one input row. */
export interface RowPlan {
  index: number;
  labourDominant: boolean;
  /** P⁰ ÷ C; null without a positive cost. */
  recovery: number | null;
  /** ⌊P⁰ × cap⌋. */
  capFen: Fen;
  /** The direction the row may move, or null with the reason. */
  direction: 'up' | 'down' | null;
  fixedReason: FixedReason | null;
  /** Index into `vars`, or −1. */
  varIndex: number;
}

/** One LP column. */
export interface VarPlan {
  /** Name in the LP text: x1, x2, … */
  name: string;
  /** Input row index. */
  row: number;
  dir: 'up' | 'down';
  /** Largest movement in fen (integer). */
  upperFen: number;
  /** Which bound gives `upperFen` (the tighter one; 'cost' on a tie). */
  bound: 'cap' | 'cost';
  quantity: number;
  labour: boolean;
  /** Recovery gap: (C − P⁰)/P⁰ for a raise, (P⁰ − C)/P⁰ for a cut. */
  gap: number;
  /** Objective coefficient per fen of movement ((gap − ε)·Q/100). */
  objective: number;
}

export interface PreparedModel {
  items: readonly OptimiserItem[];
  settings: ResolvedSettings;
  rows: RowPlan[];
  vars: VarPlan[];
  /** Denominator and required count of the item-share floor. */
  itemCount: number;
  requiredItems: number;
  /** Distinct item codes with at least one column. */
  movableItemCount: number;
  /** Money the bounds allow, fen: Σ upper·Q of raises (all, labour-dominant) and of cuts. */
  capacity: { upFen: Fen; labourUpFen: Fen; downFen: Fen };
  /** Which LP rows apply (total always when there are columns). */
  lpRows: LpRowName[];
  /** Excluded rows by reason. */
  excluded: Partial<Record<FixedReason, number>>;
}

const FAMILIES: readonly CategoryFamily[] = ['labour', 'equipment', 'mixed'];

function share(x: number, what: string): void {
  if (!Number.isFinite(x) || x < 0 || x > 1) throw new RangeError(`${what} must be a decimal between 0 and 1, got ${x}`);
}

function safeInt(x: number, what: string, min = -Number.MAX_SAFE_INTEGER): void {
  if (!Number.isSafeInteger(x) || x < min) throw new RangeError(`${what} must be an integer${min === 0 ? ' ≥ 0' : ''}, got ${x}`);
}

function families(x: readonly CategoryFamily[] | undefined, dflt: readonly CategoryFamily[], what: string): readonly CategoryFamily[] {
  const v = x ?? dflt;
  for (const f of v) if (!FAMILIES.includes(f)) throw new RangeError(`${what}: unknown family ${String(f)}`);
  return v;
}

export function resolveSettings(s: OptimiserSettings): ResolvedSettings {
  safeInt(s.totalFen, 'totalFen');
  if (!Number.isFinite(s.changeCap) || s.changeCap < 0) throw new RangeError(`changeCap must be ≥ 0, got ${s.changeCap}`);
  share(s.itemShareFloor, 'itemShareFloor');
  const labourRuleShare = s.labourRuleShare ?? 0.6;
  const labourItemThreshold = s.labourItemThreshold ?? 0.6;
  share(labourRuleShare, 'labourRuleShare');
  share(labourItemThreshold, 'labourItemThreshold');
  const targetRecovery = s.targetRecovery ?? 1;
  if (!Number.isFinite(targetRecovery) || targetRecovery <= 0) throw new RangeError(`targetRecovery must be > 0, got ${targetRecovery}`);
  const minNetFen = s.minNetFen ?? null;
  if (minNetFen !== null) safeInt(minNetFen, 'minNetFen');
  if (s.catalogueItemCount !== undefined) safeInt(s.catalogueItemCount, 'catalogueItemCount', 0);
  const penalty = s.penalty ?? 0.0001;
  if (!Number.isFinite(penalty) || penalty < 0) throw new RangeError(`penalty must be ≥ 0, got ${penalty}`);
  const floorStep = s.floorStep ?? 0.01;
  if (!Number.isFinite(floorStep) || floorStep <= 0) throw new RangeError(`floorStep must be > 0, got ${floorStep}`);
  return {
    totalFen: s.totalFen,
    changeCap: s.changeCap,
    itemShareFloor: s.itemShareFloor,
    labourRuleShare,
    labourItemThreshold,
    allowCutsOn: families(s.allowCutsOn, ['equipment'], 'allowCutsOn'),
    noRaiseOn: families(s.noRaiseOn, ['equipment'], 'noRaiseOn'),
    raiseLabourItemsOnly: s.raiseLabourItemsOnly ?? false,
    targetRecovery,
    minNetFen,
    catalogueItemCount: s.catalogueItemCount ?? null,
    penalty,
    floorStep,
    cap: fromDecimal(s.changeCap),
    target: fromDecimal(targetRecovery),
    rule: fromDecimal(labourRuleShare),
    step: fromDecimal(floorStep),
  };
}

function validateItem(it: OptimiserItem, i: number): void {
  if (!Number.isSafeInteger(it.oldPriceFen) || it.oldPriceFen < 0) throw new RangeError(`items[${i}].oldPriceFen must be a non-negative integer (fen)`);
  if (!Number.isSafeInteger(it.quantity) || it.quantity < 0) throw new RangeError(`items[${i}].quantity must be a non-negative integer`);
  if (it.unitCostFen != null && (!Number.isSafeInteger(it.unitCostFen) || it.unitCostFen < 0)) {
    throw new RangeError(`items[${i}].unitCostFen must be a non-negative integer (fen)`);
  }
  if (it.labourShare != null && !(it.labourShare >= 0 && it.labourShare <= 1)) throw new RangeError(`items[${i}].labourShare must be between 0 and 1`);
  if (!FAMILIES.includes(it.family)) throw new RangeError(`items[${i}].family must be labour, equipment or mixed`);
}

/** Labour-dominance as in analyzeImpact. */
export function isLabourDominant(it: Pick<OptimiserItem, 'labourShare' | 'family'>, threshold: number): boolean {
  return it.labourShare == null ? it.family === 'labour' : it.labourShare > threshold;
}

const floorDiv = (n: bigint, d: bigint): bigint => {
  const q = n / d;
  return n < 0n && q * d !== n ? q - 1n : q;
};

/** ⌊x × r⌋ for a non-negative integer x and a non-negative fraction r. */
export function floorTimes(x: number, r: Ratio): number {
  return Number(floorDiv(BigInt(x) * r.n, r.d));
}

/** ⌈x × r⌉ for a non-negative integer x and a non-negative fraction r. */
export function ceilTimes(x: number, r: Ratio): number {
  const n = BigInt(x) * r.n;
  const q = n / r.d;
  return Number(q * r.d === n ? q : q + 1n);
}

/** Classifies every row, computes the column bounds and objective coefficients. */
export function prepareModel(items: readonly OptimiserItem[], settings: OptimiserSettings): PreparedModel {
  const s = resolveSettings(settings);
  const rows: RowPlan[] = new Array<RowPlan>(items.length);
  const vars: VarPlan[] = [];
  const codes = new Set<string>();
  const movable = new Set<string>();
  const excluded: Partial<Record<FixedReason, number>> = {};
  let upFen = 0;
  let labourUpFen = 0;
  let downFen = 0;
  let nonLabourUp = false;
  const noRaise = new Set(s.noRaiseOn);
  const cutsOn = new Set(s.allowCutsOn);

  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    validateItem(it, i);
    codes.add(it.itemCode);
    const p0 = it.oldPriceFen;
    const c = it.unitCostFen ?? 0;
    const q = it.quantity;
    const labour = isLabourDominant(it, s.labourItemThreshold);
    const capFen = floorTimes(p0, s.cap);
    const row: RowPlan = { index: i, labourDominant: labour, recovery: c > 0 ? p0 / c : null, capFen, direction: null, fixedReason: null, varIndex: -1 };
    rows[i] = row;

    let reason: FixedReason | null = null;
    let dir: 'up' | 'down' | null = null;
    let costRoom = 0;
    if (it.locked) reason = 'locked';
    else if (q === 0) reason = 'no_volume';
    else if (p0 === 0) reason = 'zero_price';
    else if (c <= 0) reason = 'no_cost';
    else if (capFen < 1) reason = 'cap_zero';
    else if (p0 < c) {
      costRoom = floorTimes(c, s.target) - p0;
      if (noRaise.has(it.family)) reason = 'no_raise_family';
      else if (s.raiseLabourItemsOnly && !labour) reason = 'not_labour_item';
      else if (costRoom < 1) reason = 'at_target';
      else dir = 'up';
    } else if (p0 > c) {
      costRoom = p0 - c;
      if (!cutsOn.has(it.family)) reason = 'no_cut_family';
      else dir = 'down';
    } else reason = 'at_target';

    let gap = 0;
    if (dir !== null) {
      gap = dir === 'up' ? (c - p0) / p0 : (p0 - c) / p0;
      if (!(gap > s.penalty)) {
        reason = 'gap_too_small';
        dir = null;
      }
    }
    if (dir === null) {
      row.fixedReason = reason;
      if (reason) excluded[reason] = (excluded[reason] ?? 0) + 1;
      continue;
    }
    const upperFen = Math.min(capFen, costRoom);
    const money = upperFen * q;
    if (!Number.isSafeInteger(money)) throw new RangeError(`items[${i}] price change × quantity exceeds the exact range`);
    if (dir === 'up') {
      upFen += money;
      if (labour) labourUpFen += money;
      else nonLabourUp = true;
    } else downFen += money;
    row.direction = dir;
    row.varIndex = vars.length;
    movable.add(it.itemCode);
    vars.push({
      name: `x${vars.length + 1}`,
      row: i,
      dir,
      upperFen,
      bound: costRoom <= capFen ? 'cost' : 'cap',
      quantity: q,
      labour,
      gap,
      objective: ((gap - s.penalty) * q) / 100,
    });
  }
  for (const v of [upFen, labourUpFen, downFen]) if (!Number.isSafeInteger(v)) throw new RangeError('capacity sums exceed the exact range');

  const itemCount = s.catalogueItemCount ?? codes.size;
  const lpRows: LpRowName[] = [];
  if (vars.length) {
    lpRows.push('total');
    if (s.rule.n > 0n && nonLabourUp) lpRows.push('labour_rule');
    if (s.minNetFen !== null) lpRows.push('min_net');
  }
  return {
    items,
    settings: s,
    rows,
    vars,
    itemCount,
    requiredItems: minAdjustedItems(itemCount, s.itemShareFloor),
    movableItemCount: movable.size,
    capacity: { upFen, labourUpFen, downFen },
    lpRows,
    excluded,
  };
}

/**
 * The columns of a relaxed model without the per-row limits: every unlocked row with a price and a volume may rise
 * (unless its family is in noRaiseOn) up to 10 × its price, or fall (when its family is in allowCutsOn) to 0.
 * Used only to tell whether the per-row limits take part in a conflict.
 */
export function wideVars(m: PreparedModel): VarPlan[] {
  const out: VarPlan[] = [];
  const noRaise = new Set(m.settings.noRaiseOn);
  const cutsOn = new Set(m.settings.allowCutsOn);
  m.items.forEach((it, i) => {
    if (it.locked || it.quantity === 0 || it.oldPriceFen === 0) return;
    const labour = m.rows[i].labourDominant;
    const base = { row: i, bound: 'cap' as const, quantity: it.quantity, labour, gap: 1, objective: it.quantity / 100 };
    if (!noRaise.has(it.family) && !(m.settings.raiseLabourItemsOnly && !labour)) {
      out.push({ ...base, name: `x${out.length + 1}`, dir: 'up', upperFen: it.oldPriceFen * 10 });
    }
    if (cutsOn.has(it.family)) out.push({ ...base, name: `x${out.length + 1}`, dir: 'down', upperFen: it.oldPriceFen });
  });
  return out;
}

/**
 * The columns of the same model with the direction rules lifted (noRaiseOn = [], cuts allowed on every family), the
 * per-row limits kept. Used only to tell whether the direction rules take part in a conflict.
 */
export function anyDirectionVars(m: PreparedModel): VarPlan[] {
  const s = m.settings;
  return prepareModel(m.items, {
    totalFen: s.totalFen,
    changeCap: s.changeCap,
    itemShareFloor: s.itemShareFloor,
    labourRuleShare: s.labourRuleShare,
    labourItemThreshold: s.labourItemThreshold,
    targetRecovery: s.targetRecovery,
    minNetFen: s.minNetFen,
    catalogueItemCount: s.catalogueItemCount ?? undefined,
    penalty: s.penalty,
    floorStep: s.floorStep,
    noRaiseOn: [],
    raiseLabourItemsOnly: false,
    allowCutsOn: FAMILIES,
  }).vars;
}

export interface LpBuildOptions {
  /** Global rows to include (default: all that apply). */
  rows?: readonly LpRowName[];
  /** Lower bounds in fen by column index (the item-share floor heuristic). */
  lowerBounds?: ReadonlyMap<number, number>;
  /** Columns to use instead of the model's (wideVars). */
  vars?: readonly VarPlan[];
  /** Adds an elastic slack (≥ 0, in 元 of that row) to one row and minimises it instead of the usual objective. */
  elastic?: LpRowName;
  /** Empty objective: only feasibility is asked (the conflict analysis). */
  feasibilityOnly?: boolean;
}

export interface LpText {
  text: string;
  /** Row names in model order. */
  rows: LpRowName[];
  /** Name of the elastic column, when asked for. */
  elasticName: string | null;
}

const TERMS_PER_LINE = 8;

/** Number text for the LP file: 15 significant digits (drops binary noise such as 0.04000000000000001; HiGHS reads exponents). */
function num(x: number): string {
  if (x === 0) return '0';
  const t = String(x);
  return t.length <= 15 ? t : String(Number(x.toPrecision(15)));
}

function pushTerm(out: string[], coef: number, name: string): void {
  if (coef === 0) return;
  out.push(coef < 0 ? `- ${num(-coef)} ${name}` : `+ ${num(coef)} ${name}`);
}

function lines(terms: string[]): string {
  const parts: string[] = [];
  for (let k = 0; k < terms.length; k += TERMS_PER_LINE) parts.push(terms.slice(k, k + TERMS_PER_LINE).join(' '));
  return parts.join('\n  ');
}

/** The CPLEX-LP text of the model (or a variant of it for the conflict analysis). */
export function buildLp(m: PreparedModel, opts: LpBuildOptions = {}): LpText {
  const vars = opts.vars ?? m.vars;
  if (vars.length === 0) throw new RangeError('the model has no columns');
  const s = m.settings;
  const wanted = new Set(opts.rows ?? m.lpRows);
  const rows: LpRowName[] = [];
  if (wanted.has('total')) rows.push('total');
  if (wanted.has('labour_rule') && s.rule.n > 0n && vars.some((v) => v.dir === 'up' && !v.labour)) rows.push('labour_rule');
  if (wanted.has('min_net') && s.minNetFen !== null) rows.push('min_net');
  const elastic = opts.elastic && rows.includes(opts.elastic) ? opts.elastic : null;
  const eName = elastic ? 'e1' : null;

  const obj: string[] = [];
  const net: string[] = [];
  const lab: string[] = [];
  const bounds: string[] = [];
  // labour row in 元: (1 − s)·Q on labour-dominant raises, −s·Q on the other raises
  const sNum = Number(s.rule.n) / Number(s.rule.d);
  const oneMinus = Number(s.rule.d - s.rule.n) / Number(s.rule.d);
  for (let k = 0; k < vars.length; k++) {
    const v = vars[k];
    const yuan = v.quantity / 100;
    if (!eName && !opts.feasibilityOnly) pushTerm(obj, v.objective, v.name);
    pushTerm(net, v.dir === 'up' ? yuan : -yuan, v.name);
    if (v.dir === 'up') pushTerm(lab, v.labour ? oneMinus * yuan : -sNum * yuan, v.name);
    const lb = opts.lowerBounds?.get(k) ?? 0;
    bounds.push(lb > 0 ? ` ${lb} <= ${v.name} <= ${v.upperFen}` : ` ${v.name} <= ${v.upperFen}`);
  }

  const text: string[] = [];
  if (eName) text.push('Minimize', ` obj: ${eName}`);
  else text.push('Maximize', obj.length ? ` obj: ${lines(obj)}` : ' obj:');
  text.push('Subject To');
  for (const r of rows) {
    if (r === 'total') {
      text.push(` total: ${lines(net)}${elastic === 'total' ? ` - ${eName}` : ''} <= ${num(s.totalFen / 100)}`);
    } else if (r === 'labour_rule') {
      text.push(` labour_rule: ${lines(lab)}${elastic === 'labour_rule' ? ` + ${eName}` : ''} >= 0`);
    } else {
      text.push(` min_net: ${lines(net)}${elastic === 'min_net' ? ` + ${eName}` : ''} >= ${num((s.minNetFen ?? 0) / 100)}`);
    }
  }
  text.push('Bounds', ...bounds, 'End', '');
  return { text: text.join('\n'), rows, elasticName: eName };
}
