/**
 * Room `facts`: the loaded facts every computation of a round reads — a region's items, prices in force, base-year
 * volumes (by level and by hospital), costs, 医保支付比例, indicators and the other regions' prices — and nothing else.
 *
 * Owns: pricing-data.repository.ts (every SQL read of those facts, and the data revision kept by triggers) and
 * region-facts.cache.ts (the facts in memory per region, price date and data revision). No endpoint; used by rounds,
 * scenarios, impact, quotes and monitoring.
 */
import { Module } from '@nestjs/common';
import { PricingDataRepository } from './pricing-data.repository';
import { BaseDataCache } from './region-facts.cache';

@Module({
  providers: [PricingDataRepository, BaseDataCache],
  exports: [PricingDataRepository, BaseDataCache],
})
export class FactsModule {}
