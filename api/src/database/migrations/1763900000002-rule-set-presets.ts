import { MigrationInterface, QueryRunner } from 'typeorm';
import presets from '../seeds/rule-set-presets-1763900000002.json';

/**
 * Preset trigger rule sets (湖南 2021, 浙江 draft, general-item indexation) as they were when this migration was
 * written, frozen in its own JSON file: a later change of a preset in the domain (domain/triggers/presets.ts) is a new
 * migration, never an edit of this one (a test compares the migrated presets with the domain's). Each becomes a
 * rule_set row of region 000000 (全国, not tied to a region) with is_preset, its whole validated JSON in
 * `definition`, and one `rule` row per rule (seq from 1, in rule order).
 */
interface FrozenRuleSet {
  regionCode: string;
  name: string;
  version: number;
  validFrom: string;
  validTo?: string | null;
  startCombine: string;
}
const PRESETS: readonly FrozenRuleSet[] = presets;

export class RuleSetPresets1763900000002 implements MigrationInterface {
  name = 'RuleSetPresets1763900000002';

  async up(q: QueryRunner): Promise<void> {
    for (const p of PRESETS) {
      await q.query(
        `with rs as (
           insert into rule_set (region_code, name, version, valid_from, valid_to, start_combine, is_preset, definition, created_by)
           values ($1, $2, $3, $4::date, $5::date, $6, true, $7::jsonb, 'system')
           returning id, definition)
         insert into rule (rule_set_id, seq, role, label, expression, comparison, threshold)
         select rs.id, r.seq, r.e ->> 'role', r.e ->> 'label', r.e -> 'expression', r.e ->> 'comparison', (r.e ->> 'threshold')::numeric
           from rs cross join lateral jsonb_array_elements(rs.definition -> 'rules') with ordinality as r(e, seq)`,
        [p.regionCode, p.name, p.version, p.validFrom, p.validTo ?? null, p.startCombine, JSON.stringify(p)],
      );
    }
  }

  /** Removes the presets and their rules (cascade). Fails while a round still refers to one of them. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `delete from rule_set r
        using jsonb_to_recordset($1::jsonb) as p(region_code text, name text, version int)
        where r.is_preset and r.region_code = p.region_code and r.name = p.name and r.version = p.version`,
      [JSON.stringify(PRESETS.map((p) => ({ region_code: p.regionCode, name: p.name, version: p.version })))],
    );
  }
}
