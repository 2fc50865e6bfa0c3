/**
 * Room `regions`: the administrative regions (GB/T 2260) with their pilot label, their institutions, their indicator
 * values, and 区域对比 — several regions side by side (indicators, 调价总量, net impact by category), reusing the
 * rounds' total and the impact of a scenario.
 *
 * Owns: regions.controller.ts (/api/regions…), regions.repository.ts (region, institution, indicator_value reads and
 * the compared regions' rounds and scenarios), compare.service.ts, regions.schemas.ts.
 */
import { Module } from '@nestjs/common';
import { ImpactModule } from '../impact/impact.module';
import { RoundsModule } from '../rounds/rounds.module';
import { RegionCompareService } from './compare.service';
import { RegionsController } from './regions.controller';
import { RegionsRepository } from './regions.repository';

@Module({
  imports: [RoundsModule, ImpactModule],
  controllers: [RegionsController],
  providers: [RegionsRepository, RegionCompareService],
})
export class RegionsModule {}
