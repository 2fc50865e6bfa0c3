import { Module } from '@nestjs/common';
import { ImpactController } from './impact.controller';
import { ImpactService } from './impact.service';
import { PricingDataRepository } from './pricing-data.repository';
import { RoundsController } from './rounds.controller';
import { RoundsRepository } from './rounds.repository';
import { RoundsService } from './rounds.service';
import { ScenariosController } from './scenarios.controller';
import { ScenariosRepository } from './scenarios.repository';
import { ScenariosService } from './scenarios.service';
import { RoundTotalService } from './total.service';

/** Adjustment rounds, their totals, scenarios and impact. */
@Module({
  controllers: [RoundsController, ScenariosController, ImpactController],
  providers: [PricingDataRepository, RoundsRepository, ScenariosRepository, RoundsService, RoundTotalService, ScenariosService, ImpactService],
})
export class RoundsModule {}
