import { Module } from '@nestjs/common';
import { FactsModule } from '../facts/facts.module';
import { RoundsModule } from '../rounds/rounds.module';
import { ScenariosModule } from '../scenarios/scenarios.module';
import { MonitoringController } from './monitoring.controller';
import { MonitoringService } from './monitoring.service';

/** Monitoring of an implemented round: the planned against the observed volumes and revenue after 执行日期. */
@Module({
  imports: [FactsModule, RoundsModule, ScenariosModule],
  controllers: [MonitoringController],
  providers: [MonitoringService],
})
export class MonitoringModule {}
