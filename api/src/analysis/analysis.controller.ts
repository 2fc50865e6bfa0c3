import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/auth.decorators';
import { ZodPipe } from '../common/zod.pipe';
import { idSchema } from '../rounds/rounds.schemas';
import { priceSpreadQuerySchema, type PriceSpreadQuery } from './analysis.schemas';
import { AnalysisService } from './analysis.service';

@ApiTags('analysis 分析')
@Controller()
export class AnalysisController {
  constructor(private readonly analysis: AnalysisService) {}

  @Get('scenarios/:id/cost-value')
  @Allow('read')
  @ApiOperation({
    summary: '成本比价：每个项目 × 医院等级的价格、单位成本与人力资源消耗相对值，调价前后；按类别与等级汇总 (price against cost and relative value)',
    description:
      '成本回收率 = 价格 ÷ 单位成本；比价 = 价格 ÷ 人力资源消耗相对值（2023 技术规范，按映射关系取得）。汇总按基期服务量加权：Σ P·Q ÷ Σ C·Q、Σ P·Q ÷ Σ RV·Q；无服务量时每个项目计一次。',
  })
  @ApiParam({ name: 'id', type: Number, description: '调价方案 id (scenario id)' })
  costValue(@Param('id', new ZodPipe(idSchema)) id: number) {
    return this.analysis.costValue(id);
  }

  @Get('scenarios/:id/price-spread')
  @Allow('read')
  @ApiOperation({
    summary: '区域比价：一个项目在其他地区的价格分布（箱线图五数），本地区现行价格与方案新价格及其百分位 (one item among the other regions\' prices)',
    description: '每个医院等级一行：其他地区在价格日期执行的同一项目编码、同一等级价格的最小值、四分位数（线性插值）、中位数、最大值。',
  })
  @ApiParam({ name: 'id', type: Number, description: '调价方案 id (scenario id)' })
  @ApiQuery({ name: 'item', required: true, type: String, example: '310100001' })
  priceSpread(@Param('id', new ZodPipe(idSchema)) id: number, @Query(new ZodPipe(priceSpreadQuerySchema)) q: PriceSpreadQuery) {
    return this.analysis.priceSpread(id, q.item);
  }
}
