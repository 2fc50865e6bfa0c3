import { Module } from '@nestjs/common';
import { RegionEvaluationController, RuleSetsController } from './rule-sets.controller';
import { RuleSetsRepository } from './rule-sets.repository';
import { RuleSetsService } from './rule-sets.service';

/** Trigger rule sets: stored, versioned, presets, evaluation. */
@Module({
  controllers: [RuleSetsController, RegionEvaluationController],
  providers: [RuleSetsService, RuleSetsRepository],
})
export class RuleSetsModule {}
