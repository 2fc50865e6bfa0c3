/**
 * Room `rule-sets`: trigger rule sets (启动条件 / 约束条件 / 提醒条件) — stored and versioned, the presets, and the
 * evaluation of a region and year against one of them (the domain's trigger evaluator over the loaded indicators).
 *
 * Owns: rule-sets.controller.ts (/api/rule-sets…, /api/regions/:code/evaluation), rule-sets.service.ts,
 * rule-sets.repository.ts (rule_set, rule, indicator_value reads), rule-sets.schemas.ts.
 */
import { Module } from '@nestjs/common';
import { RegionEvaluationController, RuleSetsController } from './rule-sets.controller';
import { RuleSetsRepository } from './rule-sets.repository';
import { RuleSetsService } from './rule-sets.service';

@Module({
  controllers: [RuleSetsController, RegionEvaluationController],
  providers: [RuleSetsService, RuleSetsRepository],
  // the briefing evaluates a round that keeps no evaluation of its own
  exports: [RuleSetsService],
})
export class RuleSetsModule {}
