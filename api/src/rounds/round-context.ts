/**
 * What a round's computations share: its base period, the dates prices are read at, its parameters, and the fund
 * share of a price change. Pure functions, no I/O.
 *
 * - Base year: the year of params.sampleFrom (抽样开始), else of round.base_period_from, else round.year − 1. Volumes
 *   are annual rollups, so the whole base year is used even when the sampling window is shorter.
 * - Base end: params.sampleTo, else 31 December of the base year. Base revenue uses the prices in force on that day.
 * - Price date of a scenario (原价): the day before the round's 执行日期 when it has one (the price the new one
 *   replaces, the rule of the historic-round loader), else the base end.
 * - Fund share of a row (item at a hospital level): the region's reimbursement_rate for (payment class, level) in
 *   force at the price date when loaded (医保支付比例表, etl kind `reimbursement`; no class recorded reads 甲类); otherwise the level share — params.fundShareByLevel, else
 *   FUND_SHARE_BY_LEVEL_DEMO (DOMAIN.md §8: 52% / 64% / 74%) — times a payment-class factor: 甲 1, 乙 0.9 (乙类 items
 *   carry a 10% 先行自付 part in most pooling regions), 丙 and 自费 0 (the fund pays nothing), no class recorded 1.
 *   The product is exact (decimal × decimal).
 */
import { FUND_SHARE_BY_LEVEL_DEMO } from '../domain/pricing';
import * as R from '../domain/pricing/rational';
import type { HospitalLevel } from '../domain/reference';
import { storedParamsSchema, type StoredParams } from './rounds.schemas';

export interface RoundRecordLike {
  year: number;
  params: unknown;
  basePeriodFrom: string | null;
  basePeriodTo: string | null;
  effectiveDate: string | null;
}

export interface RoundContext {
  params: StoredParams;
  baseYear: number;
  baseFrom: string;
  baseTo: string;
  /** Prices of the base revenue: in force on the base end. */
  basePriceDate: string;
  /** Old prices of a scenario: the day before 执行日期, else the base end. */
  priceDate: string;
}

export function readParams(raw: unknown): StoredParams {
  const r = storedParamsSchema.safeParse(raw ?? {});
  return r.success ? r.data : {};
}

export function dayBefore(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

export function roundContext(r: RoundRecordLike): RoundContext {
  const params = readParams(r.params);
  const from = params.sampleFrom ?? r.basePeriodFrom ?? `${r.year - 1}-01-01`;
  const baseYear = Number(from.slice(0, 4));
  const baseTo = params.sampleTo ?? r.basePeriodTo ?? `${baseYear}-12-31`;
  return {
    params,
    baseYear,
    baseFrom: from,
    baseTo,
    basePriceDate: baseTo,
    priceDate: r.effectiveDate ? dayBefore(r.effectiveDate) : baseTo,
  };
}

/** The base period columns stored with a round (kept in step with params.sampleFrom / sampleTo). */
export function basePeriodOf(year: number, params: { sampleFrom?: string | null; sampleTo?: string | null }): { from: string; to: string } {
  const from = params.sampleFrom ?? `${year - 1}-01-01`;
  return { from, to: params.sampleTo ?? `${from.slice(0, 4)}-12-31` };
}

export type PaymentClass = '甲' | '乙' | '丙' | '自费';

export const PAYMENT_CLASS_FACTOR: Readonly<Record<PaymentClass, number>> = { 甲: 1, 乙: 0.9, 丙: 0, 自费: 0 };

export type FundShareSource = 'reimbursement_rate' | 'params' | 'demo';

export class FundShares {
  private readonly cache = new Map<string, { share: number; source: FundShareSource }>();

  constructor(
    /** reimbursement_rate rows in force: key `${class}|${level}` → share. */
    private readonly rates: ReadonlyMap<string, number>,
    private readonly byLevel: StoredParams['fundShareByLevel'] | undefined,
  ) {}

  of(paymentClass: string | null, level: HospitalLevel): { share: number; source: FundShareSource } {
    const key = `${paymentClass ?? ''}|${level}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    let out: { share: number; source: FundShareSource };
    // an item without a recorded class counts as 甲类, as in the fallback below
    const rate = this.rates.get(paymentClass ? key : `甲|${level}`);
    if (rate !== undefined) out = { share: rate, source: 'reimbursement_rate' };
    else {
      const configured = this.byLevel?.[String(level) as '3' | '2' | '1'];
      const levelShare = configured ?? FUND_SHARE_BY_LEVEL_DEMO[level];
      const factor = paymentClass && paymentClass in PAYMENT_CLASS_FACTOR ? PAYMENT_CLASS_FACTOR[paymentClass as PaymentClass] : 1;
      out = { share: R.toNumber(R.mul(R.fromDecimal(levelShare), R.fromDecimal(factor))), source: configured !== undefined ? 'params' : 'demo' };
    }
    this.cache.set(key, out);
    return out;
  }
}

export const FUND_SHARE_RULE_ZH =
  '基金支付比例：优先取本地区医保支付比例表（按支付类别与医院等级）；未导入时按医院等级（三级 52%、二级 64%、一级 74%，' +
  '或调价方案参数 fundShareByLevel）乘以支付类别系数（甲类 1、乙类 0.9、丙类及自费 0，未标注按甲类）。';

/** A decimal text (indicator values are numeric) times 10^shift, exactly, as an integer; null unless whole. */
export function scaleDecimalText(text: string, shift: number): number | null {
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return null;
  const frac = m[3] ?? '';
  let n = BigInt(m[2] + frac);
  const exp = shift - frac.length;
  if (exp >= 0) n *= 10n ** BigInt(exp);
  else {
    const d = 10n ** BigInt(-exp);
    const q = R.divRoundBig(n, d);
    n = q;
  }
  const v = Number(m[1] ? -n : n);
  return Number.isSafeInteger(v) ? v : null;
}

/** A percent value written as text ("5.8") as the decimal rate it means (0.058), exactly. */
export function percentTextToRate(text: string): number {
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return Number(text) / 100;
  const r = R.ratio(BigInt((m[1] ?? '') + m[2] + (m[3] ?? '')), 10n ** BigInt((m[3] ?? '').length + 2));
  return Number(R.decimalText(r, 12));
}
