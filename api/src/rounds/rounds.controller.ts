import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { Allow } from '../auth/auth.decorators';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { openApiSchema, ZodPipe } from '../common/zod.pipe';
import { RoundsRepository } from './rounds.repository';
import {
  allocateSchema,
  createRoundSchema,
  idSchema,
  listRoundsQuerySchema,
  patchRoundSchema,
  roundSchema,
  statusChangeSchema,
  type AllocateRequest,
  type CreateRound,
  type ListRoundsQuery,
  type PatchRound,
  type StatusChange,
} from './rounds.schemas';
import { RoundsService } from './rounds.service';
import { RoundTotalService } from './total.service';

/** POST without a body is read as {}, refused for its missing version (body.version) like any body without one. */
const allocateBody = z.preprocess((v) => v ?? {}, allocateSchema);

const errorShape = '错误统一为 { statusCode, code, message, details }';

@ApiTags('rounds 调价轮次')
@Controller('rounds')
export class RoundsController {
  constructor(
    private readonly rounds: RoundsService,
    private readonly totals: RoundTotalService,
    private readonly repo: RoundsRepository,
  ) {}

  @Post()
  @Allow('write')
  @ApiOperation({ summary: '新建调价轮次（草稿）(create a round as draft)', description: `调价方案参数见 params；${errorShape}` })
  @ApiBody({ schema: openApiSchema(createRoundSchema) })
  @ApiOkResponse({ schema: openApiSchema(roundSchema) })
  create(@Body(new ZodPipe(createRoundSchema)) body: CreateRound) {
    return this.rounds.create(body);
  }

  @Get()
  @Allow('read')
  @ApiOperation({ summary: '调价轮次列表 (rounds, by region, year, kind, status)' })
  @ApiQuery({ name: 'region', required: false, description: '行政区划代码 (region code)' })
  @ApiQuery({ name: 'year', required: false })
  @ApiQuery({ name: 'kind', required: false, enum: ['regular', 'special', 'historic'] })
  @ApiQuery({ name: 'status', required: false })
  @ApiOkResponse({ schema: openApiSchema(z.array(roundSchema)) })
  list(@Query(new ZodPipe(listRoundsQuerySchema)) q: ListRoundsQuery) {
    return this.rounds.list(q);
  }

  @Get(':id')
  @Allow('read')
  @ApiOperation({ summary: '单个调价轮次 (one round)' })
  @ApiParam({ name: 'id', type: Number })
  @ApiOkResponse({ schema: openApiSchema(roundSchema) })
  get(@Param('id', new ZodPipe(idSchema)) id: number) {
    return this.rounds.get(id);
  }

  @Patch(':id')
  @Allow('write')
  @ApiOperation({
    summary: '修改调价轮次（乐观锁：须提交当前 version）(update a round; optimistic locking)',
    description: `params 中给出的键替换原值，null 删除该键；版本过期返回 409 ROUND.STALE，不保存任何更改。${errorShape}`,
  })
  @ApiParam({ name: 'id', type: Number })
  @ApiBody({ schema: openApiSchema(patchRoundSchema) })
  @ApiOkResponse({ schema: openApiSchema(roundSchema) })
  patch(@Param('id', new ZodPipe(idSchema)) id: number, @Body(new ZodPipe(patchRoundSchema)) body: PatchRound) {
    return this.rounds.patch(id, body);
  }

  @Post(':id/status')
  @Allow('write')
  @HttpCode(200)
  @ApiOperation({
    summary: '变更轮次状态 (life cycle: draft → evaluated → triggered|blocked → scenarios → approved → implemented)',
    description:
      '非法变更返回 422 ROUND.ILLEGAL_TRANSITION；受约束（blocked）的轮次仅专项调整可进入方案编制；批准时须给出 scenarioId，' +
      '并按已保存的方案重新检查（调价总量、调价幅度上限、调价项目数比例下限、价格范围），未通过返回 422 ROUND.APPROVAL_CHECKS_FAILED 并列出未通过的检查。',
  })
  @ApiParam({ name: 'id', type: Number })
  @ApiBody({ schema: openApiSchema(statusChangeSchema) })
  @ApiOkResponse({ schema: openApiSchema(roundSchema) })
  status(@Param('id', new ZodPipe(idSchema)) id: number, @Body(new ZodPipe(statusChangeSchema)) body: StatusChange) {
    return this.rounds.changeStatus(id, body);
  }

  @Get(':id/total')
  @Allow('read')
  @ApiOperation({
    summary: '调价总量测算（瀑布图各步及其输入）(adjustment total as a waterfall with every step’s inputs)',
    description:
      '历史基数 = 基期公立医疗机构医疗服务项目服务量 × 基期末现行价格；合理增长、控费奖惩、集采腾出空间、基金承受能力上限按轮次参数，' +
      '缺省值取本地区基期年度指标（步骤输入中注明指标、期间和发布类型）。',
  })
  @ApiParam({ name: 'id', type: Number })
  async total(@Param('id', new ZodPipe(idSchema)) id: number) {
    return this.totals.total(await this.rounds.get(id));
  }

  @Post(':id/total/allocate')
  @Allow('write')
  @HttpCode(200)
  @ApiOperation({
    summary: '调价总量分配到医疗机构（按基期收入或绩效权重，最大余数法）(allocate the total to hospitals)',
    description:
      '保存分配结果（round_allocation）和分配的调价总量，轮次版本加一（乐观锁：须提交当前 version，版本过期返回 409 ROUND.STALE）；' +
      '参数不完整返回 422 ROUND.PARAMS_INVALID。',
  })
  @ApiParam({ name: 'id', type: Number })
  @ApiBody({ schema: openApiSchema(allocateSchema) })
  async allocate(@Param('id', new ZodPipe(idSchema)) id: number, @Body(new ZodPipe(allocateBody)) body: AllocateRequest) {
    return this.totals.allocate(await this.rounds.get(id), body);
  }

  @Get(':id/allocation')
  @Allow('read')
  @ApiOperation({ summary: '已保存的分配结果 (the stored allocation)' })
  @ApiParam({ name: 'id', type: Number })
  async allocation(@Param('id', new ZodPipe(idSchema)) id: number) {
    const round = await this.rounds.get(id);
    return { roundId: round.id, totalFen: round.totalFen, hospitals: await this.repo.allocation(id) };
  }
}
