import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Lru, type Slot } from '../common/lru';
import { shared } from '../common/shared-strings';
import { AppError, ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../common/errors';
import {
  ChangeList,
  changeLimitProblems,
  DEFAULT_GENERAL_CATEGORIES,
  indexGeneralPrices,
  type LimitProblem,
  placeChanges,
  priceAfterPercent,
  rowKey,
  type RowChange,
  SCALING_BASE_ZH,
  scaleToTarget,
  type ScalingRequestScope,
  type ScalingResult,
} from '../domain/pricing';
import * as R from '../domain/rational';
import type { HospitalLevel } from '../domain/reference';
import { BaseDataCache } from '../facts/region-facts.cache';
import { PricingDataRepository } from '../facts/pricing-data.repository';
import { roundContext, type RoundContext } from '../domain/rounds/context';
import { roundLocked, scenarioLocked } from '../domain/rounds/lifecycle';
import { RoundsService } from '../rounds/rounds.service';
import type { Round } from '../rounds/rounds.schemas';
import { ImportRunner } from './import.runner';
import { IMPORT_LIMITS, isZip, placeOf, zipUnpackedBytes, type UploadOutcome } from './scenarios.import';
import { ScenariosRepository, ScenarioNameTaken, type ChangeRow, type ReplaceResult, type WriteNote } from './scenarios.repository';
import type { VersionAction } from './versions.schemas';
import type { ChangeInput, CreateScenario, IndexRequest, PatchChanges, PatchResult, PutChanges, ScaleRequest, Scenario, ScenarioChange, ScenarioHead } from './scenarios.schemas';


export type ScenarioWithChanges = Scenario & { changes: ScenarioChange[] };

/** Which rows a scaling worked on and their revenue before and as proposed (R₀ = Σ P⁰·Q, R₁ = Σ P¹·Q). */
export interface ScalingBasis {
  scope: ScalingRequestScope;
  rowCount: number;
  baseRevenueFen: number;
  proposedRevenueFen: number;
  descriptionZh: string;
}

/**
 * Scenarios (调价方案) of a round and their changes. Old prices are the prices in force on the round's price date
 * (the day before 执行日期, else the base end; see round-context.ts). Every write replaces the whole change list in one
 * transaction and bumps the scenario's version; a stale version (409 SCENARIO.STALE), an invalid change (400, naming
 * the index path or file:row:column) or a price that breaks the round's limits (422 SCENARIO.LIMIT_EXCEEDED: the
 * 调价幅度上限, the price bound, the exact range; domain/pricing/limits.ts) writes nothing.
 */
@Injectable()
export class ScenariosService {
  /**
   * Change lists by scenario id, kept while (version, updated_at) stay: every write of the changes bumps the version.
   * Room for the scenarios of a few hundred users (a list of 10,000 changes is ~250 KB as columns, its item codes
   * shared); fewer slots than open scenarios would read 10,000 rows again on most requests.
   */
  private readonly changeLists = new Lru<{ version: number; updatedAt: string; changes: ChangeList }>(256);
  /** A change list a PATCH made from an earlier one: that list and the rows it set (a change) or removed (null). */
  private readonly edits = new WeakMap<ChangeList, { from: ChangeList; edits: ReadonlyMap<string, RowChange | null> }>();

  constructor(
    private readonly repo: ScenariosRepository,
    private readonly rounds: RoundsService,
    private readonly data: PricingDataRepository,
    private readonly cache: BaseDataCache,
    private readonly importer: ImportRunner,
  ) {}

  async create(roundId: number, body: CreateScenario): Promise<ScenarioWithChanges> {
    return this.get(await this.insert(roundId, body));
  }

  /** Adds a draft scenario to an open round and returns its id; `em` runs the insert inside a caller's transaction. */
  async insert(roundId: number, body: CreateScenario, em?: EntityManager): Promise<number> {
    const round = await this.rounds.get(roundId);
    if (roundLocked(round)) {
      throw new AppError('ROUND.LOCKED', `调价轮次 ${roundId} 状态为 ${round.status}，不能新增调价方案 (round is locked)`, 422);
    }
    try {
      return await this.repo.create(roundId, round.regionCode, body.name, body.method, body.notes ?? null, em);
    } catch (e) {
      if (e instanceof ScenarioNameTaken) {
        throw new ConflictError('SCENARIO.NAME_TAKEN', `本轮次已有名为“${body.name}”的调价方案 (a scenario of this round has that name)`);
      }
      throw e;
    }
  }

  async list(roundId: number): Promise<Scenario[]> {
    await this.rounds.get(roundId);
    return this.repo.list(roundId);
  }

  async scenario(id: number): Promise<Scenario> {
    const s = await this.repo.get(id);
    if (!s) throw new NotFoundError('SCENARIO.NOT_FOUND', `调价方案 ${id} 不存在 (unknown scenario)`);
    return s;
  }

  async get(id: number): Promise<ScenarioWithChanges> {
    const s = await this.scenario(id);
    return { ...s, changes: await this.repo.changes(id) };
  }

  /** The scenario's changes (as ScenariosRepository.changeRows), read again only when its version moved. */
  async cachedChanges(s: Pick<ScenarioHead, 'id' | 'version' | 'updatedAt'>): Promise<ChangeList> {
    const key = String(s.id);
    const hit = this.changeLists.get(key);
    if (hit) {
      const v = await hit.value;
      if (v.version === s.version && v.updatedAt === s.updatedAt) return v.changes;
    }
    const slot: Slot<{ version: number; updatedAt: string; changes: ChangeList }> = {
      revision: null,
      value: this.repo.changeRows(s.id).then((rows) => ({ version: s.version, updatedAt: s.updatedAt, changes: ChangeList.of(rows, shared) })),
    };
    this.changeLists.set(key, slot);
    slot.value.catch(() => this.changeLists.delete(key, slot));
    return (await slot.value).changes;
  }

  /** When `list` was made by a PATCH of a cached list: that list and the rows the patch set or removed. */
  editOf(list: ChangeList): { from: ChangeList; edits: ReadonlyMap<string, RowChange | null> } | undefined {
    return this.edits.get(list);
  }

  /** Drops the link from `list` to the list it was made from (once `list` is placed, the earlier one is not needed). */
  forgetEdit(list: ChangeList): void {
    this.edits.delete(list);
  }

  /** The same without the scenario's change counts (no scan of its changes). */
  async headContext(id: number): Promise<{ scenario: ScenarioHead; round: Round; ctx: RoundContext; revision: number }> {
    const found = await this.repo.headWithRound(id);
    if (!found) throw new NotFoundError('SCENARIO.NOT_FOUND', `调价方案 ${id} 不存在 (unknown scenario)`);
    return { ...found, ctx: roundContext(found.round) };
  }

  /** The scenario, its round and what old prices are read from. */
  async context(id: number): Promise<{ scenario: Scenario; round: Round; ctx: RoundContext }> {
    const scenario = await this.scenario(id);
    const round = await this.rounds.get(scenario.roundId);
    return { scenario, round, ctx: roundContext(round) };
  }

  /** The region's items and the prices in force on the price date (from the cache of the region's facts). */
  private async oldPrices(round: Round, ctx: RoundContext): Promise<{ items: ReadonlySet<string>; priceOf: ReadonlyMap<string, number>; quantity: QuantityOf }> {
    const base = await this.cache.base(round.regionCode, ctx.priceDate, ctx.baseYear, ctx.params, await this.cache.revision());
    return { items: base.itemCodes, priceOf: base.priceOf, quantity: quantityOf(base) };
  }

  /**
   * Refuses rows a write sets when they break the round's limits (changeLimitProblems: the price bound, the exact
   * range of P × Q, the 调价幅度上限): 422 SCENARIO.LIMIT_EXCEEDED naming each check and its first rows. Rows a write
   * carries over unchanged are not judged again (the impact shows them, approval refuses them).
   */
  assertWithinLimits(ctx: RoundContext, rows: readonly Pick<ChangeRow, 'itemCode' | 'level' | 'oldPriceFen' | 'newPriceFen'>[], quantity: QuantityOf): void {
    const problems = changeLimitProblems(
      rows.map((r) => ({ itemCode: r.itemCode, level: r.level, oldPriceFen: r.oldPriceFen, newPriceFen: r.newPriceFen, quantity: quantity(r.itemCode, r.level) })),
      ctx.params.changeCap ?? null,
    );
    if (problems.length) throw limitsExceeded(problems);
  }

  /**
   * Before an earlier version's rows are written again as the newest (a restore): the refusals of any write of those
   * rows — a stale version, a locked scenario, and the round's limits as they stand now (a cap lowered since that
   * version refuses it). Gives the scenario's head.
   */
  async guardRewrite(id: number, version: number, rows: readonly Pick<ChangeRow, 'itemCode' | 'level' | 'oldPriceFen' | 'newPriceFen'>[]): Promise<ScenarioHead> {
    const { scenario, round, ctx } = await this.headContext(id);
    const { quantity } = await this.oldPrices(round, ctx);
    this.guardWrite(scenario, round, ctx, version, rows, quantity);
    return scenario;
  }

  /**
   * Before a write of `rows`: a stale version (409) or a locked scenario (422) is refused as the write itself would
   * refuse it, so that those answers come first; then the limits of the rows (assertWithinLimits).
   */
  private guardWrite(
    s: Pick<ScenarioHead, 'id' | 'version' | 'status'>, round: Round, ctx: RoundContext, version: number,
    rows: readonly Pick<ChangeRow, 'itemCode' | 'level' | 'oldPriceFen' | 'newPriceFen'>[], quantity: QuantityOf,
  ): void {
    if (version !== s.version) this.refuse(s.id, version, { ok: false, reason: 'stale', currentVersion: s.version });
    if (scenarioLocked({ status: s.status, roundStatus: round.status, roundKind: round.kind })) {
      this.refuse(s.id, version, { ok: false, reason: 'locked', status: s.status, roundStatus: round.status, roundKind: round.kind });
    }
    this.assertWithinLimits(ctx, rows, quantity);
  }

  private async write(scenario: Scenario, version: number, rows: ChangeRow[], action: VersionAction, params: Record<string, unknown> = {}, note: WriteNote = {}): Promise<ScenarioWithChanges> {
    const r = await this.repo.replaceChanges(scenario.id, version, rows, action, params, undefined, undefined, note);
    if (!r.ok) this.refuse(scenario.id, version, r);
    return this.get(scenario.id);
  }

  /** The error of a refused write of a scenario's changes (404 SCENARIO.NOT_FOUND, 409 SCENARIO.STALE, 422 SCENARIO.LOCKED). */
  refuse(id: number, version: number, r: Exclude<ReplaceResult, { ok: true }>): never {
    if (r.reason === 'not-found') throw new NotFoundError('SCENARIO.NOT_FOUND', `调价方案 ${id} 不存在 (unknown scenario)`);
    if (r.reason === 'stale') {
      throw new ConflictError(
        'SCENARIO.STALE',
        `调价方案 ${id} 已被他人修改（当前版本 ${r.currentVersion}，提交的版本 ${version}），请刷新后重试；未保存任何更改 ` +
          `(the scenario changed meanwhile: version ${r.currentVersion}, yours ${version}; nothing was saved)`,
        { currentVersion: r.currentVersion, yourVersion: version },
      );
    }
    throw new AppError(
      'SCENARIO.LOCKED',
      `调价方案 ${id}（状态 ${r.status}）所在轮次状态为 ${r.roundStatus}${r.roundKind === 'historic' ? '（历史轮次）' : ''}，不能修改 (scenario is locked)`,
      422,
      { status: r.status, roundStatus: r.roundStatus, roundKind: r.roundKind },
    );
  }

  async putChanges(id: number, body: PutChanges): Promise<ScenarioWithChanges> {
    const { scenario, round, ctx } = await this.context(id);
    const { items, priceOf, quantity } = await this.oldPrices(round, ctx);
    const issues: FieldIssue[] = [];
    const rows = changeRows(body.changes, 'body.changes', round, ctx, items, priceOf, issues);
    if (issues.length) throw new ValidationError(issues, 'body');
    this.guardWrite(scenario, round, ctx, body.version, rows, quantity);
    return this.write(scenario, body.version, rows, 'manual', {}, { quantity });
  }

  /**
   * Sets and removes some changes (PATCH): a change of one cell writes one row, not the whole list. The answer is the
   * scenario's new version and counts, not its changes; the cached change list follows without a read.
   */
  async patchChanges(id: number, body: PatchChanges): Promise<PatchResult> {
    const { scenario, round, ctx, revision } = await this.headContext(id);
    const base = await this.cache.base(round.regionCode, ctx.priceDate, ctx.baseYear, ctx.params, revision);
    const issues: FieldIssue[] = [];
    const rows = changeRows(body.set, 'body.set', round, ctx, base.itemCodes, base.priceOf, issues);
    const setKeys = new Set(rows.map((r) => rowKey(r.itemCode, r.level)));
    body.remove.forEach((r, i) => {
      if (setKeys.has(rowKey(r.itemCode, r.level))) issues.push({ path: `body.remove.${i}`, message: `项目 ${r.itemCode} ${r.level}级 同时在 set 与 remove 中 (both set and removed)` });
    });
    if (issues.length) throw new ValidationError(issues, 'body');
    const quantity = quantityOf(base);
    this.guardWrite(scenario, round, ctx, body.version, rows, quantity);
    const r = await this.repo.patchChanges(id, body.version, rows, body.remove as { itemCode: string; level: HospitalLevel }[], { quantity });
    if (!r.ok) this.refuse(scenario.id, body.version, r);
    // the cached list at the version this patch was made on becomes the list of the new version
    const hit = this.changeLists.get(String(id));
    const prev = hit ? await hit.value.catch(() => null) : null;
    let changeCount: number | null = null;
    if (prev && prev.version === body.version) {
      const next = prev.changes.edit(rows, body.remove, shared);
      const removed = new Set(body.remove.map((x) => rowKey(x.itemCode, x.level)));
      const edits = new Map<string, RowChange | null>([...removed].map((k) => [k, null]));
      for (const x of rows) edits.set(rowKey(x.itemCode, x.level), { itemCode: x.itemCode, level: x.level, oldPriceFen: x.oldPriceFen, newPriceFen: x.newPriceFen, reason: x.reason });
      // one step of lineage only: the list before keeps no link to its own predecessor (else every version stays alive)
      this.edits.delete(prev.changes);
      this.edits.set(next, { from: prev.changes, edits });
      this.changeLists.set(String(id), { revision: null, value: Promise.resolve({ version: r.version, updatedAt: r.updatedAt, changes: next }) });
      changeCount = next.length;
    }
    return { id, version: r.version, updatedAt: r.updatedAt, set: rows.length, removed: r.removed ?? 0, changeCount };
  }


  async importFile(id: number, buffer: Buffer, fileName: string, version: number): Promise<ScenarioWithChanges & { import: Record<string, unknown> }> {
    const { scenario, round, ctx } = await this.context(id);
    // an xlsx that declares more than the limit is refused here, before a worker or a byte of inflating
    const unpacked = isZip(buffer) ? zipUnpackedBytes(buffer) : null;
    if (unpacked !== null && unpacked > IMPORT_LIMITS.unpackedBytes) {
      importRefused({ ok: false, reason: 'too-large', unpackedBytes: unpacked, limitBytes: IMPORT_LIMITS.unpackedBytes });
    }
    const { items, priceOf, quantity } = await this.oldPrices(round, ctx);
    const outcome = await this.importer.run({ buffer, fileName, lookup: { regionCode: round.regionCode, items, priceOf, priceDate: ctx.priceDate } });
    if (!outcome.ok) importRefused(outcome);
    const read = outcome.result;
    if (read.issueCount > 0) {
      const details = read.issues.map((i) => ({ path: placeOf(i), message: `${i.zh} (${i.en})` }));
      throw new AppError(
        'SCENARIO.IMPORT_INVALID',
        `调价项目表有 ${read.issueCount} 处问题，未导入任何数据 (the file has ${read.issueCount} problems; nothing was imported): ` +
          details.slice(0, 5).map((d) => `${d.path}: ${d.message}`).join('; '),
        400,
        details,
      );
    }
    if (read.changes.length === 0) {
      throw new AppError('SCENARIO.IMPORT_EMPTY', `调价项目表 ${fileName} 中没有价格变动 (no price change in the file)`, 400, [
        { path: fileName, message: '每一行的新价都等于现行价格 (every new price equals the price in force)' },
      ]);
    }
    // the same price changes as the scenario has (an exported 调价项目表 imported back): nothing to write, the scenario
    // stays as it is, reasons and sources included; a stale version or a locked scenario still goes the write's way
    if (version === scenario.version && !scenarioLocked({ status: scenario.status, roundStatus: round.status, roundKind: round.kind })) {
      const current = await this.get(id);
      const key = (c: { itemCode: string; level: number; oldPriceFen: number; newPriceFen: number }) => `${c.itemCode}|${c.level}|${c.oldPriceFen}|${c.newPriceFen}`;
      const had = new Set(current.changes.map(key));
      if (had.size === read.changes.length && read.changes.every((c) => had.has(key(c)))) {
        const summary = { fileName, rowsRead: read.rowsRead, changes: read.changes.length, unchangedPrices: read.unchangedPrices, written: false };
        return { ...current, import: summary };
      }
    }
    const rows: ChangeRow[] = read.changes.map((c) => ({
      itemCode: c.itemCode,
      level: c.level,
      oldPriceFen: c.oldPriceFen,
      newPriceFen: c.newPriceFen,
      reason: null,
      source: `${fileName}:${c.rowNo}`,
    }));
    this.guardWrite(scenario, round, ctx, version, rows, quantity);
    const summary = { fileName, rowsRead: read.rowsRead, changes: rows.length, unchangedPrices: read.unchangedPrices, written: true };
    const out = await this.write(scenario, version, rows, 'import', { import: summary }, { quantity });
    return { ...out, import: summary };
  }

  /** Base-year public volumes by `${item}|${level}`. */
  private async volumes(round: Round, ctx: RoundContext): Promise<Map<string, number>> {
    const v = await this.data.publicLevelVolumes(round.regionCode, ctx.baseYear);
    return new Map(v.map((x) => [`${x.itemCode}|${x.level}`, x.quantity]));
  }

  async scale(
    id: number,
    body: ScaleRequest,
  ): Promise<{ scenario: ScenarioWithChanges; scaling: Omit<ScalingResult, 'rows'> & { rows: unknown[]; basis: ScalingBasis } }> {
    const { scenario, round, ctx } = await this.context(id);
    const changes = await this.repo.changes(id);
    const scope: ScalingRequestScope = body.scope ?? 'changes';
    // the rows scaled: the scenario's changes, or every priced row of the round with the changes in place
    let rows: ChangeRow[];
    let quantities: number[];
    if (scope === 'schedule') {
      const base = await this.cache.base(round.regionCode, ctx.priceDate, ctx.baseYear, ctx.params, await this.cache.revision());
      const placed = placeChanges(base.rows, changes, this.cache.changeIndex(changes, base), base.makeRow);
      const byKey = new Map(changes.map((c) => [rowKey(c.itemCode, c.level), c]));
      rows = placed.rows.map((r) => {
        const c = byKey.get(rowKey(r.itemCode, r.level));
        return { itemCode: r.itemCode, level: r.level, oldPriceFen: r.oldPriceFen, newPriceFen: r.newPriceFen, reason: c?.reason ?? null, source: c?.source ?? null };
      });
      quantities = placed.rows.map((r) => r.quantity);
    } else {
      const q = await this.volumes(round, ctx);
      rows = changes.map((c) => ({ itemCode: c.itemCode, level: c.level as HospitalLevel, oldPriceFen: c.oldPriceFen, newPriceFen: c.newPriceFen, reason: c.reason, source: c.source }));
      quantities = rows.map((r) => q.get(rowKey(r.itemCode, r.level)) ?? 0);
    }
    const input = rows.map((r, i) => ({ oldPriceFen: r.oldPriceFen, newPriceFen: r.newPriceFen, quantity: quantities[i] }));
    const result = outOfRange('SCENARIO.SCALE_OUT_OF_RANGE', '缩放结果超出金额范围', 'body.targetFen', () =>
      scaleToTarget(input, body.targetFen, { scope: scope === 'schedule' ? 'prices' : scope }),
    );
    let baseRevenueFen = 0;
    let proposedRevenueFen = 0;
    for (const it of input) {
      baseRevenueFen += it.oldPriceFen * it.quantity;
      proposedRevenueFen += it.newPriceFen * it.quantity;
    }
    const basis: ScalingBasis = { scope, rowCount: input.length, baseRevenueFen, proposedRevenueFen, descriptionZh: SCALING_BASE_ZH[scope] };
    if (!['exact', 'not-divisible', 'search-limit'].includes(result.status)) {
      throw new AppError('SCENARIO.SCALE_IMPOSSIBLE', `${result.noteZh} (cannot scale: ${result.status}); 未保存任何更改`, 422, {
        status: result.status,
        factor: result.factor,
        proposedNetFen: result.proposedNetFen,
        targetFen: result.targetFen,
        basis,
      });
    }
    // every row whose price now differs from its price in force is a change (under 'schedule', unchanged items too)
    const out: ChangeRow[] = [];
    const volume = new Map<string, number>();
    rows.forEach((r, i) => {
      const newPriceFen = result.rows[i].newPriceFen;
      if (scope !== 'schedule' || newPriceFen !== r.oldPriceFen) {
        out.push({ ...r, newPriceFen, reason: r.reason ?? (scope === 'schedule' ? '费用表整体按预算中性系数调整' : null), source: r.source ?? (scope === 'schedule' ? 'scaling' : null) });
        volume.set(rowKey(r.itemCode, r.level), quantities[i]);
      }
    });
    const scaledQuantity: QuantityOf = (code, level) => volume.get(rowKey(code, level)) ?? 0;
    this.guardWrite(scenario, round, ctx, body.version, out, scaledQuantity);
    const { rows: scaled, ...rest } = result;
    const saved = await this.write(scenario, body.version, out, 'scale', {
      scaling: { targetFen: body.targetFen, scope, status: result.status, factor: result.factorFraction, achievedNetFen: result.achievedNetFen },
    }, { quantity: scaledQuantity });
    return {
      scenario: saved,
      scaling: {
        ...rest,
        basis,
        rows: scaled.map((r, i) => ({ itemCode: rows[i].itemCode, level: rows[i].level, ...r })),
      },
    };
  }

  async index(id: number, body: IndexRequest): Promise<{ scenario: ScenarioWithChanges; indexation: Record<string, unknown> }> {
    const { scenario, round, ctx } = await this.context(id);
    // one read after another: a request holds one pooled connection at a time
    const items = await this.data.regionItems(round.regionCode);
    const prices = await this.data.pricesInForce(round.regionCode, ctx.priceDate);
    const changes = await this.repo.changes(id);
    const q = await this.volumes(round, ctx);
    const categories = new Set(body.categories ?? DEFAULT_GENERAL_CATEGORIES);
    const only = body.itemCodes ? new Set(body.itemCodes) : null;
    const levels = new Set<number>(body.levels ?? [3, 2, 1]);
    const info = new Map(items.map((i) => [i.itemCode, i]));
    if (only) {
      const issues: FieldIssue[] = [];
      body.itemCodes!.forEach((c, i) => {
        if (!info.has(c)) issues.push({ path: `body.itemCodes.${i}`, message: `项目编码 ${c} 不在地区 ${round.regionCode} 的价格项目中 (unknown item)` });
      });
      if (issues.length) throw new ValidationError(issues, 'body');
    }
    const kindOf = (code: string): 'general' | 'complex' => {
      const it = info.get(code)!;
      if (it.kind) return it.kind;
      return it.categoryCode && categories.has(it.categoryCode) ? 'general' : 'complex';
    };
    const targets = prices.filter((p) => info.has(p.itemCode) && levels.has(p.level) && (!only || only.has(p.itemCode)));
    const result = outOfRange('SCENARIO.INDEX_OUT_OF_RANGE', '联动后的价格或净调价金额超出金额范围', 'body.growth', () =>
      indexGeneralPrices(
        targets.map((p) => ({ itemCode: p.itemCode, level: p.level, kind: kindOf(p.itemCode), oldPriceFen: p.priceFen, quantity: q.get(`${p.itemCode}|${p.level}`) ?? 0 })),
        { growth: body.growth, roundToFen: body.roundToFen },
      ),
    );
    const merged = new Map<string, ChangeRow>(
      changes.map((c) => [
        `${c.itemCode}|${c.level}`,
        { itemCode: c.itemCode, level: c.level as HospitalLevel, oldPriceFen: c.oldPriceFen, newPriceFen: c.newPriceFen, reason: c.reason, source: c.source },
      ]),
    );
    let changed = 0;
    const indexed: ChangeRow[] = [];
    for (const it of result.items) {
      if (!it.indexed || it.deltaFen === 0) continue;
      changed++;
      merged.set(`${it.itemCode}|${it.level}`, {
        itemCode: it.itemCode,
        level: it.level,
        oldPriceFen: it.oldPriceFen,
        newPriceFen: it.newPriceFen,
        reason: `通用型联动 ${R.percentText(Number(result.growthText), 4)}`,
        source: 'indexation',
      });
      indexed.push(merged.get(`${it.itemCode}|${it.level}`)!);
    }
    this.guardWrite(scenario, round, ctx, body.version, indexed, (code, level) => q.get(`${code}|${level}`) ?? 0);
    const indexation = {
      growth: result.growth,
      growthText: result.growthText,
      roundToFen: body.roundToFen ?? 1,
      categories: [...categories],
      indexedCount: result.indexedCount,
      changedCount: changed,
      netFen: result.netFen,
      noteZh: result.noteZh,
    };
    const saved = await this.write(scenario, body.version, [...merged.values()], 'index', { indexation }, { quantity: (code, level) => q.get(`${code}|${level}`) ?? 0 });
    return { scenario: saved, indexation };
  }
}


/** A row's base-year volume by item and level (0 when none). */
export type QuantityOf = (itemCode: string, level: number) => number;

function quantityOf(base: { rows: readonly { quantity: number }[]; rowIndex: ReadonlyMap<string, number> }): QuantityOf {
  return (itemCode, level) => {
    const i = base.rowIndex.get(rowKey(itemCode, level));
    return i === undefined ? 0 : base.rows[i].quantity;
  };
}

/** The refusal of a write whose rows break the round's limits (nothing was written). */
function limitsExceeded(problems: readonly LimitProblem[]): AppError {
  return new AppError(
    'SCENARIO.LIMIT_EXCEEDED',
    `调价方案的价格超出本轮次的限制，未保存任何更改：${problems.map((p) => p.messageZh).join('')} ` +
      `(prices break the round's limits: ${problems.map((p) => `${p.code} × ${p.count}`).join(', ')}; nothing was saved)`,
    422,
    { checks: problems },
  );
}

const MB = 1024 * 1024;

/** The error of an upload refused for a limit (413, nothing read into the scenario). */
function importRefused(o: Exclude<UploadOutcome, { ok: true }>): never {
  if (o.reason === 'too-large') {
    const size = (o.unpackedBytes / MB).toFixed(1);
    const limit = o.limitBytes / MB;
    throw new AppError(
      'SCENARIO.IMPORT_TOO_LARGE',
      `xlsx 文件解压后为 ${size} MB，超过上限 ${limit} MB，未导入任何数据 (the workbook unpacks to ${size} MB, over the limit of ${limit} MB; nothing was imported)`,
      413,
      { unpackedBytes: o.unpackedBytes, limitBytes: o.limitBytes },
    );
  }
  throw new AppError(
    'SCENARIO.IMPORT_TOO_MANY_ROWS',
    `调价项目表超过 ${o.limitRows} 行数据，未导入任何数据 (the file has more than ${o.limitRows} data rows; nothing was imported)`,
    413,
    { limitRows: o.limitRows },
  );
}

/**
 * Runs a computation of the pricing engine on request values; a RangeError (a price, sum or factor past the exact
 * integer range, e.g. twenty years of 500% growth) becomes a 422 with `code`, naming the request field it came from.
 */
function outOfRange<T>(code: string, zh: string, field: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new AppError(code, `${zh}，未保存任何更改 (${e.message}; nothing was saved)`, 422, [{ path: field, message: `${zh} (${e.message})` }]);
  }
}

/**
 * Validated change rows of a request: each item must be one of the region's service items priced at its level on
 * the price date, once; the new price is given, or a percent of the old price (priceAfterPercent). Problems are
 * pushed to `issues` with their path (`at`.N.field).
 */
function changeRows(
  changes: readonly ChangeInput[], at: string, round: Round, ctx: RoundContext,
  items: ReadonlySet<string>, priceOf: ReadonlyMap<string, number>, issues: FieldIssue[],
): ChangeRow[] {
  const rows: ChangeRow[] = [];
  const seen = new Map<string, number>();
  changes.forEach((c, i) => {
    const p = `${at}.${i}`;
    const key = `${c.itemCode}|${c.level}`;
    if (!items.has(c.itemCode)) {
      issues.push({ path: `${p}.itemCode`, message: `项目编码 ${c.itemCode} 不在地区 ${round.regionCode} 的价格项目中 (unknown item)` });
      return;
    }
    const old = priceOf.get(key);
    if (old === undefined) {
      issues.push({
        path: `${p}.level`,
        message: `项目 ${c.itemCode} 在${c.level}级医疗机构没有现行价格（${ctx.priceDate}）(no price in force at level ${c.level})`,
      });
      return;
    }
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push({ path: p, message: `项目 ${c.itemCode} ${c.level}级 重复（与 ${at.replace(/^body\./, '')}.${first} 相同）(duplicate item and level)` });
      return;
    }
    seen.set(key, i);
    const newPriceFen = c.newPriceFen ?? priceAfterPercent(old, c.pctChange!);
    rows.push({ itemCode: c.itemCode, level: c.level as HospitalLevel, oldPriceFen: old, newPriceFen, reason: c.reason ?? null, source: 'manual' });
  });
  return rows;
}
