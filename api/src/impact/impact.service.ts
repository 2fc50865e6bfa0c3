import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AppError } from '../common/errors';
import {
  analyzeImpact,
  ChangeList,
  changeLimitProblems,
  entryRowsAfter,
  impactColumns,
  mergeImpactGroups,
  placeChanges,
  placeColumns,
  placedRows,
  replaceColumns,
  rowFundFen,
  rowGroups,
  rowOrder,
  serviceRevenueShare as serviceRevenueShareChange,
  summarizeImpactByIndex,
  withPrices,
  type ImpactGroup,
  type ImpactParams,
  type ImpactRow,
  type PlacedChanges,
  type PlacedColumns,
  type RowChange,
  type RowGroups,
} from '../domain/pricing';
import { FUND_SHARE_RULE_ZH } from '../domain/pricing/fund-share';
import { positionAt, positionColumns, summarizePositions, topByValue, type PositionColumns } from '../domain/pricing/position';
import { percentTextToRate } from '../domain/rational';
import type { RoundContext } from '../domain/rounds/context';
import { RevisionCache } from '../facts/revision-cache';
import { BaseDataCache, baseColumns, peersByRow, type HospitalFacts, type RegionBase } from '../facts/region-facts.cache';
import { RoundsService, type ApprovalCheckResult } from '../rounds/rounds.service';
import { RoundTotalService } from '../rounds/total.service';
import type { Round } from '../rounds/rounds.schemas';
import type { ScenarioHead } from '../scenarios/scenarios.schemas';
import { ScenariosService } from '../scenarios/scenarios.service';
import { factsToArrow } from './facts.arrow';
import type { HospitalImpact, ImpactItemRow, ImpactResponse, ServiceShareImpact } from './impact.schemas';

/**
 * Impact of a scenario (DOMAIN.md §4 identities, §7 step 5) from the loaded facts.
 *
 * Rows: every service item priced at the round's price date, at each level it is priced at, plus the scenario's
 * changes (a changed row takes the change's stored old and new price; an unchanged row keeps the price in force).
 * Q is the base-year volume of the public hospitals at that level (volume_annual_level; 0 when none), the fund share
 * follows round-context.ts (reimbursement_rate, else level share × payment-class factor), the unit cost is the
 * region's average cost of the base year (the closest year when that one is missing) and the labour share is
 * region_item.labour_share, else labour cost ÷ unit cost. analyzeImpact gives the totals, identities and checks.
 *
 * By hospital: the same rows at each public hospital's own base-year volumes and level; the hospitals' figures add up
 * to the scenario's when the institution volumes and the level rollup agree.
 *
 * 医疗服务收入占比 before/after: the share s₀ is the indicator service_revenue_share of the base year. Its
 * numerator, service revenue without 检查 and 化验, is taken to be S₀ = Σ P⁰·Q of the rows outside the exam and lab
 * categories, so medical revenue is M₀ = S₀ ÷ s₀; at fixed volumes and with drugs and consumables unchanged, after the
 * scenario s₁ = (S₀ + ΔS) ÷ (M₀ + ΔS + ΔE), ΔS and ΔE the net changes of the service and the exam/lab rows.
 *
 * Cross-region position of a row: the prices in force on the same date for the same item code and level in every
 * other region; the percentile rank of a price p among those n prices is 100 × (#below + ½ #equal) ÷ n. The summary
 * gives the changed rows in percentile bands and the POSITIONS_LISTED rows ranked highest after the change; every
 * changed row's position is in the item table (items()).
 *
 * Where the time goes: the facts come from BaseDataCache (read once per data revision); a request reads the
 * scenario, its round and the data revision, and computes the rest in memory.
 */

/** Changed rows listed with their position in the impact summary (the highest new percentile ranks first). */
export const POSITIONS_LISTED = 50;


export type { ImpactRow } from '../domain/pricing';
export type { PricePosition } from '../domain/pricing/position';

export type { HospitalImpact, ImpactItemRow, ImpactResponse, ServiceShareImpact } from './impact.schemas';

/** What an impact request adds to the summary: the by-hospital figures, the cross-region positions. */
export interface ImpactInclude {
  hospitals?: boolean;
  positions?: boolean;
}

interface Built {
  scenario: ScenarioHead;
  round: Round;
  ctx: RoundContext;
  base: RegionBase;
  revision: number;
  /** rows in item-code and level order: base.rows with the changes in place, unless `extra` (built on first use) */
  readonly rows: ImpactRow[];
  /** whether a change added a row (a level not priced on the price date): then rows are not aligned with base.rows */
  extra: boolean;
  /** indexes of the changed rows, ascending */
  changed: Int32Array;
  /** the placement with `extra` (a row outside the base): rows and their index */
  full: PlacedChanges | null;
  aligned: RowGroups;
}

/**
 * How a change list is placed on a base. Kept while the list is cached (an open scenario), so in columns (change-list.ts):
 * the changed rows' objects are built for a computation and dropped after it, not kept for every open scenario —
 * a hundred scenarios of 10,000 changes kept as row objects were ~200 MB that every full garbage collection walked.
 * A change at a level not priced on the price date (a row outside the base, rare) keeps the whole placement.
 */
type Placement = { compact: PlacedColumns; full: null } | { compact: null; full: PlacedChanges };

/**
 * The answer for a stored scenario whose figures the impact cannot compute exactly (a price or a sum beyond the exact
 * integer range: data written around the API's limits). 422, not 500: the scenario is there, its data is not usable.
 */
function outOfRange(id: number, e: RangeError): AppError {
  return new AppError(
    'SCENARIO.DATA_OUT_OF_RANGE',
    `调价方案 ${id} 已保存的价格超出可精确计算的范围，无法测算影响；请修改或删除超出范围的调价项目 ` +
      `(the stored changes of scenario ${id} are beyond the exact range: ${e.message})`,
    422,
    { scenarioId: id, reason: e.message },
  );
}

/** Runs `f`, answering a RangeError of the domain's exact arithmetic as SCENARIO.DATA_OUT_OF_RANGE. */
async function measured<T>(id: number, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw e instanceof RangeError ? outOfRange(id, e) : e;
  }
}

@Injectable()
export class ImpactService implements OnModuleInit {
  constructor(
    private readonly scenarios: ScenariosService,
    private readonly cache: BaseDataCache,
    private readonly totals: RoundTotalService,
    private readonly rounds: RoundsService,
  ) {}

  /** Approving a scenario (RoundsService.changeStatus) re-checks it here: the rounds module does not depend on this one. */
  onModuleInit(): void {
    this.rounds.useApprovalCheck((scenarioId) => this.approvalChecks(scenarioId));
  }

  /**
   * What stands in the way of approving a scenario, on its stored changes now: the limits of every change (price
   * bound, exact range; changeLimitProblems) and every check of severity error of its impact (SCENARIO.OVER_BUDGET,
   * SCENARIO.ITEM_OVER_CAP, SCENARIO.ITEM_SHARE_UNDER_FLOOR). Nothing: it may be approved, at `scenarioVersion`.
   */
  async approvalChecks(scenarioId: number): Promise<ApprovalCheckResult> {
    const b = await this.build(scenarioId);
    const limits = changeLimitProblems(Array.from(b.changed, (i) => b.rows[i]), b.ctx.params.changeCap ?? null);
    // out of range: the impact cannot be computed; the cap is the impact's own check otherwise
    if (limits.some((p) => p.code !== 'SCENARIO.ITEM_OVER_CAP')) return { scenarioVersion: b.scenario.version, problems: limits };
    let summary: ImpactResponse['summary'];
    try {
      summary = (await this.impact(scenarioId)).summary;
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'SCENARIO.DATA_OUT_OF_RANGE')) throw e;
      return { scenarioVersion: b.scenario.version, problems: [{ code: e.code, severity: 'error', messageZh: e.message }] };
    }
    const problems = summary.checks
      .filter((c) => c.severity === 'error')
      .map((c) => ({ code: c.code, severity: 'error' as const, messageZh: c.messageZh, ...(c.items ? { count: c.items.length, items: c.items.slice(0, 10) } : {}) }));
    return { scenarioVersion: b.scenario.version, problems };
  }

  /**
   * Impact responses by scenario and what they include, while the scenario, its round and the data stay: room for
   * every scenario a few hundred users have open (a summary is ~10 KB). Fewer slots than open scenarios make every
   * request a recomputation (measured: 64 slots, 100 users, each request seconds).
   */
  private readonly responses = new RevisionCache<{ revision: string; response: ImpactResponse }>(512);

  /**
   * The scenario's rows. `revision` is read with the scenario (one statement); the facts are read at most once per
   * data revision, the change list once per scenario version. Reads run one after another: a request holds one
   * pooled connection at a time. `list`: another change list of the scenario than its saved one (a stored version).
   */
  private async build(id: number, head?: Awaited<ReturnType<ScenariosService['headContext']>>, list?: readonly RowChange[]): Promise<Built> {
    const { scenario, round, ctx, revision } = head ?? (await this.scenarios.headContext(id));
    const base = await this.cache.base(round.regionCode, ctx.priceDate, ctx.baseYear, ctx.params, revision);
    const changes = list ? ChangeList.of(list) : await this.scenarios.cachedChanges(scenario);
    const { compact, full } = this.place(changes, base);
    const extra = full?.extra ?? false;
    const aligned = extra ? rowGroups(full!.rows) : base.aligned;
    let rows: ImpactRow[] | null = full?.rows ?? null;
    return {
      scenario, round, ctx, base, revision, extra, full, aligned,
      changed: compact ? compact.changed : full!.changed,
      get rows() {
        return (rows ??= placedRows(base.rows, compact!));
      },
    };
  }

  /** Placements of change lists on a base: an edited list is placed from its predecessor's placement. */
  private readonly placements = new WeakMap<ChangeList, { base: RegionBase; placement: Placement }>();

  private place(changes: ChangeList, base: RegionBase): Placement {
    const hit = this.placements.get(changes);
    if (hit?.base === base) return hit.placement;
    const edit = this.scenarios.editOf(changes);
    const prev = edit && this.placements.get(edit.from);
    const fromPrev = prev?.base === base && prev.placement.compact ? replaceColumns(prev.placement.compact, base.rowIndex, edit!.edits) : null;
    const at = fromPrev ? null : this.cache.changeIndex(changes, base);
    const compact = fromPrev ?? placeColumns(changes, at!);
    const placement: Placement = compact ? { compact, full: null } : { compact: null, full: placeChanges(base.rows, changes.toArray(), at!, base.makeRow) };
    this.placements.set(changes, { base, placement });
    this.scenarios.forgetEdit(changes);
    return placement;
  }

  /** The public hospitals' volumes for b's rows (read again with the base when the data moved meanwhile). */
  private async hospitals(b: Built): Promise<{ b: Built; facts: HospitalFacts; entryRow: Int32Array }> {
    for (let attempt = 0; ; attempt++) {
      const facts = await this.cache.hospitals(b.base);
      if (facts.revision === b.base.revision || attempt >= 2) {
        return { b, facts, entryRow: b.full ? entryRowsAfter(b.full, b.base.rows, facts.entryRow, facts.entryKey) : facts.entryRow };
      }
      b = await this.build(b.scenario.id);
    }
  }

  /** Cross-region positions of rows[idx[k]], as columns. */
  private async positions(b: Built, idx: ArrayLike<number>): Promise<PositionColumns> {
    const peers = await this.cache.peerPrices(b.round.regionCode, b.ctx.priceDate, b.revision);
    const lists = b.extra ? null : peersByRow(b.base, peers);
    const picked: (Float64Array | undefined)[] = new Array(idx.length);
    const oldFen = new Float64Array(idx.length);
    const newFen = new Float64Array(idx.length);
    for (let k = 0; k < idx.length; k++) {
      const r = b.rows[idx[k]];
      picked[k] = lists ? lists[idx[k]] : peers.prices.get(`${r.itemCode}|${r.level}`);
      oldFen[k] = r.oldPriceFen;
      newFen[k] = r.newPriceFen;
    }
    return positionColumns(picked, oldFen, newFen);
  }

  /**
   * The impact summary of a scenario; by-hospital figures and cross-region positions when asked for (each needs a
   * large read the first time per data revision). A response is kept while the scenario's version, its round's and
   * the data revision stay, so repeated requests (many users on one dashboard) cost one small query each.
   */
  impact(id: number, include: ImpactInclude = {}): Promise<ImpactResponse> {
    return measured(id, () => this.impactOf(id, include));
  }

  private async impactOf(id: number, include: ImpactInclude): Promise<ImpactResponse> {
    const head = await this.scenarios.headContext(id);
    const { scenario, round, revision } = head;
    const what = `${include.hospitals ? 'h' : ''}${include.positions ? 'p' : ''}`;
    const key = `${scenario.version}|${scenario.updatedAt}|${round.version}|${round.updatedAt}|${revision}`;
    const kept = await this.responses.get(`${id}|${what}`, key, () => this.compute(id, head, include).then((response) => ({ revision: key, response })));
    return kept.response;
  }

  /**
   * The impact summary of one stored version of a scenario (`rows`: its change list, read only when the answer is not
   * kept): the computation of impact() on that list. A version never changes, so an answer is kept while the round
   * and the data revision stay.
   */
  async versionImpact(head: Awaited<ReturnType<ScenariosService['headContext']>>, version: number, rows: () => Promise<readonly RowChange[]>): Promise<ImpactResponse> {
    const { scenario, round, revision } = head;
    const key = `${round.version}|${round.updatedAt}|${revision}`;
    const kept = await this.responses.get(`${scenario.id}|v${version}`, key, async () => {
      const response = await this.compute(scenario.id, head, {}, await rows());
      return { revision: key, response: { ...response, scenario: { ...response.scenario, version } } };
    });
    return kept.response;
  }

  private async compute(id: number, head: Awaited<ReturnType<ScenariosService['headContext']>>, include: ImpactInclude, list?: readonly RowChange[]): Promise<ImpactResponse> {
    let b = await this.build(id, head, list);
    let hospitalPart: { facts: HospitalFacts; entryRow: Int32Array } | null = null;
    if (include.hospitals) {
      const h = await this.hospitals(b);
      b = h.b;
      hospitalPart = h;
    }
    const { round, ctx, rows, scenario, base, changed, aligned } = b;
    const p = ctx.params;
    const warnings: string[] = [];
    const total = await this.totals.effectiveTotal(round);
    const changedRows = Array.from(changed, (i) => rows[i]);
    if (total.totalFen === null) warnings.push(`没有可用的调价总量，未检查净调价金额是否超出总量：${total.note ?? ''}`);
    const params: ImpactParams = {
      catalogueItemCount: aligned.itemCount,
      changeCap: p.changeCap ?? null,
      itemShareFloor: p.itemShareFloor ?? 0,
      labourRuleShare: p.labourRuleShare,
      labourItemThreshold: p.labourItemThreshold,
    };
    const summary = analyzeImpact(rows, total.totalFen, params);
    if (p.changeCap === undefined) warnings.push('轮次未设定调价幅度上限，未检查单项变动幅度。');
    if (changedRows.length && changedRows.every((r) => r.quantity === 0)) warnings.push(`基期 ${ctx.baseYear} 年没有调价项目的服务量，金额均为 0。`);

    // the rows as columns once for every grouping: the base's columns with the changed prices in place
    const cols = b.extra ? impactColumns(rows) : withPrices(baseColumns(base), rows, changed);
    // by hospital, at each public hospital's own volumes; hospital types are sums of their hospitals
    let byHospital: HospitalImpact[] | undefined;
    let byHospitalType: ImpactGroup[] | undefined;
    if (hospitalPart) {
      const { facts, entryRow } = hospitalPart;
      const hospital = new Map(facts.hospitals.map((h) => [h.code, h]));
      const hospitalGroups = summarizeImpactByIndex(
        cols, { row: entryRow, quantity: facts.entryQuantity, group: facts.entryHospital }, facts.hospitals.map((h) => h.code), (k) => hospital.get(k)!.name,
      );
      byHospital = hospitalGroups
        .map((g) => ({ ...g, level: hospital.get(g.key)!.level, type: hospital.get(g.key)!.type }))
        .sort((a, b2) => b2.level - a.level || (a.key < b2.key ? -1 : 1));
      byHospitalType = mergeImpactGroups(hospitalGroups, (g) => hospital.get(g.key)!.type ?? '未分类');
    }
    const byPaymentClass = summarizeImpactByIndex(cols, { row: aligned.identity, quantity: aligned.quantity, group: aligned.paymentClass }, aligned.paymentClassKeys);

    // 医疗服务收入占比
    let serviceRevenueShare: ServiceShareImpact | null = null;
    const ind = base.serviceShare;
    if (ind) {
      const share = serviceRevenueShareChange(cols, aligned.quantity, aligned.examLab, changed, percentTextToRate(ind.value));
      if (share) {
        serviceRevenueShare = {
          indicator: ind,
          ...share,
          methodZh:
            `基期医疗服务收入占比 ${ind.value}%（${ind.period}，${ind.source}）；以基期公立医疗机构检查化验以外的医疗服务项目收入为分子推算医疗收入，` +
            '服务量不变、药品耗材收入不变，调价后占比 = (服务收入 + 服务项目净调价) ÷ (医疗收入 + 全部净调价)。',
        };
      }
    } else {
      warnings.push(`地区 ${round.regionCode} 没有 ${ctx.baseYear} 年的医疗服务收入占比指标，未测算调价前后占比。`);
    }

    // cross-region positions: the summary in bands, and the rows ranked highest after the change
    let positionPart: Partial<Pick<ImpactResponse, 'positionSummary' | 'positions'>> = {};
    if (include.positions) {
      const pos = await this.positions(b, changed);
      positionPart = {
        positionSummary: summarizePositions(changedRows, pos),
        positions: topByValue(pos.percentileNew, POSITIONS_LISTED).map((k) => {
          const r = changedRows[k];
          return { itemCode: r.itemCode, name: r.name, level: r.level, oldPriceFen: r.oldPriceFen, newPriceFen: r.newPriceFen, ...positionAt(pos, k) };
        }),
      };
    }
    let fundShareSources: Record<string, number> = { ...base.fundShareSources };
    if (b.extra) {
      fundShareSources = {};
      for (const r of rows) fundShareSources[r.fundShareSource] = (fundShareSources[r.fundShareSource] ?? 0) + 1;
    }
    return {
      scenario: {
        id: scenario.id,
        name: scenario.name,
        method: scenario.method,
        status: scenario.status,
        version: scenario.version,
        roundId: scenario.roundId,
        regionCode: scenario.regionCode,
      },
      round: { id: round.id, name: round.name, year: round.year, kind: round.kind, status: round.status, regionName: round.regionName },
      baseYear: ctx.baseYear,
      priceDate: ctx.priceDate,
      total,
      paramsUsed: {
        changeCap: p.changeCap ?? null,
        itemShareFloor: params.itemShareFloor,
        labourRuleShare: summary.labour.ruleShare,
        labourItemThreshold: summary.labour.threshold,
        fundShareRuleZh: FUND_SHARE_RULE_ZH,
        fundShareSources,
      },
      summary,
      ...(byHospital ? { byHospital, byHospitalType } : {}),
      byPaymentClass,
      serviceRevenueShare,
      ...positionPart,
      included: { hospitals: !!include.hospitals, positions: !!include.positions },
      warnings,
    };
  }

  /**
   * The round's base facts for the browser's own recompute (the scenario editor): every priced row, unchanged, plus
   * rows for the saved changes at unpriced levels, with the total, parameters and indicator the impact uses.
   */
  /** Encoded facts streams per cached base (see facts()); dropped with the base when the data revision moves. */
  private readonly encodedFacts = new WeakMap<RegionBase, Map<string, Uint8Array>>();

  facts(id: number): Promise<Uint8Array> {
    return measured(id, () => this.factsOf(id));
  }

  private async factsOf(id: number): Promise<Uint8Array> {
    const b = await this.build(id);
    const { round, ctx, base } = b;
    const p = ctx.params;
    const total = await this.totals.effectiveTotal(round);
    // the saved changes' rows at levels not priced on the price date, as the server builds them, prices unchanged
    const extraRows = b.extra ? b.rows.filter((r) => !base.rowIndex.has(`${r.itemCode}|${r.level}`)).map((r) => ({ ...r, newPriceFen: r.oldPriceFen, changed: false, reason: null })) : [];
    const rows = extraRows.length ? [...base.rows, ...extraRows].sort(rowOrder) : base.rows;
    const extraKeys = new Set(extraRows.map((r) => `${r.itemCode}|${r.level}`));
    const ind = base.serviceShare;
    const meta = {
      roundId: round.id,
      regionCode: round.regionCode,
      priceDate: ctx.priceDate,
      baseYear: ctx.baseYear,
      revision: b.revision,
      total,
      params: { changeCap: p.changeCap ?? null, itemShareFloor: p.itemShareFloor ?? 0, labourRuleShare: p.labourRuleShare, labourItemThreshold: p.labourItemThreshold },
      serviceShare: ind ? { value: ind.value, period: ind.period, source: ind.source } : null,
      extraCount: extraRows.length,
    };
    // the encoded stream depends only on the base, the round's figures and the extra rows: kept with the base
    const key = `${JSON.stringify(meta)}|${[...extraKeys].join(',')}`;
    let byMeta = this.encodedFacts.get(base);
    if (!byMeta) this.encodedFacts.set(base, (byMeta = new Map()));
    let bytes = byMeta.get(key);
    if (!bytes) {
      bytes = factsToArrow(rows, rows.map((r) => extraKeys.has(`${r.itemCode}|${r.level}`)), (code) => base.itemKind.get(code) ?? null, meta);
      if (byMeta.size >= 8) byMeta.delete(byMeta.keys().next().value as string);
      byMeta.set(key, bytes);
    }
    return bytes;
  }

  /** The per-row table: the changed rows, or every row with `all`. */
  items(id: number, all: boolean): Promise<ImpactItemRow[]> {
    return measured(id, () => this.itemsOf(id, all));
  }

  private async itemsOf(id: number, all: boolean): Promise<ImpactItemRow[]> {
    const b = await this.build(id);
    const idx = all ? b.aligned.identity : b.changed;
    const pos = await this.positions(b, idx);
    return Array.from(idx, (ri, i) => {
      const r = b.rows[ri];
      const d = r.newPriceFen - r.oldPriceFen;
      const fund = rowFundFen(r);
      const ps = positionAt(pos, i);
      const c = r.unitCostFen ?? null;
      return {
        itemCode: r.itemCode,
        name: r.name,
        unit: r.unit,
        categoryCode: r.categoryCode,
        family: r.family,
        paymentClass: r.paymentClass,
        level: r.level,
        changed: r.changed,
        oldPriceFen: r.oldPriceFen,
        newPriceFen: r.newPriceFen,
        deltaFen: d,
        changeRate: r.oldPriceFen > 0 ? d / r.oldPriceFen : null,
        quantity: r.quantity,
        deltaRevenueFen: d * r.quantity,
        fundShare: r.fundShare,
        fundFen: fund,
        outOfPocketFen: d * r.quantity - fund,
        unitCostFen: c,
        recoveryBefore: c && c > 0 ? r.oldPriceFen / c : null,
        recoveryAfter: c && c > 0 ? r.newPriceFen / c : null,
        labourShare: r.labourShare ?? null,
        labourShareSource: r.labourShareSource ?? 'category',
        otherRegionCount: ps.regionCount,
        otherMinFen: ps.minFen,
        otherMedianFen: ps.medianFen,
        otherMaxFen: ps.maxFen,
        percentileOld: ps.percentileOld,
        percentileNew: ps.percentileNew,
      };
    });
  }
}
