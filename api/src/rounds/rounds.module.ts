import { Module } from '@nestjs/common';
import { BaseDataCache } from './base-data.cache';
import { ImpactController } from './impact.controller';
import { ImpactService } from './impact.service';
import { MonitoringController } from './monitoring.controller';
import { MonitoringService } from './monitoring.service';
import { OptimiseController } from './optimise.controller';
import { HighsSolverProvider } from './optimise.highs';
import { OptimiseService } from './optimise.service';
import { PricingDataRepository } from './pricing-data.repository';
import { QuotesController } from './quotes.controller';
import { QuotesRepository } from './quotes.repository';
import { QuotesService } from './quotes.service';
import { RoundsController } from './rounds.controller';
import { RoundsRepository } from './rounds.repository';
import { RoundsService } from './rounds.service';
import { ScenariosController } from './scenarios.controller';
import { ScenariosRepository } from './scenarios.repository';
import { ScenariosService } from './scenarios.service';
import { RoundTotalService } from './total.service';

/** Adjustment rounds, their totals, scenarios and impact. */
@Module({
  controllers: [RoundsController, ScenariosController, ImpactController, OptimiseController, MonitoringController, QuotesController],
  providers: [PricingDataRepository, BaseDataCache, RoundsRepository, ScenariosRepository, RoundsService, RoundTotalService, ScenariosService, ImpactService, HighsSolverProvider, OptimiseService, MonitoringService, QuotesRepository, QuotesService],
})
export class RoundsModule {}
