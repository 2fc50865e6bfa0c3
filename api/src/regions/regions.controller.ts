import { Controller, Get, Param, Query } from '@nestjs/common';
import { Allow } from '../auth/auth.decorators';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { NotFoundError } from '../common/errors';
import { openApiSchema, ZodPipe } from '../common/zod.pipe';
import { RegionsRepository } from './regions.repository';
import { IndicatorQuery, indicatorQuerySchema, indicatorRowSchema, institutionSchema, RegionQuery, regionQuerySchema, regionSchema } from './regions.schemas';

const codeSchema = z.string().regex(/^[0-9]{6}$/, '须为 6 位行政区划代码 (six-digit GB/T 2260 code)');

@ApiTags('regions 地区')
@Controller('regions')
export class RegionsController {
  constructor(private readonly repo: RegionsRepository) {}

  @Get()
  @Allow('read')
  @ApiOperation({ summary: '行政区划列表 (regions: provinces and prefecture cities, GB/T 2260)' })
  @ApiQuery({ name: 'level', required: false, description: '0 全国, 1 省, 2 地市' })
  @ApiQuery({ name: 'parent', required: false, description: '上级代码 (parent code)' })
  @ApiQuery({ name: 'pilot', required: false, description: 'true: 试点地区 only' })
  @ApiOkResponse({ schema: openApiSchema(z.array(regionSchema)) })
  list(@Query(new ZodPipe(regionQuerySchema)) q: RegionQuery) {
    return this.repo.list(q);
  }

  @Get(':code')
  @Allow('read')
  @ApiOperation({ summary: '单个地区 (one region)' })
  @ApiOkResponse({ schema: openApiSchema(regionSchema) })
  async get(@Param('code', new ZodPipe(codeSchema)) code: string) {
    const r = await this.repo.get(code);
    if (!r) throw new NotFoundError('REGION.NOT_FOUND', `地区代码 ${code} 不存在 (unknown region code)`);
    return r;
  }

  @Get(':code/institutions')
  @Allow('read')
  @ApiOperation({ summary: '地区的医疗机构 (the institutions of a region: code, name, hospital level)' })
  @ApiOkResponse({ schema: openApiSchema(z.array(institutionSchema)) })
  @ApiNotFoundResponse({ description: 'REGION.NOT_FOUND (also a region outside your scope)' })
  async institutions(@Param('code', new ZodPipe(codeSchema)) code: string) {
    if (!(await this.repo.get(code))) throw new NotFoundError('REGION.NOT_FOUND', `地区代码 ${code} 不存在 (unknown region code)`);
    return this.repo.institutions(code);
  }

  @Get(':code/indicators')
  @Allow('read')
  @ApiOperation({
    summary: '地区指标值 (indicator values of a region: every period and release in the years)',
    description:
      '每个期间的每种发布类型（快报、公报、统计年鉴…）各为一行。累计结余可支付月数未导入时，按触发评估的口径由同期同发布类型的' +
      '累计结余 ÷ (基金支出 ÷ 12) 计算，derivedFrom 列出所用指标。未知指标代码返回 400（query.codes），未知地区返回 404 REGION.NOT_FOUND。',
  })
  @ApiQuery({ name: 'codes', required: true, description: '指标代码，逗号分隔，如 medical_total_cost_growth,fund_reserve_months,cpi_growth' })
  @ApiQuery({ name: 'from', required: false, description: '起始年度（含），如 2019' })
  @ApiQuery({ name: 'to', required: false, description: '截止年度（含），如 2024' })
  @ApiOkResponse({ schema: openApiSchema(z.array(indicatorRowSchema)) })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED，details 给出 query.codes / query.from / query.to' })
  @ApiNotFoundResponse({ description: 'REGION.NOT_FOUND' })
  async indicators(@Param('code', new ZodPipe(codeSchema)) code: string, @Query(new ZodPipe(indicatorQuerySchema)) q: IndicatorQuery) {
    if (!(await this.repo.get(code))) throw new NotFoundError('REGION.NOT_FOUND', `地区代码 ${code} 不存在 (unknown region code)`);
    return this.repo.indicators(code, q);
  }
}
