/**
 * Room `scenarios`: the scenarios (调价方案) of a round and their price changes — by hand, imported from a
 * 调价项目表, scaled to a target, indexed (通用型 linkage) or proposed by the optimiser (HiGHS).
 *
 * Owns: scenarios.controller.ts and optimise.controller.ts (/api/rounds/:id/scenarios, /api/scenarios/:id/…),
 * scenarios.service.ts (changes, import, scaling, indexation), optimise.service.ts and optimise.highs.ts,
 * scenarios.import.ts (reads a 调价项目表 with the etl's readers, within size and row limits; import.runner.ts runs it
 * in a worker thread, import.worker.ts), scenarios.repository.ts (scenario and scenario_change), versions.repository.ts
 * (scenario_version: the version each save makes, written with the save) and the schemas. Builds on rounds and facts.
 */
import { Module } from '@nestjs/common';
import { FactsModule } from '../facts/facts.module';
import { RoundsModule } from '../rounds/rounds.module';
import { OptimiseController } from './optimise.controller';
import { ImportRunner } from './import.runner';
import { HighsSolverProvider } from './optimise.highs';
import { OptimiserRunner } from './optimise.runner';
import { OptimiseService } from './optimise.service';
import { ScenariosController } from './scenarios.controller';
import { ScenariosRepository } from './scenarios.repository';
import { ScenariosService } from './scenarios.service';
import { ScenarioVersionsRepository } from './versions.repository';

@Module({
  imports: [FactsModule, RoundsModule],
  controllers: [ScenariosController, OptimiseController],
  providers: [ScenariosRepository, ScenarioVersionsRepository, ScenariosService, ImportRunner, HighsSolverProvider, OptimiserRunner, OptimiseService],
  exports: [ScenariosRepository, ScenarioVersionsRepository, ScenariosService],
})
export class ScenariosModule {}
