/**
 * Room `loads`: the loaded data — the load batches (lineage of every loaded row), what is loaded per region, and the
 * 数据管理 page's uploads: files streamed to disk, checked or loaded by the ETL's own loaders as a polled job, and the
 * removal of a batch.
 *
 * Owns: loads.controller.ts (/api/loads…, /api/data/summary), loads.service.ts (upload jobs, removal through
 * etl/src/remove.ts), loads.uploads.ts (multipart to disk, size and type checks), loads.repository.ts, loads.schemas.ts.
 */
import { Module } from '@nestjs/common';
import { LoadsController } from './loads.controller';
import { LoadsRepository } from './loads.repository';
import { LoadsService } from './loads.service';

@Module({
  controllers: [LoadsController],
  providers: [LoadsRepository, LoadsService],
})
export class LoadsModule {}
