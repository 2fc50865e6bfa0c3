/**
 * Room `quotes`: hospitals' quotes (报价) for 复杂型 items, their scoring, and the selection that becomes a scenario
 * (written with its changes and every quote's decision in one transaction).
 *
 * Owns: quotes.controller.ts (/api/rounds/:id/quotes…, /api/quotes/rounds), quotes.service.ts, quotes.repository.ts (hospital_quote),
 * quotes.schemas.ts. Scoring is domain/quotes. Builds on scenarios, rounds and facts.
 */
import { Module } from '@nestjs/common';
import { FactsModule } from '../facts/facts.module';
import { RoundsModule } from '../rounds/rounds.module';
import { ScenariosModule } from '../scenarios/scenarios.module';
import { QuoteRoundsController, QuotesController } from './quotes.controller';
import { QuotesRepository } from './quotes.repository';
import { QuotesService } from './quotes.service';

@Module({
  imports: [FactsModule, RoundsModule, ScenariosModule],
  controllers: [QuotesController, QuoteRoundsController],
  providers: [QuotesRepository, QuotesService],
})
export class QuotesModule {}
