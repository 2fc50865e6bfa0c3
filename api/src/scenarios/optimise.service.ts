import { Injectable } from '@nestjs/common';
import { AppError, ConflictError, NotFoundError } from '../common/errors';
import {
  type BindingConstraint,
  type OptimalProposal,
  type OptimiserItem,
  type OptimiserSettings,
  type ProposalChange,
  type ProposalSummary,
} from '../domain/optimiser';
import { CATEGORIES, type CategoryFamily, type HospitalLevel } from '../domain/reference';
import { OptimiserRunner } from './optimise.runner';
import type { OptimiseRequest } from './optimise.schemas';
import { PricingDataRepository } from '../facts/pricing-data.repository';
import type { RoundContext } from '../domain/rounds/context';
import { scenarioLocked } from '../domain/rounds/lifecycle';
import type { Round } from '../rounds/rounds.schemas';
import type { Scenario } from './scenarios.schemas';
import { ScenariosRepository, type ChangeRow } from './scenarios.repository';
import { ScenariosService, type ScenarioWithChanges } from './scenarios.service';
import { RoundTotalService } from '../rounds/total.service';

/**
 * Optimiser proposals for a scenario (DOMAIN.md §7 step 4).
 *
 * Rows: every service item priced at the round's price date at each level it is priced at (the rows the impact
 * measures), with the price in force as P⁰, the public hospitals' base-year volume at that level as Q, the region's
 * average unit cost of the base year (closest year when missing) and the labour share as in the impact
 * (region_item.labour_share, else labour cost ÷ unit cost). A row whose volume is not a whole number is locked (the
 * optimiser works in whole units). Settings default to the round's: the total the impact checks against, changeCap,
 * itemShareFloor, labourRuleShare, labourItemThreshold.
 *
 * When the LP is optimal the scenario's changes are replaced by the proposal in one transaction (version + 1, method
 * unchanged, scenario.params.optimiser records the settings and the summary); infeasible settings give 422
 * SCENARIO.OPTIMISER_INFEASIBLE with the conflicting constraints; a proposal that breaks the round's limits (a
 * settings.changeCap above the round's) 422 SCENARIO.LIMIT_EXCEEDED; a stale version gives 409 SCENARIO.STALE before
 * anything is solved, and again at the write when another write came in between. Nothing is written on an error.
 */

const FAMILY_OF = new Map(CATEGORIES.map((c) => [c.code, c.family]));

export interface OptimiseResponse {
  scenario: ScenarioWithChanges;
  settings: OptimiserSettings & { totalSource: 'request' | 'round' | 'params' | 'computed' };
  proposal: {
    changes: Pick<
      ProposalChange,
      | 'itemCode'
      | 'name'
      | 'level'
      | 'categoryCode'
      | 'family'
      | 'direction'
      | 'oldPriceFen'
      | 'newPriceFen'
      | 'deltaFen'
      | 'changeRate'
      | 'quantity'
      | 'amountFen'
      | 'unitCostFen'
      | 'recoveryBefore'
      | 'recoveryAfter'
      | 'labourDominant'
      | 'binding'
      | 'reasonZh'
    >[];
    summary: ProposalSummary;
    binding: BindingConstraint[];
    excluded: OptimalProposal['excluded'];
    notesZh: string[];
  };
}

@Injectable()
export class OptimiseService {
  constructor(
    private readonly scenarios: ScenariosService,
    private readonly repo: ScenariosRepository,
    private readonly data: PricingDataRepository,
    private readonly totals: RoundTotalService,
    private readonly runner: OptimiserRunner,
  ) {}

  /** The optimiser's input rows for a round. */
  async items(round: Round, ctx: RoundContext): Promise<OptimiserItem[]> {
    const region = round.regionCode;
    // one read after another: a request holds one pooled connection at a time
    const items = await this.data.regionItems(region);
    const prices = await this.data.pricesInForce(region, ctx.priceDate);
    const volumes = await this.data.publicLevelVolumes(region, ctx.baseYear);
    const costs = await this.data.costs(region, ctx.baseYear);
    const info = new Map(items.map((i) => [i.itemCode, i]));
    const q = new Map(volumes.map((v) => [`${v.itemCode}|${v.level}`, v.quantity]));
    const cost = new Map(costs.map((c) => [c.itemCode, c]));
    const out: OptimiserItem[] = [];
    for (const p of prices) {
      const it = info.get(p.itemCode);
      const categoryCode = it?.categoryCode ?? 'uncategorised';
      const family: CategoryFamily = it?.family ?? FAMILY_OF.get(categoryCode) ?? 'mixed';
      const c = cost.get(p.itemCode);
      const unitCostFen = c && Number.isSafeInteger(c.unitCostFen) && c.unitCostFen >= 0 ? c.unitCostFen : null;
      const labourShare = it?.labourShare ?? (c && c.unitCostFen > 0 ? Math.min(1, Math.max(0, c.labourFen / c.unitCostFen)) : null);
      const quantity = q.get(`${p.itemCode}|${p.level}`) ?? 0;
      const whole = Number.isSafeInteger(quantity) && quantity >= 0;
      out.push({
        itemCode: p.itemCode,
        name: it?.name ?? p.itemCode,
        level: p.level as HospitalLevel,
        categoryCode,
        family,
        oldPriceFen: p.priceFen,
        quantity: whole ? quantity : Math.max(0, Math.round(quantity)),
        unitCostFen,
        labourShare,
        locked: !whole || !Number.isSafeInteger(p.priceFen) || p.priceFen < 0,
      });
    }
    out.sort((a, b) => (a.itemCode < b.itemCode ? -1 : a.itemCode > b.itemCode ? 1 : b.level - a.level));
    return out;
  }

  private staleError(scenario: Scenario, current: number, yours: number): ConflictError {
    return new ConflictError(
      'SCENARIO.STALE',
      `调价方案 ${scenario.id} 已被他人修改（当前版本 ${current}，提交的版本 ${yours}），请刷新后重试；未保存任何更改 ` +
        `(the scenario changed meanwhile: version ${current}, yours ${yours}; nothing was saved)`,
      { currentVersion: current, yourVersion: yours },
    );
  }

  private lockedError(scenario: Scenario, status: string, roundStatus: string, roundKind: string): AppError {
    return new AppError(
      'SCENARIO.LOCKED',
      `调价方案 ${scenario.id}（状态 ${status}）所在轮次状态为 ${roundStatus}${roundKind === 'historic' ? '（历史轮次）' : ''}，不能修改 (scenario is locked)`,
      422,
      { status, roundStatus, roundKind },
    );
  }

  async optimise(id: number, body: OptimiseRequest): Promise<OptimiseResponse> {
    const { scenario, round, ctx } = await this.scenarios.context(id);
    if (scenario.version !== body.version) throw this.staleError(scenario, scenario.version, body.version);
    if (scenarioLocked({ status: scenario.status, roundStatus: round.status, roundKind: round.kind })) {
      throw this.lockedError(scenario, scenario.status, round.status, round.kind);
    }
    const p = ctx.params;
    const s = body.settings;
    let totalFen = s.totalFen;
    let totalSource: OptimiseResponse['settings']['totalSource'] = 'request';
    if (totalFen === undefined) {
      const t = await this.totals.effectiveTotal(round);
      if (t.totalFen === null) {
        throw new AppError(
          'SCENARIO.OPTIMISER_NO_TOTAL',
          `轮次 ${round.id} 没有可用的调价总量，请在 settings.totalFen 中给出 (no total for the round; give settings.totalFen): ${t.note ?? ''}`,
          422,
        );
      }
      totalFen = t.totalFen;
      totalSource = t.source as 'round' | 'params' | 'computed';
    }
    const changeCap = s.changeCap ?? p.changeCap;
    if (changeCap === undefined) {
      throw new AppError(
        'SCENARIO.OPTIMISER_NO_CAP',
        `轮次 ${round.id} 未设定调价幅度上限，请在 settings.changeCap 中给出 (the round has no changeCap; give settings.changeCap)`,
        422,
      );
    }
    const settings: OptimiserSettings = {
      totalFen,
      changeCap,
      itemShareFloor: s.itemShareFloor ?? p.itemShareFloor ?? 0,
      labourRuleShare: s.labourRuleShare ?? p.labourRuleShare ?? 0.6,
      labourItemThreshold: p.labourItemThreshold ?? 0.6,
      raiseLabourItemsOnly: s.raiseLabourItemsOnly ?? false,
      targetRecovery: s.targetRecovery ?? 1,
      minNetFen: s.minNetFen ?? null,
    };
    const items = await this.items(round, ctx);
    const result = await this.runner.run(items, settings);
    if (result.status === 'infeasible') {
      throw new AppError('SCENARIO.OPTIMISER_INFEASIBLE', `${result.messageZh}；未保存任何更改 (the settings conflict; nothing was saved)`, 422, result.conflicts);
    }
    if (result.status === 'error') {
      throw new AppError('SCENARIO.OPTIMISER_FAILED', `${result.messageZh}（求解器状态 ${result.solverStatus}）；未保存任何更改`, 500, {
        solverStatus: result.solverStatus,
      });
    }
    const rows: ChangeRow[] = result.changes.map((c) => ({
      itemCode: c.itemCode,
      level: c.level,
      oldPriceFen: c.oldPriceFen,
      newPriceFen: c.newPriceFen,
      reason: c.reasonZh.slice(0, 500),
      source: 'optimiser',
    }));
    // settings.changeCap may exceed the round's cap: the proposal is saved only within the round's limits
    const volume = new Map(result.changes.map((c) => [`${c.itemCode}|${c.level}`, c.quantity]));
    this.scenarios.assertWithinLimits(ctx, rows, (code, level) => volume.get(`${code}|${level}`) ?? 0);
    const w = await this.repo.replaceChanges(scenario.id, body.version, rows, 'optimise', {
      optimiser: { settings, totalSource, summary: result.summary, binding: result.binding.map((b) => b.constraint) },
    });
    if (!w.ok) {
      if (w.reason === 'not-found') throw new NotFoundError('SCENARIO.NOT_FOUND', `调价方案 ${scenario.id} 不存在 (unknown scenario)`);
      if (w.reason === 'stale') throw this.staleError(scenario, w.currentVersion, body.version);
      throw this.lockedError(scenario, w.status, w.roundStatus, w.roundKind);
    }
    return {
      scenario: await this.scenarios.get(scenario.id),
      settings: { ...settings, totalSource },
      proposal: {
        changes: result.changes.map((c) => ({
          itemCode: c.itemCode,
          name: c.name,
          level: c.level,
          categoryCode: c.categoryCode,
          family: c.family,
          direction: c.direction,
          oldPriceFen: c.oldPriceFen,
          newPriceFen: c.newPriceFen,
          deltaFen: c.deltaFen,
          changeRate: c.changeRate,
          quantity: c.quantity,
          amountFen: c.amountFen,
          unitCostFen: c.unitCostFen,
          recoveryBefore: c.recoveryBefore,
          recoveryAfter: c.recoveryAfter,
          labourDominant: c.labourDominant,
          binding: c.binding,
          reasonZh: c.reasonZh,
        })),
        summary: result.summary,
        binding: result.binding,
        excluded: result.excluded,
        notesZh: result.notesZh,
      },
    };
  }
}
