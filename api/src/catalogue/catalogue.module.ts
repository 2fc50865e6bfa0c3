/**
 * Room `catalogue`: the guideline catalogue (立项指南) with its mapping tables (映射关系) and a region's carried-over
 * prices (价格平移) with the carry-over report.
 *
 * Owns: catalogue.controller.ts (/api/regions/:code/catalogue), catalogue.service.ts (the search, the response),
 * catalogue.repository.ts (the reads, and the ETL's carry-over computation run on the API's connection),
 * catalogue.schemas.ts. The arithmetic is domain/carry-over.ts.
 */
import { Module } from '@nestjs/common';
import { CatalogueController } from './catalogue.controller';
import { CatalogueRepository } from './catalogue.repository';
import { CatalogueService } from './catalogue.service';

@Module({
  controllers: [CatalogueController],
  providers: [CatalogueService, CatalogueRepository],
})
export class CatalogueModule {}
