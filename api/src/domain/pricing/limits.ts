/**
 * Limits a scenario's price changes must keep before they are stored (every write: scale, index, import, PUT/PATCH,
 * the optimiser's save), so that a stored scenario can always be measured and approved:
 * - SCENARIO.PRICE_OUT_OF_RANGE: a new price is not an integer number of fen in [0, MAX_PRICE_FEN];
 * - SCENARIO.AMOUNT_OUT_OF_RANGE: the row's revenue before or after, P × Q with Q its base-year volume, is beyond the
 *   exact integer range the impact sums in;
 * - SCENARIO.ITEM_OVER_CAP: |P¹ − P⁰| > P⁰ × 调价幅度上限 — the impact's check of the same code (overCap), left out when
 *   the round has no cap.
 * The checks of the whole scenario (budget, item share floor) are the impact's and are enforced at approval.
 */
import { fenToYuanString, formatFen } from '../money';
import { HOSPITAL_LEVEL_LABEL, type HospitalLevel } from '../reference';
import { capFraction, overCap, overCapMessageZh } from './impact';

/**
 * The highest new price a scenario may set, in fen: 1,000万元. No medical service is priced near it (the demo
 * dataset's highest is 19,332 元); a price beyond it is a slip (a yuan amount given as fen, a runaway factor).
 */
export const MAX_PRICE_FEN = 1_000_000_000;

/** Rows listed per problem (all of them are counted). */
export const LIMIT_ROWS_LISTED = 10;

export type LimitCode = 'SCENARIO.PRICE_OUT_OF_RANGE' | 'SCENARIO.AMOUNT_OUT_OF_RANGE' | 'SCENARIO.ITEM_OVER_CAP';

export interface LimitRow {
  itemCode: string;
  level: number;
  oldPriceFen: number;
  newPriceFen: number;
  /** The row's base-year volume (0 when none). */
  quantity: number;
}

export interface LimitItem {
  itemCode: string;
  level: number;
  oldPriceFen: number;
  newPriceFen: number;
  /** ΔP/P⁰; null when P⁰ is 0 or a price is not a number of fen. */
  changeRate: number | null;
}

export interface LimitProblem {
  code: LimitCode;
  severity: 'error';
  messageZh: string;
  /** rows with the problem */
  count: number;
  /** the first LIMIT_ROWS_LISTED of them, in input order */
  items: LimitItem[];
}

const isFen = (x: number) => Number.isSafeInteger(x) && x >= 0;

function item(r: LimitRow): LimitItem {
  const rate = isFen(r.oldPriceFen) && isFen(r.newPriceFen) && r.oldPriceFen > 0 ? (r.newPriceFen - r.oldPriceFen) / r.oldPriceFen : null;
  return { itemCode: r.itemCode, level: r.level, oldPriceFen: r.oldPriceFen, newPriceFen: r.newPriceFen, changeRate: rate };
}

/** 项目 X 三级：33.50 元 → 131.72 元 */
function example(i: LimitItem): string {
  const yuan = (fen: number) => (Number.isSafeInteger(fen) ? `${fenToYuanString(fen)} 元` : `${fen} 分`);
  return `项目 ${i.itemCode} ${HOSPITAL_LEVEL_LABEL[i.level as HospitalLevel] ?? `${i.level}级`}：${yuan(i.oldPriceFen)} → ${yuan(i.newPriceFen)}`;
}

/** The limits `rows` break, in the order of LimitCode (none: they may be stored). `changeCap` null: no cap. */
export function changeLimitProblems(rows: readonly LimitRow[], changeCap: number | null): LimitProblem[] {
  const cap = changeCap === null ? null : capFraction(changeCap);
  const found: Record<LimitCode, { count: number; items: LimitItem[] }> = {
    'SCENARIO.PRICE_OUT_OF_RANGE': { count: 0, items: [] },
    'SCENARIO.AMOUNT_OUT_OF_RANGE': { count: 0, items: [] },
    'SCENARIO.ITEM_OVER_CAP': { count: 0, items: [] },
  };
  const add = (code: LimitCode, r: LimitRow) => {
    const f = found[code];
    f.count++;
    if (f.items.length < LIMIT_ROWS_LISTED) f.items.push(item(r));
  };
  for (const r of rows) {
    const p0 = r.oldPriceFen;
    const p1 = r.newPriceFen;
    // an unchanged row keeps the price in force, whatever it is
    if (!isFen(p0) || !isFen(p1) || (p1 !== p0 && p1 > MAX_PRICE_FEN)) {
      add('SCENARIO.PRICE_OUT_OF_RANGE', r);
      continue;
    }
    if (!Number.isSafeInteger(p0 * r.quantity) || !Number.isSafeInteger(p1 * r.quantity)) add('SCENARIO.AMOUNT_OUT_OF_RANGE', r);
    if (cap !== null && overCap(p0, p1, cap)) add('SCENARIO.ITEM_OVER_CAP', r);
  }
  const message: Record<LimitCode, (n: number) => string> = {
    'SCENARIO.PRICE_OUT_OF_RANGE': (n) => `${n}条新价格不是 0 至 ${formatFen(MAX_PRICE_FEN, '万元', 0)} 之间的整分金额。`,
    'SCENARIO.AMOUNT_OUT_OF_RANGE': (n) => `${n}条价格与基期服务量之积超出精确计算范围。`,
    'SCENARIO.ITEM_OVER_CAP': (n) => overCapMessageZh(n, changeCap ?? 0),
  };
  return (Object.keys(found) as LimitCode[])
    .filter((code) => found[code].count > 0)
    .map((code) => ({
      code,
      severity: 'error' as const,
      messageZh: `${message[code](found[code].count).replace(/。$/, '')}（如${example(found[code].items[0])}）。`,
      count: found[code].count,
      items: found[code].items,
    }));
}
