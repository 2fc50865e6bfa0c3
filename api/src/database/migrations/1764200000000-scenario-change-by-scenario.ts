import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * scenario_change by scenario: its primary key leads with region_code, so the reads and writes of one scenario's
 * changes (its list, its counts, a replacement) scanned every scenario's changes of every region — with a hundred
 * scenarios of 10,000 rows, a million rows per read.
 */
export class ScenarioChangeByScenario1764200000000 implements MigrationInterface {
  name = 'ScenarioChangeByScenario1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('create index if not exists scenario_change_scenario_idx on scenario_change (scenario_id, item_code, hospital_level)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop index scenario_change_scenario_idx');
  }
}
