import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/auth.decorators';
import { openApiSchema, ZodPipe } from '../common/zod.pipe';
import { idSchema } from '../rounds/rounds.schemas';
import {
  compareVersionsQuerySchema,
  restoreSchema,
  versionParamsSchema,
  type CompareVersionsQuery,
  type RestoreRequest,
  type VersionParams,
} from '../scenarios/versions.schemas';
import { VersionsService } from './versions.service';

@ApiTags('versions 方案版本')
@Controller()
export class VersionsController {
  constructor(private readonly versions: VersionsService) {}

  @Get('scenarios/:id/versions')
  @Allow('read')
  @ApiOperation({
    summary: '调价方案的版本列表（每次保存一个版本）(versions of a scenario, newest first)',
    description: '每个版本：版本号、操作（create/manual/patch/import/scale/index/optimise/quotes/restore/historic/backfill）、操作人、时间、调价项目数。',
  })
  @ApiParam({ name: 'id', type: Number })
  list(@Param('id', new ZodPipe(idSchema)) id: number) {
    return this.versions.list(id);
  }

  // declared before :version, which would take "compare" as a version
  @Get('scenarios/:id/versions/compare')
  @Allow('read')
  @ApiOperation({
    summary: '比较调价方案的两个版本：新增、删除、改价的项目及影响测算之差 (compare two versions: changed items and the impact difference)',
    description: '两个版本各自的影响测算汇总（与 GET /api/scenarios/:id/impact 同一算法）及其差（to − from）。版本不存在返回 404 SCENARIO.VERSION_NOT_FOUND。',
  })
  @ApiParam({ name: 'id', type: Number })
  @ApiQuery({ name: 'from', required: true, type: Number })
  @ApiQuery({ name: 'to', required: true, type: Number })
  compare(@Param('id', new ZodPipe(idSchema)) id: number, @Query(new ZodPipe(compareVersionsQuerySchema)) q: CompareVersionsQuery) {
    return this.versions.compare(id, q.from, q.to);
  }

  @Get('scenarios/:id/versions/:version')
  @Allow('read')
  @ApiOperation({ summary: '调价方案某一版本的调价项目 (the change list of one version)' })
  @ApiParam({ name: 'id', type: Number })
  @ApiParam({ name: 'version', type: Number })
  get(@Param(new ZodPipe(versionParamsSchema)) p: VersionParams) {
    return this.versions.get(p.id, p.version);
  }

  @Post('scenarios/:id/versions/:version/restore')
  @Allow('write')
  @HttpCode(200)
  @ApiOperation({
    summary: '恢复某一版本：把该版本的调价项目保存为最新版本（乐观锁）(restore a version as the newest one; optimistic locking)',
    description: '请求体 { version: 当前版本号 }。版本过期返回 409 SCENARIO.STALE；方案已批准或轮次已锁定返回 422 SCENARIO.LOCKED；该版本的新价超出本轮现行的调价幅度上限或价格范围返回 422 SCENARIO.LIMIT_EXCEEDED；均不保存任何更改。',
  })
  @ApiParam({ name: 'id', type: Number })
  @ApiParam({ name: 'version', type: Number, description: '要恢复的版本 (the version to restore)' })
  @ApiBody({ schema: openApiSchema(restoreSchema) })
  restore(@Param(new ZodPipe(versionParamsSchema)) p: VersionParams, @Body(new ZodPipe(restoreSchema)) body: RestoreRequest) {
    return this.versions.restore(p.id, p.version, body.version);
  }
}
