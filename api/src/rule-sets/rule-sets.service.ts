import { Injectable } from '@nestjs/common';
import { assertRegion } from '../auth/access';
import { AppError, NotFoundError, ValidationError, type FieldIssue } from '../common/errors';
import {
  type AdjustmentKind,
  dataRequirements,
  evaluateRuleSet,
  formatIssues,
  type IndicatorValue,
  NATIONWIDE_REGION_CODE,
  parseRuleSet,
  regionCovers,
  coveringRegions,
  type RuleSet,
  type TriggerResult,
} from '../domain/triggers';
import { RevisionCache } from '../facts/revision-cache';
import { RuleSetsRepository } from './rule-sets.repository';
import type { EvaluateBody, EvaluateRegionsBody, ListQuery, RegionEvaluationQuery, RegionsEvaluation, RuleSetDetail, RuleSetSummary } from './rule-sets.schemas';

export type { RegionsEvaluation } from './rule-sets.schemas';


export { coveringRegions };

@Injectable()
export class RuleSetsService {
  constructor(private readonly repo: RuleSetsRepository) {}

  list(q: ListQuery): Promise<RuleSetSummary[]> {
    return this.repo.list(q);
  }

  async get(id: number): Promise<RuleSetDetail> {
    const rs = await this.repo.get(id);
    if (!rs) throw ruleSetNotFound(id);
    return rs;
  }

  /** Stores a rule set of a region as version 1, or as version n + 1 when the region has one of that name. */
  async create(ruleSet: RuleSet): Promise<RuleSetDetail> {
    if (ruleSet.regionCode === NATIONWIDE_REGION_CODE) {
      throw new AppError(
        'RULE_SET.PRESET_REGION',
        '全国（000000）规则集为系统预设，不能新建；请以预设为模板，保存为本地区的规则集 (000000 is reserved for presets; save a copy for a region)',
        422,
        [{ path: 'body.regionCode', message: '不能为 000000 (reserved for presets)' }],
      );
    }
    assertRegion(ruleSet.regionCode, 'body.regionCode');
    if (!(await this.repo.regionExists(ruleSet.regionCode))) {
      throw new AppError('RULE_SET.UNKNOWN_REGION', `地区代码 ${ruleSet.regionCode} 不存在 (unknown region code)`, 422, [
        { path: 'body.regionCode', message: '地区代码不存在 (unknown region code)' },
      ]);
    }
    return this.repo.create(ruleSet, null);
  }

  /** Evaluates an ad-hoc or a stored rule set against the request's values, else the region's values in the database. */
  async evaluate(b: EvaluateBody): Promise<TriggerResult> {
    if (b.ruleSet === undefined && b.values === undefined) return this.evaluateStored(b.ruleSetId as number, b);
    const ruleSet = b.ruleSet ?? this.definitionOf(await this.get(b.ruleSetId as number));
    let values = b.values;
    if (values === undefined) {
      await this.requireRegion(b.regionCode);
      values = await this.regionValues(ruleSet, b.regionCode, b.year);
    }
    return this.run(ruleSet, b.regionCode, b.year, b.kind, values, b.lastEvaluationYear);
  }

  /**
   * Indicator values by region, indicators and years, kept while the data revision stays (a dashboard evaluates the
   * same rule set for the same region again and again; the values change only with a data load).
   */
  private readonly values = new RevisionCache<{ revision: number; values: IndicatorValue[] }>(256);

  /** A stored rule set on a region's stored values: one statement, then the values as kept for the data revision. */
  private async evaluateStored(ruleSetId: number, b: EvaluateBody): Promise<TriggerResult> {
    const inputs = await this.repo.evaluationInputs(ruleSetId, b.regionCode);
    if (!inputs.ruleSet) throw ruleSetNotFound(ruleSetId);
    const ruleSet = this.definitionOf(inputs.ruleSet);
    if (!inputs.regionFound) throw regionNotFound(b.regionCode);
    const values = await this.regionValues(ruleSet, b.regionCode, b.year, inputs.revision);
    return this.run(ruleSet, b.regionCode, b.year, b.kind, values, b.lastEvaluationYear);
  }

  /**
   * Evaluates one rule set for many regions (or every region with indicator values in the years it reads) in a year:
   * every region's values are read in one statement, and each region is evaluated on its own values only.
   */
  async evaluateRegions(b: EvaluateRegionsBody): Promise<RegionsEvaluation> {
    const stored = b.ruleSetId !== undefined ? await this.get(b.ruleSetId) : null;
    const ruleSet = b.ruleSet ?? this.definitionOf(stored!);
    const need = dataRequirements(ruleSet, b.year);
    const readable = need.indicators.length > 0 && Number.isFinite(need.fromYear) && Number.isFinite(need.toYear);
    let regions: { code: string; name: string }[];
    if (b.regionCodes) {
      b.regionCodes.forEach((c, i) => assertRegion(c, `body.regionCodes.${i}`));
      const names = await this.repo.regionNames(b.regionCodes);
      const issues: FieldIssue[] = [];
      b.regionCodes.forEach((c, i) => {
        if (!names.has(c)) issues.push({ path: `body.regionCodes.${i}`, message: `地区代码 ${c} 不存在 (unknown region code)` });
      });
      if (issues.length) throw new ValidationError(issues, 'body');
      regions = b.regionCodes.map((code) => ({ code, name: names.get(code)! }));
    } else {
      regions = readable ? await this.repo.regionsWithValues(need.indicators, need.fromYear, need.toYear) : [];
    }
    const values = readable
      ? await this.repo.indicatorValuesOf(regions.map((r) => r.code), need.indicators, need.fromYear, need.toYear)
      : new Map<string, IndicatorValue[]>();
    const results = regions.map((r) => ({
      regionCode: r.code,
      regionName: r.name,
      result: this.run(ruleSet, r.code, b.year, b.kind, values.get(r.code) ?? [], b.lastEvaluationYear),
    }));
    const count = (status: TriggerResult['status']) => results.filter((r) => r.result.status === status).length;
    return {
      year: b.year,
      kind: b.kind,
      ruleSet: { id: stored?.id ?? null, name: ruleSet.name, regionCode: ruleSet.regionCode, version: ruleSet.version },
      counts: { triggered: count('triggered'), blocked: count('blocked'), notStarted: count('not_started'), insufficientData: count('insufficient_data') },
      results,
    };
  }

  /**
   * Evaluates the rule set in force for a region in a year: the latest valid version of a rule set of the region (or
   * of a region covering it), else the preset or rule set given by `ruleSetId`.
   */
  async evaluateRegion(code: string, q: RegionEvaluationQuery): Promise<TriggerResult> {
    await this.requireRegion(code);
    const own = await this.repo.current(coveringRegions(code), q.year);
    const warnings: string[] = [];
    let chosen: RuleSetDetail;
    if (own) {
      chosen = own;
      if (q.ruleSetId !== undefined && q.ruleSetId !== own.id) {
        warnings.push(`本地区${q.year}年有有效的规则集“${own.name}”（第${own.version}版），未采用 ruleSetId=${q.ruleSetId} 指定的规则集`);
      }
    } else if (q.ruleSetId !== undefined) {
      chosen = await this.get(q.ruleSetId);
      if (!chosen.isPreset && !regionCovers(chosen.regionCode, code)) {
        throw new AppError(
          'RULE_SET.NOT_APPLICABLE',
          `规则集 ${chosen.id} 属于地区 ${chosen.regionCode}，不适用于地区 ${code}；可用 POST /api/rule-sets/evaluate 试算 (rule set of another region)`,
          422,
        );
      }
      warnings.push(`本地区${q.year}年没有有效的规则集，采用${chosen.isPreset ? '预设' : ''}规则集“${chosen.name}”（第${chosen.version}版）`);
    } else {
      const presets = await this.repo.presets();
      throw new NotFoundError(
        'RULE_SET.NONE_FOR_REGION',
        `地区 ${code} 在${q.year}年没有有效的触发规则集；请新建本地区规则集，或用 ruleSetId 指定预设规则集 (no rule set in force; give ruleSetId)`,
        { regionCode: code, year: q.year, presets },
      );
    }
    const ruleSet = this.definitionOf(chosen);
    const values = await this.regionValues(ruleSet, code, q.year);
    const result = this.run(ruleSet, code, q.year, q.kind, values, q.lastEvaluationYear);
    result.warnings.push(...warnings);
    return result;
  }

  private run(ruleSet: RuleSet, regionCode: string, year: number, kind: AdjustmentKind, values: IndicatorValue[], lastEvaluationYear?: number): TriggerResult {
    return evaluateRuleSet(ruleSet, { regionCode, year, kind, values, lastEvaluationYear });
  }

  /** The stored definition, validated again (defaults of fields added to the schema later are applied). */
  private definitionOf(rs: Pick<RuleSetDetail, 'id' | 'definition'>): RuleSet {
    const r = parseRuleSet(rs.definition);
    if (!r.ok) {
      throw new AppError('RULE_SET.INVALID_STORED', `已保存的规则集 ${rs.id} 不符合当前规则格式 (stored rule set is invalid): ${formatIssues(r.issues)}`, 500);
    }
    return r.value;
  }

  private async requireRegion(code: string): Promise<void> {
    if (!(await this.repo.regionExists(code))) throw regionNotFound(code);
  }

  /**
   * The region's own values of the indicators and years the rule set reads; other regions' values are never used.
   * With the data revision they were asked at: as kept for it (read once per revision).
   */
  private async regionValues(ruleSet: RuleSet, regionCode: string, year: number, revision?: number): Promise<IndicatorValue[]> {
    const need = dataRequirements(ruleSet, year);
    if (need.indicators.length === 0 || !Number.isFinite(need.fromYear) || !Number.isFinite(need.toYear)) return [];
    const read = () => this.repo.indicatorValues(regionCode, need.indicators, need.fromYear, need.toYear);
    if (revision === undefined) return read();
    const key = `${regionCode}|${[...need.indicators].sort().join(',')}|${need.fromYear}|${need.toYear}`;
    return (await this.values.get(key, revision, async () => ({ revision, values: await read() }))).values;
  }
}

function regionNotFound(code: string): NotFoundError {
  return new NotFoundError('REGION.NOT_FOUND', `地区代码 ${code} 不存在 (unknown region code)`);
}

function ruleSetNotFound(id: number): NotFoundError {
  return new NotFoundError('RULE_SET.NOT_FOUND', `规则集 ${id} 不存在 (unknown rule set id)`);
}
