import { Controller, Get, Headers, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { Allow } from '../auth/auth.decorators';
import { ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ZodPipe } from '../common/zod.pipe';
import { ARROW_STREAM, itemsToArrow } from './impact.arrow';
import { CompareService } from './compare.service';
import { compareQuerySchema, impactQuerySchema, itemsQuerySchema, type CompareQuery, type ImpactQuery, type ItemsQuery } from './impact.schemas';
import { ImpactService } from './impact.service';
import { idSchema } from '../rounds/rounds.schemas';


@ApiTags('impact 影响测算')
@Controller()
export class ImpactController {
  constructor(
    private readonly impact: ImpactService,
    private readonly comparison: CompareService,
  ) {}

  @Get('rounds/:id/compare')
  @Allow('read')
  @ApiOperation({
    summary: '调价方案比较（2–4 个方案的汇总指标、检查结果，以及新价不同的项目）(compare scenarios of a round)',
    description: 'scenarios=12,15[,…]：同一轮次的 2 至 4 个调价方案；items 只列出各方案新价不相同的项目（未调整的方案按现行价格）。',
  })
  @ApiParam({ name: 'id', type: Number, description: '调价轮次 id (round id)' })
  @ApiQuery({ name: 'scenarios', required: true, type: String, example: '12,15' })
  compare(@Param('id', new ZodPipe(idSchema)) id: number, @Query(new ZodPipe(compareQuerySchema)) q: CompareQuery) {
    return this.comparison.compare(id, q.scenarios);
  }

  @Get('scenarios/:id/impact')
  @Allow('read')
  @ApiOperation({
    summary: '调价方案影响测算（净额、基金与个人负担、分类/等级/医院、医疗服务收入占比、跨地区价格位置）(scenario impact)',
    description:
      '基期公立医疗机构服务量 × 价格变动；恒等式：上调 − 下调 = 净额，基金 + 个人自付 = 净额。检查项目带稳定代码（SCENARIO.OVER_BUDGET 等）。',
  })
  @ApiParam({ name: 'id', type: Number })
  @ApiQuery({
    name: 'include', required: false, type: String, example: 'hospitals,positions',
    description: '汇总之外的部分：hospitals（按医院、医院类型）、positions（跨地区价格位置）；默认只返回汇总 (parts beside the summary)',
  })
  get(@Param('id', new ZodPipe(idSchema)) id: number, @Query(new ZodPipe(impactQuerySchema)) q: ImpactQuery) {
    return this.impact.impact(id, q.include);
  }

  @Get('scenarios/:id/facts')
  @Allow('read')
  @ApiOperation({
    summary: '调价方案所在轮次的基础数据（Arrow IPC 流），供网页在每次编辑时按同一算法即时重算影响 (base facts for the browser recompute, Arrow)',
    description: '每个在价格日期有价格的项目 × 医院等级一行（原价、基期服务量、基金支付比例、成本、技术劳务占比），以及调价总量、参数与医疗服务收入占比指标（schema metadata "mspr"）。',
  })
  @ApiParam({ name: 'id', type: Number })
  @ApiProduces(ARROW_STREAM)
  async facts(@Param('id', new ZodPipe(idSchema)) id: number) {
    const buf = await this.impact.facts(id);
    return new StreamableFile(buf, { type: ARROW_STREAM, length: buf.byteLength });
  }

  @Get('scenarios/:id/impact/items')
  @Allow('read')
  @ApiOperation({
    summary: '调价项目影响明细表（JSON，或 Accept: application/vnd.apache.arrow.stream 时为 Arrow IPC 流）(item table, JSON or Arrow)',
  })
  @ApiParam({ name: 'id', type: Number })
  @ApiQuery({ name: 'scope', required: false, enum: ['changed', 'all'] })
  @ApiQuery({ name: 'offset', required: false, type: Number, description: '分页：从第几行开始（0 起）；X-Total-Count 为总行数' })
  @ApiQuery({ name: 'limit', required: false, type: Number, description: '分页：每页行数' })
  @ApiProduces('application/json', ARROW_STREAM)
  async items(
    @Param('id', new ZodPipe(idSchema)) id: number,
    @Query(new ZodPipe(itemsQuerySchema)) q: ItemsQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const all = await this.impact.items(id, q.scope === 'all');
    const rows = q.offset > 0 || q.limit !== undefined ? all.slice(q.offset, q.limit === undefined ? undefined : q.offset + q.limit) : all;
    res.setHeader('X-Total-Count', String(all.length));
    res.setHeader('Vary', 'Accept');
    if ((accept ?? '').toLowerCase().includes(ARROW_STREAM)) {
      const buf = itemsToArrow(rows);
      return new StreamableFile(buf, { type: ARROW_STREAM, length: buf.byteLength });
    }
    return rows;
  }
}
