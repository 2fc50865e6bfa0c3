import { Injectable } from '@nestjs/common';
import { AppError, ValidationError } from '../common/errors';
import type { TriggerResult } from '../domain/triggers';
import { ForecastService } from '../forecast/forecast.service';
import { ImpactService } from '../impact/impact.service';
import { RoundsService } from '../rounds/rounds.service';
import { RoundTotalService } from '../rounds/total.service';
import { RuleSetsService } from '../rule-sets/rule-sets.service';
import { ScenariosService } from '../scenarios/scenarios.service';
import { briefingCharts } from './briefing.charts';
import { renderBriefingPdf } from './briefing.pdf';
import { BriefingRepository } from './briefing.repository';
import type { BriefingData, BriefingEvaluation } from './briefing.schemas';
import { impactWorkbook, itemsWorkbook } from './briefing.xlsx';

/** YYYY-MM-DD of an instant in China time (the users' calendar). */
export function chinaDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** File names of the downloads: letters, digits, CJK and a few signs; everything else becomes "_". */
export function fileNameOf(...parts: string[]): string {
  return parts.join('-').replace(/[^\p{L}\p{N}._()（）\-]+/gu, '_').slice(0, 150);
}

const isTriggerResult = (v: unknown): v is TriggerResult =>
  typeof v === 'object' && v !== null && Array.isArray((v as TriggerResult).rules) && typeof (v as TriggerResult).status === 'string';

/**
 * Gathers what a briefing shows from the rooms that own it — the impact (ImpactService), the 调价总量
 * (RoundTotalService), the trigger evaluation (kept with the round, else RuleSetsService), the forecast band under
 * volume response at the default assumptions (ForecastService), the load batches — and
 * renders it as PDF or Excel. It computes nothing of its own: every figure is the API's.
 */
@Injectable()
export class BriefingService {
  constructor(
    private readonly impacts: ImpactService,
    private readonly rounds: RoundsService,
    private readonly totals: RoundTotalService,
    private readonly scenarios: ScenariosService,
    private readonly ruleSets: RuleSetsService,
    private readonly repo: BriefingRepository,
    private readonly forecasts: ForecastService,
  ) {}

  /**
   * The briefing's data for a scenario; with `roundId`, the scenario must belong to that round. `tablesOnly` (the Excel
   * files) leaves out the 调价总量 waterfall and the trigger evaluation.
   */
  async data(scenarioId: number, roundId?: number, o: { tablesOnly?: boolean; now?: Date } = {}): Promise<BriefingData> {
    const round = roundId === undefined ? null : await this.rounds.get(roundId);
    // by hospital and hospital type are parts of the briefing and the workbook; the cross-region positions are not
    const impact = await this.impacts.impact(scenarioId, { hospitals: true });
    if (round && impact.scenario.roundId !== round.id) {
      throw new ValidationError(
        [{ path: 'query.scenario', message: `调价方案 ${scenarioId} 不属于调价轮次 ${round.id}，它属于轮次 ${impact.scenario.roundId} (scenario not in this round)` }],
        'query',
      );
    }
    const r = round ?? (await this.rounds.get(impact.scenario.roundId));
    // one part after another: a request holds one pooled connection at a time
    const all = await this.impacts.items(scenarioId, true);
    const total = await (o.tablesOnly ? Promise.resolve(null) : this.totals.total(r)).then(
      (t) => ({ t, error: null as string | null }),
      (e: unknown) => {
        if (e instanceof AppError) return { t: null, error: e.message };
        throw e;
      },
    );
    const evaluation = o.tablesOnly ? { result: null, source: 'none' as const, note: null } : await this.evaluation(r);
    const batches = await this.repo.batchesOf(r.regionCode, impact.baseYear);
    const forecast = await (o.tablesOnly ? Promise.resolve(null) : this.forecasts.forecast(scenarioId)).then(
      (f) => ({ f, error: null as string | null }),
      (e: unknown) => {
        if (e instanceof AppError) return { f: null, error: e.message };
        throw e;
      },
    );
    const changedItems = new Set(all.filter((x) => x.changed).map((x) => x.itemCode));
    const latest = batches.reduce<string | null>((m, b) => (m === null || b.loadedAt > m ? b.loadedAt : m), null);
    return {
      generatedOn: chinaDate(o.now ?? new Date()),
      dataAsOf: latest ? latest.slice(0, 10) : null,
      round: r,
      impact,
      itemRows: all.filter((x) => changedItems.has(x.itemCode)),
      total: total.t,
      totalError: total.error,
      evaluation,
      batches,
      forecast: forecast.f,
      forecastError: forecast.error,
    };
  }

  /** The evaluation kept with the round's status change, else the rule set in force evaluated now. */
  private async evaluation(round: BriefingData['round']): Promise<BriefingEvaluation> {
    if (isTriggerResult(round.evaluation)) return { result: round.evaluation, source: 'round', note: null };
    try {
      let ruleSetId = round.ruleSetId ?? undefined;
      if (ruleSetId === undefined) ruleSetId = (await this.ruleSets.list({ includePresets: true, allVersions: false })).find((s) => s.isPreset)?.id;
      const result = await this.ruleSets.evaluateRegion(round.regionCode, { year: round.year, kind: round.kind === 'special' ? 'special' : 'regular', ruleSetId });
      return { result, source: 'evaluated', note: '本轮次尚未保存评估结果，以下为生成简报时按现有指标的即时评估。' };
    } catch (e) {
      if (e instanceof AppError) return { result: null, source: 'none', note: e.message };
      throw e;
    }
  }

  async pdf(roundId: number, scenarioId: number): Promise<{ bytes: Buffer; fileName: string }> {
    const d = await this.data(scenarioId, roundId);
    const bytes = await renderBriefingPdf(d, briefingCharts(d));
    return { bytes, fileName: `${fileNameOf(d.round.name, d.impact.scenario.name, '测算简报')}.pdf` };
  }

  async itemsXlsx(scenarioId: number): Promise<{ bytes: Buffer; fileName: string }> {
    const [d, s] = await Promise.all([this.data(scenarioId, undefined, { tablesOnly: true }), this.scenarios.get(scenarioId)]);
    const reasons = new Map(s.changes.filter((c) => c.reason).map((c) => [`${c.itemCode}|${c.level}`, c.reason as string]));
    const bytes = await itemsWorkbook(d, reasons);
    return { bytes, fileName: `${fileNameOf(d.round.name, d.impact.scenario.name, '调价项目表')}.xlsx` };
  }

  async impactXlsx(scenarioId: number): Promise<{ bytes: Buffer; fileName: string }> {
    const d = await this.data(scenarioId, undefined, { tablesOnly: true });
    const bytes = await impactWorkbook(d);
    return { bytes, fileName: `${fileNameOf(d.round.name, d.impact.scenario.name, '影响测算表')}.xlsx` };
  }
}
