/** Typed calls of the 复杂型 quote endpoints (types from the API's own schemas). */
import type { CreateQuote, QuotableItem, QuoteRound, QuoteSelectionResult, QuoteView, SelectQuotes } from '../../../api/src/quotes/quotes.schemas';
import { getJson, postJson } from './client';

export type { QuotableItem, QuoteRound, QuoteSelectionResult, QuoteView } from '../../../api/src/quotes/quotes.schemas';

export const listQuotes = (roundId: number): Promise<QuoteView[]> => getJson(`/api/rounds/${roundId}/quotes`);
export const quotableItems = (roundId: number): Promise<QuotableItem[]> => getJson(`/api/rounds/${roundId}/quotes/items`);
export const submitQuote = (roundId: number, body: CreateQuote): Promise<QuoteView> => postJson(`/api/rounds/${roundId}/quotes`, body);
export const selectQuotes = (roundId: number, body: SelectQuotes): Promise<QuoteSelectionResult> => postJson(`/api/rounds/${roundId}/quotes/select`, body);
export const listQuoteRounds = (): Promise<QuoteRound[]> => getJson('/api/quotes/rounds');
