import { Controller, Get, Param, Query } from '@nestjs/common';
import { Allow } from '../auth/auth.decorators';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ZodPipe } from '../common/zod.pipe';
import { monitoringQuerySchema, type MonitoringQuery } from './monitoring.schemas';
import { MonitoringService } from './monitoring.service';
import { idSchema } from '../rounds/rounds.schemas';

@ApiTags('monitoring 跟踪监测')
@Controller('rounds')
export class MonitoringController {
  constructor(private readonly monitoring: MonitoringService) {}

  @Get(':id/monitoring')
  @Allow('read')
  @ApiOperation({
    summary: '已实施轮次的跟踪监测：预测与实际对比（按类别、等级）及服务量变动 (monitoring of an implemented round)',
    description:
      '预测值 = ΔP × 基期公立医疗机构服务量，实际值 = ΔP × 监测年度服务量。监测年度无服务量时返回 422 MONITORING.NO_VOLUMES 并指明年度。',
  })
  @ApiParam({ name: 'id', type: Number })
  @ApiQuery({ name: 'year', required: false, type: Number })
  @ApiQuery({ name: 'top', required: false, type: Number })
  get(@Param('id', new ZodPipe(idSchema)) id: number, @Query(new ZodPipe(monitoringQuerySchema)) q: MonitoringQuery) {
    return this.monitoring.monitoring(id, q);
  }

  @Get(':id/monitoring/months')
  @Allow('read')
  @ApiOperation({
    summary: '已实施轮次的月度监测：每月预测与实际（合计与按类别）(monitoring by month)',
    description:
      '每月预测值 = ΔP × 基期公立医疗机构全年服务量 ÷ 12，每月实际值 = ΔP × 该月公立医疗机构服务量；未导入的月份没有实际值（null），reportedMonths 列出已有数据的月份。',
  })
  @ApiParam({ name: 'id', type: Number })
  @ApiQuery({ name: 'year', required: false, type: Number })
  months(@Param('id', new ZodPipe(idSchema)) id: number, @Query(new ZodPipe(monitoringQuerySchema)) q: MonitoringQuery) {
    return this.monitoring.months(id, q);
  }
}
