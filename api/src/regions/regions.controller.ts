import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { NotFoundError } from '../common/errors';
import { openApiSchema, ZodPipe } from '../common/zod.pipe';
import { RegionsRepository } from './regions.repository';
import { RegionQuery, regionQuerySchema, regionSchema } from './regions.schemas';

const codeSchema = z.string().regex(/^[0-9]{6}$/, '须为 6 位行政区划代码 (six-digit GB/T 2260 code)');

@ApiTags('regions 地区')
@Controller('regions')
export class RegionsController {
  constructor(private readonly repo: RegionsRepository) {}

  @Get()
  @ApiOperation({ summary: '行政区划列表 (regions: provinces and prefecture cities, GB/T 2260)' })
  @ApiQuery({ name: 'level', required: false, description: '0 全国, 1 省, 2 地市' })
  @ApiQuery({ name: 'parent', required: false, description: '上级代码 (parent code)' })
  @ApiQuery({ name: 'pilot', required: false, description: 'true: 试点地区 only' })
  @ApiOkResponse({ schema: openApiSchema(z.array(regionSchema)) })
  list(@Query(new ZodPipe(regionQuerySchema)) q: RegionQuery) {
    return this.repo.list(q);
  }

  @Get(':code')
  @ApiOperation({ summary: '单个地区 (one region)' })
  @ApiOkResponse({ schema: openApiSchema(regionSchema) })
  async get(@Param('code', new ZodPipe(codeSchema)) code: string) {
    const r = await this.repo.get(code);
    if (!r) throw new NotFoundError('REGION.NOT_FOUND', `地区代码 ${code} 不存在 (unknown region code)`);
    return r;
  }
}
