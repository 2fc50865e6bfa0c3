/**
 * Room `versions`: every save of a scenario's changes is a version — the list (who, when, which action, how many
 * changes), one version's change list, two versions compared (the items that differ and the impact of each with
 * their difference) and a restore of an earlier version as the newest one.
 *
 * Owns: versions.controller.ts (/api/scenarios/:id/versions…) and versions.service.ts. The versions are written by
 * the scenarios room's write path (scenarios.repository.ts → versions.repository.ts, table scenario_version) in each
 * save's transaction; this room reads them and computes the impact through the impact room. Builds on scenarios and
 * impact.
 */
import { Module } from '@nestjs/common';
import { ImpactModule } from '../impact/impact.module';
import { ScenariosModule } from '../scenarios/scenarios.module';
import { VersionsController } from './versions.controller';
import { VersionsService } from './versions.service';

@Module({
  imports: [ScenariosModule, ImpactModule],
  controllers: [VersionsController],
  providers: [VersionsService],
})
export class VersionsModule {}
