import { assertRegion, currentAccess, grants } from '../auth/access';
import { Injectable } from '@nestjs/common';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../common/errors';
import { formatFen } from '../domain/money';
import { PricingDataRepository } from '../facts/pricing-data.repository';
import { basePeriodOf, readParams } from '../domain/rounds/context';
import { NEXT_STATUS, roundLocked, transitionProblem } from '../domain/rounds/lifecycle';
import { changedFields } from '../audit/changed-fields';
import { RoundsRepository, type ImplementProblem } from './rounds.repository';
import {
  roundParamsSchema,
  type CreateRound,
  type ListRoundsQuery,
  type PatchRound,
  type Round,
  type StatusChange,
} from './rounds.schemas';

/** JSON with object keys sorted, to compare stored jsonb with new values. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** A check a scenario fails at approval: a code of the impact's checks or of the change limits, with its rows. */
export interface ApprovalProblem {
  code: string;
  severity: 'error';
  messageZh: string;
  /** rows with the problem, when it is about rows, and the first of them */
  count?: number;
  items?: unknown[];
}

export interface ApprovalCheckResult {
  /** the version of the scenario the checks were made on */
  scenarioVersion: number;
  /** empty: it may be approved */
  problems: ApprovalProblem[];
}

/** What approving a scenario checks; registered by the impact module (which builds on this one). */
export type ApprovalCheck = (scenarioId: number) => Promise<ApprovalCheckResult>;

@Injectable()
export class RoundsService {
  private approvalCheck: ApprovalCheck | null = null;

  constructor(
    private readonly repo: RoundsRepository,
    private readonly data: PricingDataRepository,
  ) {}

  /** Sets what approving a scenario checks (the impact's checks on the stored scenario). */
  useApprovalCheck(check: ApprovalCheck): void {
    this.approvalCheck = check;
  }

  async create(body: CreateRound): Promise<Round> {
    assertRegion(body.regionCode, 'body.regionCode');
    if (!(await this.data.regionExists(body.regionCode))) {
      throw new ValidationError([{ path: 'body.regionCode', message: `地区代码 ${body.regionCode} 不存在 (unknown region code)` }], 'body');
    }
    const period = basePeriodOf(body.year, body.params);
    const id = await this.repo.create({
      regionCode: body.regionCode,
      year: body.year,
      name: body.name,
      kind: body.kind,
      params: body.params as Record<string, unknown>,
      basePeriodFrom: period.from,
      basePeriodTo: period.to,
      effectiveDate: body.effectiveDate ?? null,
    });
    return (await this.repo.get(id))!;
  }

  list(q: ListRoundsQuery): Promise<Round[]> {
    return this.repo.list(q);
  }

  async get(id: number): Promise<Round> {
    const r = await this.repo.get(id);
    if (!r) throw new NotFoundError('ROUND.NOT_FOUND', `调价轮次 ${id} 不存在 (unknown round)`);
    return r;
  }

  private stale(round: Round, yours: number): ConflictError {
    return roundStale(round, yours);
  }

  async patch(id: number, body: PatchRound): Promise<Round> {
    const cur = await this.get(id);
    if (cur.version !== body.version) throw this.stale(cur, body.version);
    if (roundLocked(cur)) {
      throw new AppError('ROUND.LOCKED', `调价轮次 ${id} 状态为 ${cur.status}${cur.kind === 'historic' ? '（历史轮次）' : ''}，不能修改 (round is locked)`, 422);
    }
    let params = cur.params as Record<string, unknown>;
    let paramsChanged = false;
    if (body.params) {
      const merged: Record<string, unknown> = { ...readParams(cur.params) };
      for (const [k, v] of Object.entries(body.params)) {
        if (v === undefined) continue;
        if (v === null) delete merged[k];
        else merged[k] = v;
      }
      const r = roundParamsSchema.safeParse(merged);
      if (!r.success) {
        throw new ValidationError(
          r.error.issues.map((i) => ({ path: ['body', 'params', ...i.path.map(String)].join('.'), message: i.message })),
          'body',
        );
      }
      params = r.data as Record<string, unknown>;
      paramsChanged = canonical(params) !== canonical(cur.params);
    }
    const year = body.year ?? cur.year;
    const period = basePeriodOf(year, readParams(params));
    const next = {
      name: body.name ?? cur.name,
      year,
      kind: body.kind ?? cur.kind,
      params,
      basePeriodFrom: period.from,
      basePeriodTo: period.to,
      effectiveDate: body.effectiveDate === undefined ? cur.effectiveDate : body.effectiveDate,
    };
    const ok = await this.repo.update(id, body.version, {
      ...next,
      paramsChanged: paramsChanged || year !== cur.year,
      changed: changedFields(cur as unknown as Record<string, unknown>, next),
    });
    if (!ok) throw this.stale(await this.get(id), body.version);
    return this.get(id);
  }

  /**
   * Moves a round along its life cycle. Approving re-checks the scenario as it is stored (the registered approval check:
   * every error check of its impact and the limits of its changes) and refuses with 422 ROUND.APPROVAL_CHECKS_FAILED
   * naming the failing checks; the approval is written only while the scenario is still at the version checked.
   */
  async changeStatus(id: number, body: StatusChange): Promise<Round> {
    const cur = await this.get(id);
    const who = currentAccess();
    if ((body.to === 'approved' || body.to === 'implemented') && who && !grants(who.role, 'approve')) {
      throw new AppError('AUTH.FORBIDDEN', '批准与实施须由价格管理部门（国家/省级价格管理）操作 (only a price official may approve or implement)', 403);
    }
    if (cur.version !== body.version) throw this.stale(cur, body.version);
    if (body.effectiveDate !== undefined) {
      if (body.to !== 'implemented') {
        throw new ValidationError([{ path: 'body.effectiveDate', message: '只有实施（to = implemented）时才指定执行日期 (effectiveDate only with to = implemented)' }], 'body');
      }
      if (cur.effectiveDate !== null && cur.effectiveDate !== body.effectiveDate) {
        throw new ValidationError(
          [{ path: 'body.effectiveDate', message: `轮次已设定执行日期 ${cur.effectiveDate}，不能在实施时改为 ${body.effectiveDate} (the round has an effective date already)` }],
          'body',
        );
      }
    }
    const problem = transitionProblem(cur.kind, cur.status, body.to);
    if (problem) {
      throw new AppError('ROUND.ILLEGAL_TRANSITION', problem, 422, { from: cur.status, to: body.to, kind: cur.kind, allowed: NEXT_STATUS[cur.status] });
    }
    let approvedScenarioId: number | undefined;
    let approvedScenarioVersion: number | undefined;
    if (body.to === 'approved') {
      if (body.scenarioId === undefined) {
        throw new ValidationError([{ path: 'body.scenarioId', message: '批准时须指定批准的调价方案 (scenarioId is required to approve)' }], 'body');
      }
      const roundOfScenario = await this.repo.roundOfScenario(body.scenarioId);
      if (roundOfScenario !== id) {
        throw new ValidationError([{ path: 'body.scenarioId', message: `调价方案 ${body.scenarioId} 不属于轮次 ${id} (scenario not in this round)` }], 'body');
      }
      approvedScenarioId = body.scenarioId;
      // every check on the stored scenario now; the approval is written only if it is still that version
      if (!this.approvalCheck) throw new Error('no approval check registered (ImpactModule not loaded)');
      const checked = await this.approvalCheck(body.scenarioId);
      if (checked.problems.length) throw approvalRefused(body.scenarioId, checked);
      approvedScenarioVersion = checked.scenarioVersion;
    } else if (body.scenarioId !== undefined) {
      throw new ValidationError([{ path: 'body.scenarioId', message: '只有批准（to = approved）时才指定调价方案 (scenarioId only with to = approved)' }], 'body');
    }
    const r = await this.repo.transition(id, body.version, cur.status, body.to, {
      evaluation: body.evaluation, approvedScenarioId, approvedScenarioVersion, effectiveDate: body.effectiveDate,
    });
    if (!r.ok && r.reason === 'stale') throw this.stale(await this.get(id), body.version);
    if (!r.ok && r.reason === 'scenario-moved') {
      throw new ConflictError(
        'SCENARIO.STALE',
        `调价方案 ${approvedScenarioId} 在批准前的检查之后被修改（检查的版本 ${approvedScenarioVersion}），未作任何更改，请重试 ` +
          `(the scenario changed after it was checked at version ${approvedScenarioVersion}; nothing was changed, try again)`,
        { checkedVersion: approvedScenarioVersion },
      );
    }
    if (!r.ok && r.reason === 'prices') throw implementError(id, r.problem);
    return this.get(id);
  }
}

/** The error of a write made on a version of the round that is no longer current (nothing was saved). */
export function roundStale(round: Pick<Round, 'id' | 'version'>, yours: number): ConflictError {
  return new ConflictError(
    'ROUND.STALE',
    `调价轮次 ${round.id} 已被他人修改（当前版本 ${round.version}，提交的版本 ${yours}），请刷新后重试；未保存任何更改 ` +
      `(the round changed meanwhile: version ${round.version}, yours ${yours}; nothing was saved)`,
    { currentVersion: round.version, yourVersion: yours },
  );
}

/** The refusal of an approval: the scenario fails checks (nothing was written). */
function approvalRefused(scenarioId: number, c: ApprovalCheckResult): AppError {
  return new AppError(
    'ROUND.APPROVAL_CHECKS_FAILED',
    `调价方案 ${scenarioId}（版本 ${c.scenarioVersion}）未通过批准前的检查，未作任何更改：` +
      `${c.problems.map((p) => `${p.code} ${p.messageZh}`).join('；')} ` +
      `(the scenario fails ${c.problems.length} checks at approval: ${c.problems.map((p) => p.code).join(', ')}; nothing was changed)`,
    422,
    { scenarioId, scenarioVersion: c.scenarioVersion, checks: c.problems },
  );
}

const LEVEL_ZH: Record<number, string> = { 3: '三级', 2: '二级', 1: '一级' };
const yuan = (fen: number | null) => (fen === null ? '无' : formatFen(fen, '元'));

/** Why an approved round could not be implemented, as the one error shape (nothing was written). */
function implementError(id: number, p: ImplementProblem): AppError {
  if (p.kind === 'no-effective-date') {
    return new AppError(
      'ROUND.NO_EFFECTIVE_DATE',
      `调价轮次 ${id} 没有执行日期，请在实施时指定 effectiveDate（新价格自该日起执行）；未作任何更改 (the round has no effective date; pass effectiveDate)`,
      422,
    );
  }
  const list = p.rows.map((r) => ({ ...r, levelZh: LEVEL_ZH[r.level] ?? String(r.level) }));
  const first = list[0];
  if (p.kind === 'moved') {
    return new AppError(
      'ROUND.PRICES_MOVED',
      `批准方案中 ${p.count} 条价格的原价与执行日期前一天的现行价格不一致（如项目 ${first.itemCode} ${first.levelZh}：方案原价 ${yuan(first.oldPriceFen)}，` +
        `现行价格 ${yuan(first.currentFen)}），价格可能已重新导入；请按现行价格重新编制方案。未作任何更改 ` +
        `(${p.count} old prices of the approved scenario are no longer in force; nothing was written)`,
      422,
      { count: p.count, items: list },
    );
  }
  return new AppError(
    'ROUND.PRICE_DATE_TAKEN',
    `已有 ${p.count} 条价格自执行日期起执行（如项目 ${first.itemCode} ${first.levelZh}，${first.roundId ? `调价轮次 ${first.roundId}` : `导入批次 #${first.batchId}`}），` +
      `不能重复设定；未作任何更改 (${p.count} prices start on the effective date already; nothing was written)`,
    422,
    { count: p.count, items: list },
  );
}
