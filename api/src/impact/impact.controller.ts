import { Controller, Get, Headers, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { ZodPipe } from '../common/zod.pipe';
import { ARROW_STREAM, itemsToArrow } from './impact.arrow';
import { ImpactService } from './impact.service';
import { idSchema } from '../rounds/rounds.schemas';

const itemsQuery = z
  .object({
    /** changed (default): the scenario's changes; all: every priced item and level of the region. */
    scope: z.enum(['changed', 'all']).default('changed'),
  })
  .strict();

@ApiTags('impact 影响测算')
@Controller('scenarios')
export class ImpactController {
  constructor(private readonly impact: ImpactService) {}

  @Get(':id/impact')
  @ApiOperation({
    summary: '调价方案影响测算（净额、基金与个人负担、分类/等级/医院、医疗服务收入占比、跨地区价格位置）(scenario impact)',
    description:
      '基期公立医疗机构服务量 × 价格变动；恒等式：上调 − 下调 = 净额，基金 + 个人自付 = 净额。检查项目带稳定代码（SCENARIO.OVER_BUDGET 等）。',
  })
  @ApiParam({ name: 'id', type: Number })
  get(@Param('id', new ZodPipe(idSchema)) id: number) {
    return this.impact.impact(id);
  }

  @Get(':id/impact/items')
  @ApiOperation({
    summary: '调价项目影响明细表（JSON，或 Accept: application/vnd.apache.arrow.stream 时为 Arrow IPC 流）(item table, JSON or Arrow)',
  })
  @ApiParam({ name: 'id', type: Number })
  @ApiQuery({ name: 'scope', required: false, enum: ['changed', 'all'] })
  @ApiProduces('application/json', ARROW_STREAM)
  async items(
    @Param('id', new ZodPipe(idSchema)) id: number,
    @Query(new ZodPipe(itemsQuery)) q: z.infer<typeof itemsQuery>,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const rows = await this.impact.items(id, q.scope === 'all');
    res.setHeader('Vary', 'Accept');
    if ((accept ?? '').toLowerCase().includes(ARROW_STREAM)) {
      const buf = itemsToArrow(rows);
      return new StreamableFile(buf, { type: ARROW_STREAM, length: buf.byteLength });
    }
    return rows;
  }
}
