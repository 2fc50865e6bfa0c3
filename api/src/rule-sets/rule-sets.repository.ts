import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository';
import { changedFields } from '../audit/changed-fields';
import { coveringRegions, type IndicatorValue, type RuleSet } from '../domain/triggers';
import { currentAccess, inScope, regionScope } from '../auth/access';
import { DATA_REVISION } from '../facts/pricing-data.repository';
import type { ListQuery, RuleSetDetail, RuleSetSummary } from './rule-sets.schemas';

const SUMMARY_COLUMNS = `
  rs.id::int as id, rs.region_code as "regionCode", rs.name, rs.version, rs.valid_from::text as "validFrom",
  rs.valid_to::text as "validTo", rs.start_combine as "startCombine", rs.is_preset as "isPreset",
  jsonb_array_length(rs.definition -> 'rules') as "ruleCount", rs.created_by as "createdBy", to_json(rs.created_at) #>> '{}' as "createdAt"`;

/**
 * A rule set a user may read: one of their regions, or one of a region covering theirs (a province's rule set applies
 * to its cities). Bind readable() as parameters $a (the regions, null: all) and $b (the covering regions).
 */
const READABLE = (alias: string, a: number, b: number) => `(${inScope(`${alias}.region_code`, a)} or ${alias}.region_code = any($${b}::text[]))`;

function readable(): [string[] | null, string[]] {
  const own = currentAccess()?.regionCode;
  return [regionScope(), own ? coveringRegions(own) : []];
}

@Injectable()
export class RuleSetsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditRepository,
  ) {}

  /**
   * Rule sets of one region (or of every region), presets optionally, the latest version of each name unless
   * `allVersions`. Presets first, then by region and by when the rule set (its first version) was created.
   */
  list(q: ListQuery): Promise<RuleSetSummary[]> {
    return this.ds.query(
      `select ${SUMMARY_COLUMNS}
         from (select r.*,
                      row_number() over (partition by r.region_code, r.name order by r.version desc) as latest,
                      min(r.id) over (partition by r.region_code, r.name) as first_id
                 from rule_set r
                where (r.is_preset and $2::boolean)
                   or (not r.is_preset and ($1::text is null or r.region_code = $1) and ${READABLE('r', 4, 5)})) rs
        where $3::boolean or rs.latest = 1
        order by rs.is_preset desc, rs.region_code, rs.first_id, rs.version desc`,
      [q.region ?? null, q.includePresets, q.allVersions, ...readable()],
    );
  }

  async get(id: number, m: EntityManager = this.ds.manager): Promise<RuleSetDetail | null> {
    const rows: RuleSetDetail[] = await m.query(
      `select ${SUMMARY_COLUMNS}, rs.definition from rule_set rs where rs.id = $1 and (rs.is_preset or ${READABLE('rs', 2, 3)})`,
      [id, ...readable()],
    );
    return rows[0] ?? null;
  }

  /**
   * The rule set in force for a region in a year: among the non-preset rule sets of the given regions (the region
   * itself first, then the regions covering it) whose validity overlaps the year, the latest valid version of each
   * name; of those the one of the most specific region, then the latest valid_from, then the newest.
   */
  async current(regions: readonly string[], year: number): Promise<RuleSetDetail | null> {
    const rows: RuleSetDetail[] = await this.ds.query(
      `select ${SUMMARY_COLUMNS}, rs.definition
         from (select distinct on (r.region_code, r.name) r.*
                 from rule_set r
                where not r.is_preset
                  and r.region_code = any($1::text[])
                  and ${READABLE('r', 3, 4)}
                  and r.valid_from <= make_date($2, 12, 31)
                  and (r.valid_to is null or r.valid_to >= make_date($2, 1, 1))
                order by r.region_code, r.name, r.version desc) rs
        order by array_position($1::text[], rs.region_code), rs.valid_from desc, rs.id desc
        limit 1`,
      [regions, year, ...readable()],
    );
    return rows[0] ?? null;
  }

  /** Presets (id and name), for error details that tell the caller what ruleSetId to give. */
  presets(): Promise<{ id: number; name: string }[]> {
    return this.ds.query(`select id::int as id, name from rule_set where is_preset order by id`);
  }

  /** Names of the given region codes that exist (code → name). */
  async regionNames(codes: readonly string[]): Promise<Map<string, string>> {
    const rows: { code: string; name: string }[] = await this.ds.query(
      `select code, name from region where code = any($1::text[]) and ${inScope('code', 2)}`,
      [codes, regionScope()],
    );
    return new Map(rows.map((r) => [r.code, r.name]));
  }

  /** Regions (other than 000000 全国) with a value of one of the indicators in the years, with their names, by code. */
  async regionsWithValues(indicators: readonly string[], fromYear: number, toYear: number): Promise<{ code: string; name: string }[]> {
    return this.ds.query(
      `select g.code, g.name from region g
        where g.code <> '000000'
          and ${inScope('g.code', 4)}
          and exists (select 1 from indicator_value v
                       where v.region_code = g.code and v.indicator_code = any($1::text[]) and left(v.period, 4) between $2 and $3)
        order by g.code`,
      [indicators, String(fromYear).padStart(4, '0'), String(toYear).padStart(4, '0'), regionScope()],
    );
  }

  /** indicatorValues of many regions in one statement, by region code. */
  async indicatorValuesOf(regionCodes: readonly string[], indicators: readonly string[], fromYear: number, toYear: number): Promise<Map<string, IndicatorValue[]>> {
    const rows: IndicatorValue[] = await this.ds.query(
      `select region_code as "regionCode", indicator_code as indicator, period, value::float8 as value, unit, source,
              release_type as "releaseType", is_generated as "isGenerated"
         from indicator_value
        where region_code = any($1::text[])
          and indicator_code = any($2::text[])
          and left(period, 4) between $3 and $4
        order by region_code, indicator_code, period, release_type`,
      [regionCodes, indicators, String(fromYear).padStart(4, '0'), String(toYear).padStart(4, '0')],
    );
    const out = new Map<string, IndicatorValue[]>(regionCodes.map((c) => [c, []]));
    for (const r of rows) out.get(r.regionCode)?.push(r);
    return out;
  }

  async regionExists(code: string): Promise<boolean> {
    const rows: { found: boolean }[] = await this.ds.query(
      `select exists (select 1 from region where code = $1 and ${inScope('code', 2)}) as found`,
      [code, regionScope()],
    );
    return rows[0]?.found === true;
  }

  /**
   * Stores a validated rule set as the next version of (region, name): version 1 when new, else n + 1. One
   * transaction; an advisory lock on (region, name) serialises concurrent creations of the same rule set. The
   * stored definition carries the assigned version.
   */
  create(ruleSet: RuleSet, createdBy: string | null): Promise<RuleSetDetail> {
    return this.ds.transaction(async (m) => {
      await m.query(`select pg_advisory_xact_lock(hashtextextended($1, 7314))`, [`rule_set|${ruleSet.regionCode}|${ruleSet.name}`]);
      const next: { version: number }[] = await m.query(
        `select coalesce(max(version), 0)::int + 1 as version from rule_set where region_code = $1 and name = $2`,
        [ruleSet.regionCode, ruleSet.name],
      );
      const version = next[0]?.version ?? 1;
      const definition: RuleSet = { ...ruleSet, version };
      const inserted: { id: number }[] = await m.query(
        `with rs as (
           insert into rule_set (region_code, name, version, valid_from, valid_to, start_combine, is_preset, definition, created_by)
           values ($1, $2, $3, $4::date, $5::date, $6, false, $7::jsonb, $8)
           returning id, definition)
         , rules as (
           insert into rule (rule_set_id, seq, role, label, expression, comparison, threshold)
           select rs.id, r.seq, r.e ->> 'role', r.e ->> 'label', r.e -> 'expression', r.e ->> 'comparison', (r.e ->> 'threshold')::numeric
             from rs cross join lateral jsonb_array_elements(rs.definition -> 'rules') with ordinality as r(e, seq))
         select id::int as id from rs`,
        [
          definition.regionCode,
          definition.name,
          version,
          definition.validFrom,
          definition.validTo ?? null,
          definition.startCombine,
          JSON.stringify(definition),
          createdBy,
        ],
      );
      const id = inserted[0]?.id;
      const stored = id === undefined ? null : await this.get(id, m);
      if (!stored) throw new Error('rule set insert returned no row');
      // a new version of a rule set keeps the fields that differ from the version before; a new rule set, all of them
      const prev: { definition: Record<string, unknown> }[] = version > 1
        ? await m.query(`select definition from rule_set where region_code = $1 and name = $2 and version = $3`, [definition.regionCode, definition.name, version - 1])
        : [];
      const diff = prev[0] ? changedFields(prev[0].definition, { ...definition, version: undefined }, []) : null;
      await this.audit.record(m, {
        action: 'rule_set.create', entity: 'rule_set', entityId: stored.id, regionCode: definition.regionCode,
        before: diff ? { ...diff.before, version: version - 1 } : undefined,
        after: diff ? { ...diff.after, version } : definition,
        details: { name: definition.name, version },
      });
      return stored;
    });
  }

  /**
   * The indicator values of one region that an evaluation may read, in one query: the given indicators, every
   * period (annual, monthly, quarterly) of the years fromYear … toYear. Values of other regions are never read.
   */
  /**
   * What an evaluation of a stored rule set for a region needs besides the indicator values, in one statement: the
   * rule set's definition (null: no such rule set readable by the request), whether the region exists within the
   * request's regions, and the data revision the values are kept by.
   */
  async evaluationInputs(ruleSetId: number, regionCode: string): Promise<{ ruleSet: { id: number; definition: unknown } | null; regionFound: boolean; revision: number }> {
    const [scope, pilots] = readable();
    const rows: { id: number | null; definition: unknown; regionFound: boolean; revision: number }[] = await this.ds.query(
      `select rs.id::int as id, rs.definition,
              exists (select 1 from region where code = $2 and ${inScope('code', 3)}) as "regionFound",
              ${DATA_REVISION} as revision
         from (select 1) one
         left join rule_set rs on rs.id = $1 and (rs.is_preset or ${READABLE('rs', 3, 4)})`,
      [ruleSetId, regionCode, scope, pilots],
    );
    const r = rows[0];
    return { ruleSet: r.id === null ? null : { id: r.id, definition: r.definition }, regionFound: r.regionFound, revision: r.revision };
  }

  indicatorValues(regionCode: string, indicators: readonly string[], fromYear: number, toYear: number): Promise<IndicatorValue[]> {
    return this.ds.query(
      `select region_code as "regionCode", indicator_code as indicator, period, value::float8 as value, unit, source,
              release_type as "releaseType", is_generated as "isGenerated"
         from indicator_value
        where region_code = $1
          and indicator_code = any($2::text[])
          and left(period, 4) between $3 and $4
        order by indicator_code, period, release_type`,
      [regionCode, indicators, String(fromYear).padStart(4, '0'), String(toYear).padStart(4, '0')],
    );
  }
}
