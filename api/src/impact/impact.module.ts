/**
 * Room `impact`: what a scenario does — up/down/net, fund and out-of-pocket, by category, level, hospital, hospital
 * type and payment class, 医疗服务收入占比 before and after, cross-region price positions and the checks with their
 * stable codes; the item table as JSON or Arrow.
 *
 * Owns: impact.controller.ts (/api/scenarios/:id/impact…, /api/rounds/:id/compare), impact.service.ts (puts the
 * scenario's changes on the cached facts and runs the domain's impact functions), compare.service.ts (scenarios side
 * by side), impact.arrow.ts. Builds on scenarios, rounds and facts.
 */
import { Module } from '@nestjs/common';
import { FactsModule } from '../facts/facts.module';
import { RoundsModule } from '../rounds/rounds.module';
import { ScenariosModule } from '../scenarios/scenarios.module';
import { CompareService } from './compare.service';
import { ImpactController } from './impact.controller';
import { ImpactService } from './impact.service';

@Module({
  imports: [FactsModule, RoundsModule, ScenariosModule],
  controllers: [ImpactController],
  providers: [ImpactService, CompareService],
  exports: [ImpactService],
})
export class ImpactModule {}
