import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Allow } from '../auth/auth.decorators';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { z } from 'zod';
import { ZodPipe } from '../common/zod.pipe';
import type { RuleSet } from '../domain/triggers';
import {
  docSchema,
  type EvaluateBody,
  evaluateBodySchema,
  type EvaluateRegionsBody,
  evaluateRegionsBodySchema,
  idParamSchema,
  type ListQuery,
  listQuerySchema,
  regionCodeSchema,
  type RegionEvaluationQuery,
  regionEvaluationQuerySchema,
  ruleSetBodyDoc,
  ruleSetBodySchema,
  ruleSetDetailSchema,
  ruleSetSummarySchema,
  triggerResultSchema,
} from './rule-sets.schemas';
import { RuleSetsService } from './rule-sets.service';

const errorSchema = docSchema(
  z.object({
    statusCode: z.number(),
    code: z.string().describe('稳定的错误代码，如 VALIDATION.FAILED、RULE_SET.NOT_FOUND、REGION.NOT_FOUND'),
    message: z.string(),
    details: z.unknown().optional().describe('校验失败时为 [{ path, message }]，path 如 body.rules.0.threshold'),
  }),
);
const resultSchema = docSchema(triggerResultSchema);

@ApiTags('rule-sets 触发规则')
@Controller('rule-sets')
export class RuleSetsController {
  constructor(private readonly service: RuleSetsService) {}

  @Get()
  @Allow('read')
  @ApiOperation({
    summary: '触发规则集列表 (rule sets; latest version of each by default)',
    description: '默认每个规则集只列最新版本，allVersions=true 列出全部版本；includePresets=false 不列全国预设规则集。',
  })
  @ApiQuery({ name: 'region', required: false, description: '地区代码：只列该地区的规则集（及预设）' })
  @ApiQuery({ name: 'includePresets', required: false, description: 'true（默认）：包含预设规则集' })
  @ApiQuery({ name: 'allVersions', required: false, description: 'true：列出所有版本' })
  @ApiOkResponse({ schema: docSchema(z.array(ruleSetSummarySchema)) })
  @ApiBadRequestResponse({ schema: errorSchema })
  list(@Query(new ZodPipe(listQuerySchema)) q: ListQuery) {
    return this.service.list(q);
  }

  @Post()
  @Allow('write')
  @ApiOperation({
    summary: '新建规则集或新版本 (create a rule set; same region and name → version n + 1)',
    description:
      '请求体为规则集 JSON。若本地区已有同名规则集，则保存为新版本 n+1（已保存的版本不可修改）；请求体中的 version 不被采用，以返回的 version 为准。' +
      '校验失败返回 400，details 给出字段路径（如 body.rules.0.threshold）。',
  })
  @ApiBody({ schema: ruleSetBodyDoc(ruleSetBodySchema) })
  @ApiCreatedResponse({ schema: docSchema(ruleSetDetailSchema) })
  @ApiBadRequestResponse({ schema: errorSchema, description: '规则集 JSON 无效 (invalid rule set)' })
  @ApiUnprocessableEntityResponse({ schema: errorSchema, description: '地区代码不存在，或为全国预设地区 000000' })
  create(@Body(new ZodPipe(ruleSetBodySchema)) body: RuleSet) {
    return this.service.create(body);
  }

  @Post('evaluate')
  @Allow('read')
  @HttpCode(200)
  @ApiOperation({
    summary: '触发条件评估 (evaluate a stored or ad-hoc rule set for a region and year)',
    description:
      '给出 ruleSetId（已保存或预设的规则集）或 ruleSet（临时规则集 JSON）之一。给出 values 时只用请求中的指标值，不读数据库；' +
      '否则读取该地区本身的指标值（不用上级或全国数据代替，缺少即为缺少）。year 为评估年度，规则默认读取上一年的数据。',
  })
  @ApiBody({ schema: ruleSetBodyDoc(evaluateBodySchema, ['ruleSet']) })
  @ApiOkResponse({ schema: resultSchema })
  @ApiBadRequestResponse({ schema: errorSchema })
  @ApiNotFoundResponse({ schema: errorSchema, description: 'RULE_SET.NOT_FOUND 或 REGION.NOT_FOUND' })
  evaluate(@Body(new ZodPipe(evaluateBodySchema)) body: EvaluateBody) {
    return this.service.evaluate(body);
  }

  @Post('evaluate-regions')
  @Allow('read')
  @HttpCode(200)
  @ApiOperation({
    summary: '多地区触发条件评估 (evaluate one rule set for many regions, or every region with indicator data, in a year)',
    description:
      '给出 regionCodes（最多 400 个）或省略（全部有相关指标数据的地区）；每个地区只用本地区的指标值，返回每条规则的证据与结论，以及触发/受约束/未启动/数据不足的地区数。',
  })
  @ApiBody({ schema: ruleSetBodyDoc(evaluateRegionsBodySchema, ['ruleSet']) })
  @ApiBadRequestResponse({ description: '请求无效，details 给出字段路径（如 body.regionCodes.2）', schema: errorSchema })
  evaluateRegions(@Body(new ZodPipe(evaluateRegionsBodySchema)) body: EvaluateRegionsBody) {
    return this.service.evaluateRegions(body);
  }

  @Get(':id')
  @Allow('read')
  @ApiOperation({ summary: '单个规则集（含规则 JSON） (one rule set with its definition)' })
  @ApiParam({ name: 'id', description: '规则集编号' })
  @ApiOkResponse({ schema: docSchema(ruleSetDetailSchema) })
  @ApiNotFoundResponse({ schema: errorSchema, description: 'RULE_SET.NOT_FOUND' })
  get(@Param('id', new ZodPipe(idParamSchema)) id: number) {
    return this.service.get(id);
  }
}

@ApiTags('rule-sets 触发规则')
@Controller('regions')
export class RegionEvaluationController {
  constructor(private readonly service: RuleSetsService) {}

  @Get(':code/evaluation')
  @Allow('read')
  @ApiOperation({
    summary: '地区年度触发评估 (evaluate the rule set in force for a region and year)',
    description:
      '采用该地区（或其所属上级地区）在该年度有效的规则集的最新版本；没有时采用 ruleSetId 指定的预设规则集；两者都没有时返回 404 RULE_SET.NONE_FOR_REGION（details 列出预设规则集）。',
  })
  @ApiParam({ name: 'code', description: '地区代码 (six-digit region code)' })
  @ApiQuery({ name: 'year', required: true, description: '评估年度，如 2025（读取 2024 年数据）' })
  @ApiQuery({ name: 'ruleSetId', required: false, description: '本地区无有效规则集时采用的预设规则集编号' })
  @ApiQuery({ name: 'kind', required: false, description: 'regular（默认，常规调整）或 special（专项调整，不受约束条件限制）' })
  @ApiQuery({ name: 'lastEvaluationYear', required: false, description: '上次评估年度（核对评估周期）' })
  @ApiOkResponse({ schema: resultSchema })
  @ApiBadRequestResponse({ schema: errorSchema })
  @ApiNotFoundResponse({ schema: errorSchema, description: 'REGION.NOT_FOUND、RULE_SET.NOT_FOUND 或 RULE_SET.NONE_FOR_REGION' })
  evaluate(@Param('code', new ZodPipe(regionCodeSchema)) code: string, @Query(new ZodPipe(regionEvaluationQuerySchema)) q: RegionEvaluationQuery) {
    return this.service.evaluateRegion(code, q);
  }
}
