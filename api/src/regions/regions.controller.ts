import { Controller, Get, Param, Query } from '@nestjs/common';
import { Allow } from '../auth/auth.decorators';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { NotFoundError } from '../common/errors';
import { openApiSchema, ZodPipe } from '../common/zod.pipe';
import { RegionCompareService } from './compare.service';
import { RegionsRepository } from './regions.repository';
import {
  CompareQuery,
  compareQuerySchema,
  compareResponseSchema,
  IndicatorQuery,
  indicatorQuerySchema,
  indicatorRowSchema,
  institutionSchema,
  RegionQuery,
  regionQuerySchema,
  regionSchema,
} from './regions.schemas';

const codeSchema = z.string().regex(/^[0-9]{6}$/, '须为 6 位行政区划代码 (six-digit GB/T 2260 code)');

@ApiTags('regions 地区')
@Controller('regions')
export class RegionsController {
  constructor(
    private readonly repo: RegionsRepository,
    private readonly compareService: RegionCompareService,
  ) {}

  @Get()
  @Allow('read')
  @ApiOperation({ summary: '行政区划列表 (regions: provinces and prefecture cities, GB/T 2260)' })
  @ApiQuery({ name: 'level', required: false, description: '0 全国, 1 省, 2 地市' })
  @ApiQuery({ name: 'parent', required: false, description: '上级代码 (parent code)' })
  @ApiQuery({ name: 'pilot', required: false, description: 'true: 试点地区 only' })
  @ApiQuery({ name: 'comparable', required: false, description: 'true: 区域对比可选的地区——权限范围内的地区及全部试点地区 (the regions GET /api/regions/compare may show)' })
  @ApiOkResponse({ schema: openApiSchema(z.array(regionSchema)) })
  list(@Query(new ZodPipe(regionQuerySchema)) q: RegionQuery) {
    return this.repo.list(q);
  }

  @Get('compare')
  @Allow('read')
  @ApiOperation({
    summary: '区域对比 (several regions side by side: indicators, 调价总量, net impact by category)',
    description:
      '按 codes 的顺序，每个地区给出：启动条件评估所读年度（轮次年度的上一年）的指标值（与 /api/regions/:code/indicators 同一查询，' +
      '公报优先）；该年度的调价轮次（未给 year 时为最新轮次）；其调价总量（与 /api/rounds/:id/total 相同）；该轮次最近更新的调价方案' +
      '的按项目类别净调价（与 /api/scenarios/:id/impact 的 summary 相同），并注明方案。没有轮次、方案或无法测算时为 null，原因以代码给出' +
      '（REGION.NO_ROUND、ROUND.NO_SCENARIO 或测算的错误代码）。\n\n' +
      '访问规则：用户可对比其权限范围内的地区，以及任何试点地区（region.pilot 非空）——试点地区之间交换汇总数据（指标、调价总量、' +
      '按类别净调价；不含项目价格）。其他地区与未知代码一样返回 404 REGION.NOT_FOUND。\n\n' +
      'Access: a region in your scope, or any pilot region (region.pilot not null) for every user with `read` — the pilots ' +
      'exchange these aggregates (indicators, totals, net impact by category; no item prices). Any other region answers ' +
      '404 REGION.NOT_FOUND, as an unknown code does.',
  })
  @ApiQuery({ name: 'codes', required: true, description: '2–8 个地区代码，逗号分隔，不重复，如 130200,320500,350200' })
  @ApiQuery({ name: 'year', required: false, description: '轮次年度，如 2024（默认：各地区最新轮次）' })
  @ApiOkResponse({ schema: openApiSchema(compareResponseSchema) })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED，details 给出 query.codes / query.year' })
  @ApiNotFoundResponse({ description: 'REGION.NOT_FOUND: an unknown code, or a region neither in your scope nor a pilot' })
  compare(@Query(new ZodPipe(compareQuerySchema)) q: CompareQuery) {
    return this.compareService.compare(q);
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
