/**
 * The 申报 form of a 复杂型 quote as the API reads it (quotes.schemas.ts createQuoteSchema): amounts typed in 元 with
 * at most two decimals become integer fen with the domain's parser (never a float product), the cost basis adds up
 * to the unit cost, and every problem names its field. Pure: the page shows what this returns.
 */
import { parseYuanToFen } from '../../../../api/src/domain/money';
import type { CreateQuote } from '../../../../api/src/quotes/quotes.schemas';

export const COST_PARTS = ['labourFen', 'materialFen', 'equipmentFen', 'overheadFen', 'otherFen'] as const;
export type CostPart = (typeof COST_PARTS)[number];

export interface QuoteDraft {
  institutionCode: string;
  itemCode: string;
  /** 元, as typed */
  proposedPrice: string;
  /** 元, as typed, per cost part */
  cost: Record<CostPart, string>;
  expectedVolume: string;
  reason: string;
}

export const REASON_MAX = 2000;

export const emptyDraft = (institutionCode = ''): QuoteDraft => ({
  institutionCode,
  itemCode: '',
  proposedPrice: '',
  cost: { labourFen: '', materialFen: '', equipmentFen: '', overheadFen: '', otherFen: '' },
  expectedVolume: '',
  reason: '',
});

/** Problems as i18n keys under quotes.form.rules, per field; an empty object when the draft can be sent. */
export type DraftProblems = Partial<Record<'institutionCode' | 'itemCode' | 'proposedPrice' | 'costBasis' | 'expectedVolume' | 'reason' | CostPart, string>>;

/** The unit cost in fen of the parts typed so far (a blank part is 0); null when a part is not an amount. */
export function unitCostFen(d: QuoteDraft): number | null {
  let sum = 0;
  for (const k of COST_PARTS) {
    const text = d.cost[k].trim();
    if (!text) continue;
    const fen = parseYuanToFen(text);
    if (fen === null) return null;
    sum += fen;
  }
  return sum;
}

/** The request body of the draft, or the problems that keep it from being sent. */
export function toRequest(d: QuoteDraft): { body: CreateQuote; problems: null } | { body: null; problems: DraftProblems } {
  const problems: DraftProblems = {};
  if (!d.institutionCode) problems.institutionCode = 'institutionRequired';
  if (!d.itemCode) problems.itemCode = 'itemRequired';
  const price = parseYuanToFen(d.proposedPrice.trim());
  if (!d.proposedPrice.trim()) problems.proposedPrice = 'priceRequired';
  else if (price === null || price <= 0) problems.proposedPrice = 'priceFormat';
  const cost: Record<CostPart, number> = { labourFen: 0, materialFen: 0, equipmentFen: 0, overheadFen: 0, otherFen: 0 };
  for (const k of COST_PARTS) {
    const text = d.cost[k].trim();
    if (!text) continue;
    const fen = parseYuanToFen(text);
    if (fen === null) problems[k] = 'amountFormat';
    else cost[k] = fen;
  }
  if (!d.cost.labourFen.trim()) problems.labourFen = 'labourRequired';
  if (!Object.keys(problems).some((k) => (COST_PARTS as readonly string[]).includes(k)) && COST_PARTS.every((k) => cost[k] === 0)) problems.costBasis = 'costPositive';
  const volume = d.expectedVolume.trim();
  if (!volume) problems.expectedVolume = 'volumeRequired';
  else if (!/^\d{1,15}$/.test(volume)) problems.expectedVolume = 'volumeFormat';
  if (d.reason.trim().length > REASON_MAX) problems.reason = 'reasonLong';
  if (Object.keys(problems).length) return { body: null, problems };
  return {
    body: {
      institutionCode: d.institutionCode,
      itemCode: d.itemCode,
      proposedPriceFen: price!,
      costBasis: cost,
      expectedVolume: Number(volume),
      ...(d.reason.trim() ? { reason: d.reason.trim() } : {}),
    },
    problems: null,
  };
}
