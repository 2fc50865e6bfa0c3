/**
 * Room `monitoring`: 跟踪监测评估 of an implemented round — the forecast it was approved on against ΔP × the volumes
 * of a later year, overall, by category and level, and the items whose volumes moved most.
 *
 * Owns: monitoring.controller.ts (/api/rounds/:id/monitoring, …/monitoring/months), monitoring.service.ts,
 * monitoring.repository.ts (the volumes by month), monitoring.schemas.ts. Reads through facts and scenarios; builds on
 * rounds; the monthly math is domain/monitoring/monthly.ts.
 */
import { Module } from '@nestjs/common';
import { FactsModule } from '../facts/facts.module';
import { RoundsModule } from '../rounds/rounds.module';
import { ScenariosModule } from '../scenarios/scenarios.module';
import { MonitoringController } from './monitoring.controller';
import { MonitoringRepository } from './monitoring.repository';
import { MonitoringService } from './monitoring.service';

@Module({
  imports: [FactsModule, RoundsModule, ScenariosModule],
  controllers: [MonitoringController],
  providers: [MonitoringService, MonitoringRepository],
})
export class MonitoringModule {}
