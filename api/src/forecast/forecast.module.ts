/**
 * Room `forecast`: beyond the static impact — a scenario's impact under volume response as a band (price
 * elasticity, 检查检验结果互认, volume trend; exact range and seeded Monte Carlo percentiles beside the static figure,
 * checked against the 调价总量 and the fund's cap), and the patient burden per insurance layer (基本医保, 大病保险,
 * 惠民保, 医疗救助, 个人自付) per hospital level, for an ordinary insured person and an assistance recipient.
 *
 * Owns: forecast.controller.ts (/api/scenarios/:id/forecast — JSON, or the draws as Arrow — and /burden),
 * forecast.service.ts (forecast() and burden(), also what a briefing calls), forecast.repository.ts (the volume
 * history and the 医保待遇政策表 in force), forecast.arrow.ts, forecast.schemas.ts. The math is domain/forecast and
 * domain/burden. Builds on scenarios (the changes), facts (the cached base rows, indicators, fund shares) and rounds
 * (the 调价总量).
 */
import { Module } from '@nestjs/common';
import { FactsModule } from '../facts/facts.module';
import { RoundsModule } from '../rounds/rounds.module';
import { ScenariosModule } from '../scenarios/scenarios.module';
import { ForecastController } from './forecast.controller';
import { ForecastRepository } from './forecast.repository';
import { ForecastService } from './forecast.service';

@Module({
  imports: [FactsModule, RoundsModule, ScenariosModule],
  controllers: [ForecastController],
  providers: [ForecastService, ForecastRepository],
  exports: [ForecastService],
})
export class ForecastModule {}
