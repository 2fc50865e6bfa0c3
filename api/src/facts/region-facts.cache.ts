import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChangeList, FAMILY_OF, impactColumns, rowGroups, rowKey, rowOrder, type ChangeKey, type ImpactColumns, type ImpactRow, type RowGroups } from '../domain/pricing';
import { FundShares } from '../domain/pricing/fund-share';
import type { CategoryFamily, HospitalLevel } from '../domain/reference';
import type { StoredParams } from '../domain/rounds/params';
import { RevisionCache } from './revision-cache';
import { SLICE_ENTRIES, yieldToLoop } from '../common/yield';
import { PricingDataRepository, type CostRow, type IndicatorRow, type InstitutionRow, type InstitutionVolumeRow, type RegionItemRow } from './pricing-data.repository';

/**
 * The facts a scenario's impact is computed from, kept in memory per (region, price date, base year, fund-share
 * settings), so that an impact request reads only the scenario and the data revision from the database and computes
 * everything else here, in the domain functions.
 *
 * Current or not: every entry carries the data revision (PricingDataRepository.dataRevision, a count of the
 * transactions that wrote a watched fact table) read in the same REPEATABLE READ snapshot as its facts. A request
 * reads the revision first and rebuilds an entry whose revision differs, so an entry never outlives a load, a removal
 * or an implemented round by more than the request that notices it. Concurrent requests for a missing entry share one
 * build. Entries are evicted least-recently-used (a handful per process: a region's national-scale entry holds a few
 * tens of MB).
 */

export type { ImpactRow, RowGroups } from '../domain/pricing';

export interface RegionBase {
  key: string;
  revision: number;
  region: string;
  priceDate: string;
  baseYear: number;
  /** The region's service items (group rows left out). */
  itemCodes: ReadonlySet<string>;
  /** 通用型 / 复杂型 of each item when recorded (region_item.kind, else the catalogue's). */
  itemKind: ReadonlyMap<string, 'general' | 'complex' | null>;
  /** One row per item and level priced on the price date, unchanged, sorted by item code and level (3 → 1). */
  rows: readonly ImpactRow[];
  /** `${itemCode}|${level}` → the price in force on the price date */
  priceOf: ReadonlyMap<string, number>;
  /** `${itemCode}|${level}` → index in rows */
  rowIndex: ReadonlyMap<string, number>;
  /** Base-year volume of the public hospitals by `${itemCode}|${level}` (also for levels without a price). */
  levelQuantity: ReadonlyMap<string, number>;
  /** Builds a row of any item and level (for a change at a level not priced on the price date). */
  makeRow(itemCode: string, level: HospitalLevel, oldFen: number, newFen: number, changed: boolean, reason: string | null): ImpactRow;
  serviceShare: IndicatorRow | null;
  /** Per row: 1 when its category is an exam or lab one (outside 医疗服务收入), and its payment-class group. */
  aligned: RowGroups;
  /** How many rows took their fund share from each source. */
  fundShareSources: Readonly<Record<string, number>>;
  /** The other regions' prices of each row, once per PeerPrices (see peersByRow). */
  peerRows?: { peers: PeerPrices; lists: readonly (Float64Array | undefined)[] };
  /** rows as validated columns, once (see baseColumns) */
  columns?: ImpactColumns;
}

/**
 * Each public hospital's base-year volumes as entries, aligned with a base's rows: entry e is institution
 * hospitals[entryHospital[e]], volume entryQuantity[e] of the row entryRow[e] (its item at the hospital's level; −1
 * when that is not priced, then entryKey[e] names it). Read only when a by-hospital figure is asked for: at national
 * scale a region's institution volumes are about a million rows, read from the volume partitions in seconds.
 */
export interface HospitalFacts {
  key: string;
  revision: number;
  /** The public institutions, level 3 → 1 then code. */
  hospitals: readonly InstitutionRow[];
  entryHospital: Int32Array;
  entryRow: Int32Array;
  entryQuantity: Float64Array;
  entryKey: readonly (string | undefined)[];
}

/** The peers' price lists aligned with the base rows (computed once per base and PeerPrices). */
export function peersByRow(base: RegionBase, peers: PeerPrices): readonly (Float64Array | undefined)[] {
  if (base.peerRows?.peers !== peers) base.peerRows = { peers, lists: base.rows.map((r) => peers.prices.get(`${r.itemCode}|${r.level}`)) };
  return base.peerRows.lists;
}

/** The unchanged rows as validated columns, built on first use and kept with the base. */
export function baseColumns(base: RegionBase): ImpactColumns {
  return (base.columns ??= impactColumns(base.rows));
}

/** The other regions' prices in force per `${itemCode}|${level}` of a region's items, ascending. */
export interface PeerPrices {
  key: string;
  revision: number;
  prices: ReadonlyMap<string, Float64Array>;
}

export type { ChangeKey } from '../domain/pricing';

@Injectable()
export class BaseDataCache {
  private readonly bases = new RevisionCache<RegionBase>(6);
  private readonly peers = new RevisionCache<PeerPrices>(6);
  private readonly hospitalFacts = new RevisionCache<HospitalFacts>(4);
  private readonly changeRows = new WeakMap<ChangeList | readonly ChangeKey[], WeakMap<RegionBase, Int32Array>>();

  constructor(
    private readonly ds: DataSource,
    private readonly data: PricingDataRepository,
  ) {}

  /** The current data revision (one cheap query). */
  revision(): Promise<number> {
    return this.data.dataRevision();
  }

  /** Drops every entry (tests; after a restore). */
  clear(): void {
    this.bases.clear();
    this.peers.clear();
    this.hospitalFacts.clear();
  }

  /** The facts of a region at a price date and base year, current as of `revision`. */
  base(region: string, priceDate: string, baseYear: number, params: Pick<StoredParams, 'fundShareByLevel'>, revision: number): Promise<RegionBase> {
    const key = `${region}|${priceDate}|${baseYear}|${JSON.stringify(params.fundShareByLevel ?? null)}`;
    return this.bases.get(key, revision, async () => {
      // the reads in one snapshot, one after another on its connection; the rows built after it went back to the pool
      const read = await this.snapshot(async (d, rev) => ({
        revision: rev,
        items: await d.regionItems(region),
        prices: await d.pricesInForce(region, priceDate),
        volumes: await d.publicLevelVolumes(region, baseYear),
        costs: await d.costs(region, baseYear),
        rates: await d.reimbursementRates(region, priceDate),
        indicators: await d.indicators(region, ['service_revenue_share'], String(baseYear)),
      }));
      return buildBase(read, key, region, priceDate, baseYear, params);
    });
  }

  /**
   * The public hospitals' volumes of a base, aligned with its rows. Read in a snapshot of its own: when the data moved
   * since the base was read, the result's revision is newer than the base's and the caller reads the base again.
   */
  hospitals(base: RegionBase): Promise<HospitalFacts> {
    return this.hospitalFacts.get(base.key, base.revision, async () => {
      // the reads in one snapshot; the entries built after its connection went back to the pool
      const read = await this.snapshot(async (d, revision) => ({
        revision, institutions: await d.institutions(base.region), volumes: await d.publicInstitutionVolumes(base.region, base.baseYear),
      }));
      return buildHospitalFacts(read.institutions, read.volumes, base, read.revision);
    });
  }

  /** The other regions' prices in force on `priceDate` for every item of the region, current as of `revision`. */
  peerPrices(region: string, priceDate: string, revision: number): Promise<PeerPrices> {
    const key = `${region}|${priceDate}`;
    return this.peers.get(key, revision, () =>
      this.snapshot(async (d, rev) => {
        const rows = await d.otherRegionPrices(region, priceDate);
        return { key, revision: rev, prices: new Map(rows.map((r) => [`${r.itemCode}|${r.level}`, r.pricesFen])) };
      }),
    );
  }

  /** Each change's row in base.rows (−1: a level not priced on the price date), once per change list and base. */
  changeIndex(changes: ChangeList | readonly ChangeKey[], base: RegionBase): Int32Array {
    let m = this.changeRows.get(changes);
    if (!m) this.changeRows.set(changes, (m = new WeakMap()));
    let idx = m.get(base);
    if (!idx) {
      idx =
        changes instanceof ChangeList
          ? Int32Array.from({ length: changes.length }, (_, k) => base.rowIndex.get(changes.key(k)) ?? -1)
          : Int32Array.from(changes, (c) => base.rowIndex.get(rowKey(c.itemCode, c.level)) ?? -1);
      m.set(base, idx);
    }
    return idx;
  }

  /** Runs reads in one REPEATABLE READ snapshot, on one pooled connection, with the revision of that snapshot. */
  async snapshot<T>(f: (d: PricingDataRepository, revision: number) => Promise<T>): Promise<T> {
    const runner = this.ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('begin transaction isolation level repeatable read read only');
      const d = this.data.on(runner);
      const out = await f(d, await d.dataRevision());
      await runner.query('commit');
      return out;
    } catch (e) {
      await runner.query('rollback').catch(() => undefined);
      throw e;
    } finally {
      await runner.release();
    }
  }
}

/** What a region's base is built from, read in one snapshot (BaseDataCache.base). */
interface BaseRead {
  revision: number;
  items: RegionItemRow[];
  prices: Awaited<ReturnType<PricingDataRepository['pricesInForce']>>;
  volumes: Awaited<ReturnType<PricingDataRepository['publicLevelVolumes']>>;
  costs: CostRow[];
  rates: Awaited<ReturnType<PricingDataRepository['reimbursementRates']>>;
  indicators: IndicatorRow[];
}

/** A region's priced rows and their indexes (30,000 rows at national scale: two slices, other requests let in between). */
async function buildBase(
  read: BaseRead, key: string, region: string, priceDate: string, baseYear: number, params: Pick<StoredParams, 'fundShareByLevel'>,
): Promise<RegionBase> {
  const { revision, items, prices, volumes, costs, rates, indicators } = read;

  const info = new Map<string, RegionItemRow>(items.map((i) => [i.itemCode, i]));
  const levelQuantity = new Map(volumes.map((v) => [`${v.itemCode}|${v.level}`, v.quantity]));
  const cost = new Map<string, CostRow>(costs.map((c) => [c.itemCode, c]));
  const shares = new FundShares(rates, params.fundShareByLevel);
  const makeRow = (itemCode: string, level: HospitalLevel, oldFen: number, newFen: number, changed: boolean, reason: string | null): ImpactRow => {
    const it = info.get(itemCode);
    const categoryCode = it?.categoryCode ?? 'uncategorised';
    const family: CategoryFamily = it?.family ?? FAMILY_OF.get(categoryCode) ?? 'mixed';
    const c = cost.get(itemCode);
    const fs = shares.of(it?.paymentClass ?? null, level);
    return {
      itemCode,
      name: it?.name ?? itemCode,
      unit: it?.unit ?? null,
      categoryCode,
      family,
      level,
      oldPriceFen: oldFen,
      newPriceFen: newFen,
      quantity: levelQuantity.get(`${itemCode}|${level}`) ?? 0,
      fundShare: fs.share,
      fundShareSource: fs.source,
      unitCostFen: c ? c.unitCostFen : null,
      labourShare: it?.labourShare ?? (c && c.unitCostFen > 0 ? Math.min(1, c.labourFen / c.unitCostFen) : null),
      labourShareSource: it?.labourShare != null ? 'item' : c && c.unitCostFen > 0 ? 'cost' : 'category',
      paymentClass: it?.paymentClass ?? null,
      changed,
      reason,
    };
  };
  const rows = prices.map((p) => makeRow(p.itemCode, p.level, p.priceFen, p.priceFen, false, null)).sort(rowOrder);
  await yieldToLoop();
  const rowIndex = new Map(rows.map((r, i) => [`${r.itemCode}|${r.level}`, i]));

  const fundShareSources: Record<string, number> = {};
  for (const r of rows) fundShareSources[r.fundShareSource] = (fundShareSources[r.fundShareSource] ?? 0) + 1;
  return {
    key, revision, region, priceDate, baseYear, itemCodes: new Set(info.keys()), itemKind: new Map(items.map((i) => [i.itemCode, i.kind])), rows, rowIndex,
    priceOf: new Map(rows.map((r) => [`${r.itemCode}|${r.level}`, r.oldPriceFen])), levelQuantity, makeRow, aligned: rowGroups(rows), fundShareSources,
    serviceShare: indicators[0] ?? null,
  };
}

/**
 * Every public hospital's volume of an item as an entry pointing at the base row of its level. Half a million entries
 * at national scale (about 150 ms of work): built in slices, letting other requests in between.
 */
async function buildHospitalFacts(institutions: InstitutionRow[], instVolumes: InstitutionVolumeRow[], base: RegionBase, revision: number): Promise<HospitalFacts> {
  const hospitals = institutions.filter((i) => i.isPublic);
  const hospitalIndex = new Map(hospitals.map((h, i) => [h.code, i]));
  const n = instVolumes.length;
  const entryHospital = new Int32Array(n);
  const entryRow = new Int32Array(n);
  const entryQuantity = new Float64Array(n);
  const entryKey: (string | undefined)[] = [];
  let m = 0;
  for (let e = 0; e < n; e++) {
    if (e > 0 && e % SLICE_ENTRIES === 0) await yieldToLoop();
    const v = instVolumes[e];
    const h = hospitalIndex.get(v.institutionCode);
    if (h === undefined || !base.itemCodes.has(v.itemCode)) continue;
    const k = `${v.itemCode}|${hospitals[h].level}`;
    const r = base.rowIndex.get(k);
    entryHospital[m] = h;
    entryRow[m] = r ?? -1;
    entryQuantity[m] = v.quantity;
    if (r === undefined) entryKey[m] = k;
    m++;
  }
  return {
    key: base.key, revision, hospitals,
    entryHospital: entryHospital.subarray(0, m), entryRow: entryRow.subarray(0, m), entryQuantity: entryQuantity.subarray(0, m), entryKey,
  };
}
