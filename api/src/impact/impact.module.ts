import { Module } from '@nestjs/common';
import { FactsModule } from '../facts/facts.module';
import { RoundsModule } from '../rounds/rounds.module';
import { ScenariosModule } from '../scenarios/scenarios.module';
import { ImpactController } from './impact.controller';
import { ImpactService } from './impact.service';

/** Impact of a scenario: totals, checks, groups, 医疗服务收入占比, cross-region positions; the item table as JSON or Arrow. */
@Module({
  imports: [FactsModule, RoundsModule, ScenariosModule],
  controllers: [ImpactController],
  providers: [ImpactService],
  exports: [ImpactService],
})
export class ImpactModule {}
