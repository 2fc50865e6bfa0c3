import { Module } from '@nestjs/common';
import { FactsModule } from '../facts/facts.module';
import { RoundsController } from './rounds.controller';
import { RoundsRepository } from './rounds.repository';
import { RoundsService } from './rounds.service';
import { RoundTotalService } from './total.service';

/**
 * Adjustment rounds (调价轮次): their parameters and lifecycle (draft → … → implemented, writing the approved prices
 * on implementation), the 调价总量 waterfall and its allocation to hospitals.
 */
@Module({
  imports: [FactsModule],
  controllers: [RoundsController],
  providers: [RoundsRepository, RoundsService, RoundTotalService],
  exports: [RoundsRepository, RoundsService, RoundTotalService],
})
export class RoundsModule {}
