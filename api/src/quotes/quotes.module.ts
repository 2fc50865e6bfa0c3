import { Module } from '@nestjs/common';
import { FactsModule } from '../facts/facts.module';
import { RoundsModule } from '../rounds/rounds.module';
import { ScenariosModule } from '../scenarios/scenarios.module';
import { QuotesController } from './quotes.controller';
import { QuotesRepository } from './quotes.repository';
import { QuotesService } from './quotes.service';

/** Hospitals' quotes (报价) for 复杂型 items, their scoring and the selection that becomes a scenario. */
@Module({
  imports: [FactsModule, RoundsModule, ScenariosModule],
  controllers: [QuotesController],
  providers: [QuotesRepository, QuotesService],
})
export class QuotesModule {}
