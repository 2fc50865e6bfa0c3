/**
 * Room `analysis`: the analyst's views of a scenario beside its impact — 成本比价 (price against unit cost and
 * relative value, by category and level) and 区域比价 (one item's price among the other regions', per level).
 *
 * Owns: analysis.controller.ts (/api/scenarios/:id/cost-value, /api/scenarios/:id/price-spread), analysis.service.ts,
 * analysis.repository.ts (the categories and the relative values of the 2023 catalogue), analysis.schemas.ts. The
 * math is domain/pricing/cost-value.ts and position.ts. Builds on impact (the item table), scenarios and facts (the
 * other regions' prices).
 */
import { Module } from '@nestjs/common';
import { FactsModule } from '../facts/facts.module';
import { ImpactModule } from '../impact/impact.module';
import { ScenariosModule } from '../scenarios/scenarios.module';
import { AnalysisController } from './analysis.controller';
import { AnalysisRepository } from './analysis.repository';
import { AnalysisService } from './analysis.service';

@Module({
  imports: [FactsModule, ImpactModule, ScenariosModule],
  controllers: [AnalysisController],
  providers: [AnalysisService, AnalysisRepository],
})
export class AnalysisModule {}
