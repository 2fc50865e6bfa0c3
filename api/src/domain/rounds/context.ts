/**
 * What a round's computations share: its base period, the dates prices are read at and its parameters. Pure
 * functions, no I/O.
 *
 * - Base year: the year of params.sampleFrom (抽样开始), else of round.base_period_from, else round.year − 1. Volumes
 *   are annual rollups, so the whole base year is used even when the sampling window is shorter.
 * - Base end: params.sampleTo, else 31 December of the base year. Base revenue uses the prices in force on that day.
 * - Price date of a scenario (原价): the day before the round's 执行日期 when it has one (the price the new one
 *   replaces, the rule of the historic-round loader), else the base end.
 * - Fund share of a row: see pricing/fund-share.ts.
 */
import { storedParamsSchema, type StoredParams } from './params';

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
