import { Module } from '@nestjs/common';
import { PricingDataRepository } from './pricing-data.repository';
import { BaseDataCache } from './region-facts.cache';

/**
 * The loaded facts every computation of a round reads: a region's items, prices in force, base-year volumes (by level
 * and by hospital), costs, fund shares, indicators and the other regions' prices (PricingDataRepository, all SQL), and
 * the in-memory cache of them per data revision (BaseDataCache). It owns no endpoint.
 */
@Module({
  providers: [PricingDataRepository, BaseDataCache],
  exports: [PricingDataRepository, BaseDataCache],
})
export class FactsModule {}
