import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { AppConfig } from './config/config';
import { CONFIG, DATABASE_MODE, LOGGER } from './common/tokens';
import { dataSourceOptions } from './database/data-source';
import { resilientDataSource } from './database/resilient';
import { HealthController } from './health/health.controller';
import { HealthRepository } from './health/health.repository';
import { LoadsModule } from './loads/loads.module';
import { ForecastModule } from './forecast/forecast.module';
import { BriefingModule } from './briefing/briefing.module';
import { ImpactModule } from './impact/impact.module';
import { VersionsModule } from './versions/versions.module';
import { MonitoringModule } from './monitoring/monitoring.module';
import { QuotesModule } from './quotes/quotes.module';
import { RoundsModule } from './rounds/rounds.module';
import { ScenariosModule } from './scenarios/scenarios.module';
import { RuleSetsModule } from './rule-sets/rule-sets.module';
import { RegionsModule } from './regions/regions.module';
import { AuthModule } from './auth/auth.module';
import { AnalysisModule } from './analysis/analysis.module';
import { CatalogueModule } from './catalogue/catalogue.module';
import { AuditModule } from './audit/audit.module';

export interface AppModuleOptions {
  config: AppConfig;
  databaseUrl: string;
  databaseMode: 'server' | 'embedded';
  logger: Logger;
}

/** The boot-time values (configuration, logger, database mode) for every module. */
@Module({})
class CoreModule {}

@Module({})
export class AppModule {
  static forRoot(o: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        {
          module: CoreModule,
          global: true,
          providers: [
            { provide: CONFIG, useValue: o.config },
            { provide: LOGGER, useValue: o.logger },
            { provide: DATABASE_MODE, useValue: o.databaseMode },
          ],
          exports: [CONFIG, LOGGER, DATABASE_MODE],
        },
        TypeOrmModule.forRootAsync({
          // a pooled connection that broke while idle is dropped by the pool: a warning in the log, never fatal
          useFactory: () => dataSourceOptions(o.databaseUrl, o.config.database.poolSize, (e) => o.logger.warn({ err: e.message }, 'database connection lost (idle)')),
          dataSourceFactory: resilientDataSource,
        }),
        AuthModule, RuleSetsModule, RoundsModule, ScenariosModule, ImpactModule, VersionsModule, QuotesModule, MonitoringModule, ForecastModule, BriefingModule, LoadsModule, AuditModule,
        AnalysisModule, CatalogueModule, RegionsModule,
      ],
      controllers: [HealthController],
      providers: [HealthRepository],
    };
  }
}
