import { Injectable } from '@nestjs/common';
import { runWithRegions } from '../auth/access';
import { AppError, NotFoundError } from '../common/errors';
import { INDICATORS } from '../domain/reference';
import { DEFAULT_RELEASE_PREFERENCE } from '../domain/triggers/schema';
import { ImpactService } from '../impact/impact.service';
import { RoundsService } from '../rounds/rounds.service';
import { RoundTotalService } from '../rounds/total.service';
import { RegionsRepository, type CompareRoundRow } from './regions.repository';
import {
  COMPARE_INDICATORS,
  type CompareIndicator,
  type CompareQuery,
  type CompareReason,
  type CompareRegion,
  type CompareResponse,
  type IndicatorRow,
  type Region,
} from './regions.schemas';

/**
 * 区域对比: several regions side by side (GET /api/regions/compare) — per region its indicators, its round's 调价总量
 * and the net impact by category of that round's most recently updated scenario. Every figure is the one the
 * region's own endpoint gives (the indicators query, RoundTotalService.total, ImpactService.impact), not a second
 * computation.
 *
 * Access: a region in the user's scope, or any pilot region (region.pilot not null) — the pilots exchange these
 * aggregates (no item prices). The reads of a compared pilot outside the user's scope run with that region added to
 * the user's regions, and only the aggregates listed here leave this service.
 */
@Injectable()
export class RegionCompareService {
  constructor(
    private readonly repo: RegionsRepository,
    private readonly rounds: RoundsService,
    private readonly totals: RoundTotalService,
    private readonly impacts: ImpactService,
  ) {}

  async compare(q: CompareQuery): Promise<CompareResponse> {
    const found = new Map((await this.repo.compareRegions(q.codes)).map((r) => [r.code, r]));
    const missing = q.codes.filter((c) => !found.has(c));
    if (missing.length) {
      throw new NotFoundError('REGION.NOT_FOUND', `地区代码 ${missing.join(', ')} 不存在 (unknown region code)`, missing.map((c) => ({ path: 'query.codes', message: c })));
    }
    return runWithRegions(q.codes, async () => {
      const roundOf = new Map((await this.repo.compareRounds(q.codes, q.year ?? null)).map((r) => [r.regionCode, r]));
      const regions: CompareRegion[] = [];
      // one region after another: a request holds one pooled connection at a time
      for (const code of q.codes) regions.push(await this.region(found.get(code)!, roundOf.get(code) ?? null, q.year ?? null));
      return {
        year: q.year ?? null,
        indicators: COMPARE_INDICATORS.map((c) => {
          const d = INDICATORS.find((x) => x.code === c)!;
          return { code: c, nameZh: d.name_zh, unit: d.unit };
        }),
        regions,
      };
    });
  }

  private async region(region: Region, row: CompareRoundRow | null, year: number | null): Promise<CompareRegion> {
    const round = row?.roundId ? await this.rounds.get(row.roundId) : null;
    // the trigger evaluation of a year reads the indicators of the year before (its default offset)
    const roundYear = round?.year ?? year;
    const indicatorYear = roundYear === null ? null : roundYear - 1;
    const out: CompareRegion = {
      code: region.code,
      name: region.name,
      level: region.level,
      pilot: region.pilot,
      indicatorYear,
      indicators: await this.indicators(region.code, indicatorYear),
      round: round ? { id: round.id, name: round.name, year: round.year, status: round.status } : null,
      total: null,
      totalReason: null,
      scenario: null,
      impact: null,
      impactReason: null,
    };
    if (!round) {
      const reason: CompareReason = {
        code: 'REGION.NO_ROUND',
        message: year === null ? `${region.name}没有调价轮次 (no round)` : `${region.name}没有 ${year} 年的调价轮次 (no round of ${year})`,
      };
      return { ...out, totalReason: reason, impactReason: reason };
    }
    try {
      const t = await this.totals.total(round);
      out.total = { totalFen: t.totalFen, effectiveTotalFen: t.effectiveTotalFen, baseYear: t.baseYear, baseFen: t.baseFen };
    } catch (e) {
      out.totalReason = reasonOf(e);
    }
    if (row?.scenarioId == null) {
      out.impactReason = { code: 'ROUND.NO_SCENARIO', message: `轮次「${round.name}」还没有调价方案 (the round has no scenario)` };
      return out;
    }
    out.scenario = { id: row.scenarioId, name: row.scenarioName!, updatedAt: row.scenarioUpdatedAt! };
    try {
      const { summary } = await this.impacts.impact(row.scenarioId);
      out.impact = {
        netFen: summary.netFen,
        grossUpFen: summary.grossUpFen,
        grossDownFen: summary.grossDownFen,
        byCategory: summary.byCategory.map((g) => ({
          key: g.key,
          labelZh: g.labelZh,
          changedCount: g.changedCount,
          upCount: g.upCount,
          downCount: g.downCount,
          grossUpFen: g.grossUpFen,
          grossDownFen: g.grossDownFen,
          netFen: g.netFen,
        })),
      };
    } catch (e) {
      out.impactReason = reasonOf(e);
    }
    return out;
  }

  /**
   * The compared indicators of a region for `year` (the newest annual period of each when null): per indicator the
   * row of /api/regions/:code/indicators of that annual period whose release comes first in the trigger evaluation's
   * default preference (公报, 快报, 统计年鉴, 测算, then the others).
   */
  private async indicators(code: string, year: number | null): Promise<CompareIndicator[]> {
    const rows = await this.repo.indicators(code, { codes: [...COMPARE_INDICATORS], ...(year === null ? {} : { from: year, to: year }) });
    const rank = (r: IndicatorRow) => {
      const i = DEFAULT_RELEASE_PREFERENCE.indexOf(r.releaseType);
      return i < 0 ? DEFAULT_RELEASE_PREFERENCE.length : i;
    };
    return COMPARE_INDICATORS.map((indicator) => {
      const d = INDICATORS.find((x) => x.code === indicator)!;
      const annual = rows.filter((r) => r.indicator === indicator && /^[0-9]{4}$/.test(r.period));
      const period = year === null ? annual.map((r) => r.period).sort().at(-1) : String(year);
      const best = annual.filter((r) => r.period === period).sort((a, b) => rank(a) - rank(b))[0];
      if (!best) return { indicator, nameZh: d.name_zh, unit: d.unit, period: null, value: null, releaseType: null, source: null, derivedFrom: [] };
      return {
        indicator,
        nameZh: best.nameZh,
        unit: best.unit,
        period: best.period,
        value: best.value,
        releaseType: best.releaseType,
        source: best.source,
        derivedFrom: best.derivedFrom,
      };
    });
  }
}

function reasonOf(e: unknown): CompareReason {
  if (e instanceof AppError) return { code: e.code, message: e.message };
  throw e;
}
