/**
 * Fund share of a price change of a row (item at a hospital level): the region's reimbursement_rate for (payment
 * class, level) in force at the price date when loaded (医保支付比例表, etl kind `reimbursement`; no class recorded
 * reads 甲类); otherwise the level share — the round's params.fundShareByLevel, else FUND_SHARE_BY_LEVEL_DEMO
 * (DOMAIN.md §8: 52% / 64% / 74%) — times a payment-class factor: 甲 1, 乙 0.9 (乙类 items carry a 10% 先行自付 part
 * in most pooling regions), 丙 and 自费 0 (the fund pays nothing), no class recorded 1. The product is exact
 * (decimal × decimal).
 */
import type { StoredParams } from '../rounds/params';
import type { HospitalLevel } from '../reference';
import { FUND_SHARE_BY_LEVEL_DEMO } from './impact';
import * as R from '../rational';

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
