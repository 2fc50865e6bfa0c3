import { Controller, Get, Headers, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { Allow } from '../auth/auth.decorators';
import { ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ZodPipe } from '../common/zod.pipe';
import { idSchema } from '../rounds/rounds.schemas';
import { ARROW_STREAM, drawsToArrow } from './forecast.arrow';
import { burdenQuerySchema, forecastQuerySchema, type BurdenOptions, type ForecastQuery } from './forecast.schemas';
import { ForecastService } from './forecast.service';

@ApiTags('forecast 预测与负担')
@Controller()
export class ForecastController {
  constructor(private readonly forecasts: ForecastService) {}

  @Get('scenarios/:id/forecast')
  @Allow('read')
  @ApiOperation({
    summary: '服务量响应下的调价影响预测（P10/P50/P90 与精确范围，静态测算并列，总量与基金上限检查）(forecast band under volume response)',
    description:
      '假设（均可省略，取默认值并在响应中列出）：year 预测年份；elasticity=-0.3,-0.1 价格弹性区间，elasticity.<类别代码> 单独设定；elasticityDraw=common|independent；' +
      'recognition=0.02,0.08 检查检验结果互认减少比例，recognitionCategories、recognitionItems 标记的类别和项目，recognitionYears=2025:0.6667,2027:1 按年份的进度权重；' +
      'trend=history|none 服务量趋势；draws（偶数）、seed 抽样次数与种子；fanYears 扇形图年数。Accept: application/vnd.apache.arrow.stream 或 format=arrow 时返回每次抽样的 Arrow IPC 流。',
  })
  @ApiParam({ name: 'id', type: Number, description: '调价方案 id (scenario id)' })
  @ApiQuery({ name: 'elasticity', required: false, type: String, example: '-0.3,-0.1' })
  @ApiQuery({ name: 'recognition', required: false, type: String, example: '0.02,0.08' })
  @ApiQuery({ name: 'year', required: false, type: Number })
  @ApiProduces('application/json', ARROW_STREAM)
  async forecast(
    @Param('id', new ZodPipe(idSchema)) id: number,
    @Query(new ZodPipe(forecastQuerySchema)) q: ForecastQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    res.setHeader('Vary', 'Accept');
    const arrow = q.format === 'arrow' || (accept ?? '').toLowerCase().includes(ARROW_STREAM);
    if (!arrow) return this.forecasts.forecast(id, q.assumptions);
    const { response, result } = await this.forecasts.run(id, q.assumptions);
    const buf = drawsToArrow(result, response);
    return new StreamableFile(buf, { type: ARROW_STREAM, length: buf.byteLength });
  }

  @Get('scenarios/:id/burden')
  @Allow('read')
  @ApiOperation({
    summary: '调价后患者负担：各等级医院次均住院、次均门诊费用的变化，按基本医保、大病保险、惠民保、医疗救助、个人自付分担（普通参保人与救助对象）(patient burden per insurance layer)',
    description:
      '需要地区的医保待遇政策表（etl kind insurance-policy）。假设（均可省略）：scheme=resident|employee；staySigma 住院费用对数正态分布的 σ（默认 0.9）；' +
      'stayMean=12765,6205,2943 次均住院费用（元，三级,二级,一级）；visitCost 次均门诊费用（元，一个或三个）；visitsPerYear 年人均门诊次数；itemShare 医疗服务项目占费用比例；nodes 积分节点数。',
  })
  @ApiParam({ name: 'id', type: Number, description: '调价方案 id (scenario id)' })
  @ApiQuery({ name: 'scheme', required: false, enum: ['resident', 'employee'] })
  burden(@Param('id', new ZodPipe(idSchema)) id: number, @Query(new ZodPipe(burdenQuerySchema)) q: BurdenOptions) {
    return this.forecasts.burden(id, q);
  }
}
