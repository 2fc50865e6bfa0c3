/**
 * Room `rounds`: adjustment rounds (调价轮次) — their parameters, their lifecycle (draft → evaluated → triggered /
 * blocked → scenarios → approved → implemented, writing the approved prices on implementation), the 调价总量
 * waterfall and its allocation to hospitals.
 *
 * Owns: rounds.controller.ts (/api/rounds…), rounds.service.ts (lifecycle), total.service.ts (total and allocation),
 * rounds.repository.ts (round, round_allocation, and the price writes of an implementation), rounds.schemas.ts.
 * The rules themselves live in domain/rounds (params, context, lifecycle) and domain/pricing (total, allocation).
 */
import { Module } from '@nestjs/common';
import { FactsModule } from '../facts/facts.module';
import { RoundsController } from './rounds.controller';
import { RoundsRepository } from './rounds.repository';
import { RoundsService } from './rounds.service';
import { RoundTotalService } from './total.service';

@Module({
  imports: [FactsModule],
  controllers: [RoundsController],
  providers: [RoundsRepository, RoundsService, RoundTotalService],
  exports: [RoundsRepository, RoundsService, RoundTotalService],
})
export class RoundsModule {}
