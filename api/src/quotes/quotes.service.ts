import { institutionScope } from '../auth/access';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, ConflictError, ValidationError, type FieldIssue } from '../common/errors';
import { scoreQuotes, selectQuotes, type QuoteInput } from '../domain/quotes';
import type { HospitalLevel } from '../domain/reference';
import { PricingDataRepository } from '../facts/pricing-data.repository';
import type { CreateQuote, QuotableItem, QuoteRound, QuoteSelectionResult, QuoteView, SelectQuotes } from './quotes.schemas';
import { QuotesRepository, QuoteTaken, type QuoteRow } from './quotes.repository';
import { roundContext } from '../domain/rounds/context';
import { roundLocked } from '../domain/rounds/lifecycle';
import { RoundsService } from '../rounds/rounds.service';
import type { Round } from '../rounds/rounds.schemas';
import { ScenariosRepository, type ChangeRow } from '../scenarios/scenarios.repository';
import { ScenariosService } from '../scenarios/scenarios.service';

/**
 * 复杂型 quotes of a round (DOMAIN.md §1): hospitals submit a price with its cost basis, the bureau scores them and
 * selects within a budget (rules in domain/quotes/scoring.ts).
 *
 * A quote names a public or private institution of the round's region, a service item of the region that is not
 * 通用型 (region_item.kind / item.kind 'general' is refused) and priced at the institution's level on the round's price
 * date; the unit cost is the sum of the cost basis components. One quote per institution and item (409 QUOTE.TAKEN).
 *
 * Selection: the cost of a quote is ΔP × Q with ΔP = proposed − price in force at the price date and Q the public
 * hospitals' base-year volume at that level — the figures the impact of the resulting scenario measures, so the
 * scenario's net equals the selection's net. A new draft scenario (method 'quotes') receives one change per selected
 * quote (item and level, new price = the quote); every quote's score and status is stored — the scenario, its changes
 * and the decisions in one transaction.
 */

export type { QuoteView } from './quotes.schemas';

@Injectable()
export class QuotesService {
  constructor(
    private readonly repo: QuotesRepository,
    private readonly rounds: RoundsService,
    private readonly data: PricingDataRepository,
    private readonly scenarios: ScenariosService,
    private readonly scenarioRepo: ScenariosRepository,
    private readonly ds: DataSource,
  ) {}

  private assertOpen(round: Round): void {
    if (roundLocked(round)) {
      throw new AppError('ROUND.LOCKED', `调价轮次 ${round.id} 状态为 ${round.status}，不能提交或遴选报价 (round is locked)`, 422);
    }
  }

  async create(roundId: number, body: CreateQuote): Promise<QuoteView> {
    const own = institutionScope();
    if (own !== null && body.institutionCode !== own) {
      throw new AppError('AUTH.INSTITUTION_FORBIDDEN', `只能提交本机构（${own}）的报价 (you may quote for your own institution only)`, 403, [
        { path: 'body.institutionCode', message: 'not your institution' },
      ]);
    }
    const round = await this.rounds.get(roundId);
    this.assertOpen(round);
    const ctx = roundContext(round);
    // one read after another: a request holds one pooled connection at a time
    const institutions = await this.data.institutions(round.regionCode);
    const items = await this.data.regionItems(round.regionCode);
    const prices = await this.data.pricesInForce(round.regionCode, ctx.priceDate);
    const issues: FieldIssue[] = [];
    const inst = institutions.find((i) => i.code === body.institutionCode);
    const item = items.find((i) => i.itemCode === body.itemCode);
    if (!inst) issues.push({ path: 'body.institutionCode', message: `医疗机构 ${body.institutionCode} 不在地区 ${round.regionCode} (unknown institution)` });
    if (!item) issues.push({ path: 'body.itemCode', message: `项目编码 ${body.itemCode} 不在地区 ${round.regionCode} 的价格项目中 (unknown item)` });
    else if (item.kind === 'general') {
      issues.push({ path: 'body.itemCode', message: `项目 ${body.itemCode} 为通用型项目，不采用医疗机构报价 (a general item takes no quotes)` });
    }
    const level = (body.level ?? inst?.level) as HospitalLevel | undefined;
    if (inst && body.level !== undefined && body.level !== inst.level) {
      issues.push({ path: 'body.level', message: `医疗机构 ${inst.code} 为${inst.level}级，与报价等级 ${body.level} 不符 (level differs from the institution's)` });
    }
    if (item && level !== undefined && !prices.some((p) => p.itemCode === item.itemCode && p.level === level)) {
      issues.push({ path: 'body.level', message: `项目 ${item.itemCode} 在${level}级医疗机构没有现行价格（${ctx.priceDate}）(no price in force at level ${level})` });
    }
    if (issues.length) throw new ValidationError(issues, 'body');
    const cb = body.costBasis;
    const unitCostFen = cb.labourFen + cb.materialFen + cb.equipmentFen + cb.overheadFen + cb.otherFen;
    try {
      const id = await this.repo.insert({
        roundId,
        regionCode: round.regionCode,
        institutionCode: inst!.code,
        itemCode: item!.itemCode,
        level: level!,
        proposedPriceFen: body.proposedPriceFen,
        unitCostFen,
        costBasis: { ...cb },
        expectedVolume: body.expectedVolume,
        reason: body.reason || null,
      });
      const views = await this.list(roundId);
      return views.find((v) => v.id === id)!;
    } catch (e) {
      if (e instanceof QuoteTaken) {
        throw new ConflictError('QUOTE.TAKEN', `医疗机构 ${body.institutionCode} 已对项目 ${body.itemCode} 报价 (this institution has quoted this item)`);
      }
      throw e;
    }
  }

  private async inputs(round: Round, quotes: readonly QuoteRow[]): Promise<{ inputs: QuoteInput[]; priceOf: Map<string, number> }> {
    const ctx = roundContext(round);
    // one read after another: a request holds one pooled connection at a time
    const prices = await this.data.pricesInForce(round.regionCode, ctx.priceDate);
    const volumes = await this.data.publicLevelVolumes(round.regionCode, ctx.baseYear);
    const priceOf = new Map(prices.map((p) => [`${p.itemCode}|${p.level}`, p.priceFen]));
    const q = new Map(volumes.map((v) => [`${v.itemCode}|${v.level}`, v.quantity]));
    const inputs = quotes.map((x) => {
      const key = `${x.itemCode}|${x.level}`;
      const labour = typeof x.costBasis?.labourFen === 'number' ? x.costBasis.labourFen : null;
      return {
        id: x.id,
        institutionCode: x.institutionCode,
        itemCode: x.itemCode,
        level: x.level,
        proposedPriceFen: x.proposedPriceFen,
        unitCostFen: x.unitCostFen,
        labourFen: labour,
        currentPriceFen: priceOf.get(key) ?? null,
        quantity: Math.round(q.get(key) ?? 0),
      };
    });
    return { inputs, priceOf };
  }

  /**
   * The items of the round's region that take quotes (every item that is not 通用型 and has a price in force at some
   * level on the round's price date), with those prices — what a hospital picks from in the 申报 form.
   */
  async quotableItems(roundId: number): Promise<QuotableItem[]> {
    const round = await this.rounds.get(roundId);
    const ctx = roundContext(round);
    const items = await this.data.regionItems(round.regionCode);
    const prices = await this.data.pricesInForce(round.regionCode, ctx.priceDate);
    const byItem = new Map<string, QuotableItem['prices']>();
    for (const p of prices) {
      const row = byItem.get(p.itemCode) ?? { '1': null, '2': null, '3': null };
      row[String(p.level) as '1' | '2' | '3'] = p.priceFen;
      byItem.set(p.itemCode, row);
    }
    return items
      .filter((i) => i.kind !== 'general' && byItem.has(i.itemCode))
      .map((i) => ({ itemCode: i.itemCode, name: i.name, unit: i.unit ?? null, categoryCode: i.categoryCode ?? null, prices: byItem.get(i.itemCode)! }));
  }

  /** The rounds a reader may quote in or review, each with whether it still takes quotes. */
  async quoteRounds(): Promise<QuoteRound[]> {
    return (await this.repo.rounds()).map((r) => ({ ...r, open: !roundLocked(r) }));
  }

  async list(roundId: number): Promise<QuoteView[]> {
    const round = await this.rounds.get(roundId);
    const quotes = await this.repo.list(roundId);
    const { inputs } = await this.inputs(round, quotes);
    // a hospital user reads its own quotes only: a score over those alone would not be the bureau's (the median is of
    // every quote of the item), so it gets none — only the score stored by a selection (score, status)
    if (institutionScope() !== null) return quotes.map((x, i) => ({ ...x, currentPriceFen: inputs[i].currentPriceFen, scoring: null }));
    const scores = scoreQuotes(inputs);
    return quotes.map((x, i) => ({ ...x, currentPriceFen: inputs[i].currentPriceFen, scoring: scores[i] }));
  }

  async select(
    roundId: number,
    body: SelectQuotes,
  ): Promise<QuoteSelectionResult> {
    const round = await this.rounds.get(roundId);
    this.assertOpen(round);
    const quotes = await this.repo.list(roundId);
    if (quotes.length === 0) throw new AppError('QUOTE.NONE', `调价轮次 ${roundId} 还没有医疗机构报价 (no quotes yet)`, 422);
    const { inputs, priceOf } = await this.inputs(round, quotes);
    let sel: ReturnType<typeof selectQuotes>;
    try {
      sel = selectQuotes(inputs, body.budgetFen, { minScore: body.minScore });
    } catch (e) {
      // a quote's ΔP × Q past the exact integer range (a price of 10 万亿元 on an item with volume): nothing written
      if (!(e instanceof RangeError)) throw e;
      throw new AppError('QUOTE.OUT_OF_RANGE', `报价金额乘以服务量超出金额范围，未作任何更改 (${e.message}; nothing was written)`, 422);
    }
    const byId = new Map(quotes.map((x) => [x.id, x]));
    const rows: ChangeRow[] = sel.decisions
      .filter((d) => d.selected)
      .map((d) => {
        const x = byId.get(d.id)!;
        return {
          itemCode: x.itemCode,
          level: x.level,
          oldPriceFen: priceOf.get(`${x.itemCode}|${x.level}`)!,
          newPriceFen: x.proposedPriceFen,
          reason: `复杂型报价遴选：${x.institutionName ?? x.institutionCode} 报价，评分 ${d.score}`,
          source: `quote:${x.id}`,
        };
      });
    const name = body.scenarioName ?? `复杂型项目报价遴选 ${new Date().toISOString().slice(0, 19).replace('T', ' ')}`;
    // the scenario, its changes and every quote's decision are written in one transaction, or none of them
    const scenarioId = await this.ds.transaction(async (em) => {
      const id = await this.scenarios.insert(roundId, { name, method: 'quotes' }, em);
      const params = {
        quotes: { budgetFen: body.budgetFen, minScore: body.minScore ?? 0, netFen: sel.netFen, selected: rows.length, quoteCount: quotes.length },
      };
      const w = await this.scenarioRepo.replaceChanges(id, null, rows, 'quotes', params, em);
      if (!w.ok) throw new AppError('QUOTE.SELECTION_NOT_SAVED', `报价遴选结果未能写入调价方案（${w.reason}）(selection not saved)`, 409);
      await this.repo.saveDecisions(
        roundId,
        sel.decisions.map((d) => ({ id: d.id, score: d.score, selected: d.selected })),
        em,
        { regionCode: round.regionCode, scenarioId: id, details: params.quotes },
      );
      return id;
    });
    const { decisions, ...summary } = sel;
    return {
      scenario: await this.scenarios.get(scenarioId),
      selection: summary,
      decisions: decisions.map((d) => ({ ...d, newPriceFen: byId.get(d.id)!.proposedPriceFen, oldPriceFen: priceOf.get(`${d.itemCode}|${d.level}`) ?? null })),
    };
  }
}
