/**
 * Room `briefing`: what leaves the product as documents — the PDF 测算简报 of a round and one scenario, and the Excel
 * files of a scenario (the 调价项目表, importable back into the scenario, and the impact tables).
 *
 * Owns: briefing.controller.ts (GET /api/rounds/:id/briefing.pdf, /api/scenarios/:id/items.xlsx and impact.xlsx),
 * briefing.service.ts (gathers the figures from the rooms that own them; computes none), briefing.content.ts (the
 * sentences and rows, pure), briefing.charts.ts (ECharts SSR SVG from the web app's option builders), briefing.pdf.ts
 * (pdfkit layout), briefing.xlsx.ts (exceljs), briefing.repository.ts (load batches), briefing.cli.ts
 * (npm run briefing). Builds on impact, forecast, rounds, scenarios and rule-sets.
 */
import { Module } from '@nestjs/common';
import { ForecastModule } from '../forecast/forecast.module';
import { ImpactModule } from '../impact/impact.module';
import { RoundsModule } from '../rounds/rounds.module';
import { RuleSetsModule } from '../rule-sets/rule-sets.module';
import { ScenariosModule } from '../scenarios/scenarios.module';
import { BriefingController } from './briefing.controller';
import { BriefingRepository } from './briefing.repository';
import { BriefingService } from './briefing.service';

@Module({
  imports: [ImpactModule, ForecastModule, RoundsModule, ScenariosModule, RuleSetsModule],
  controllers: [BriefingController],
  providers: [BriefingService, BriefingRepository],
  exports: [BriefingService],
})
export class BriefingModule {}
