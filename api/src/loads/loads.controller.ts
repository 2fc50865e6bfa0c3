import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { Allow } from '../auth/auth.decorators';
import { openApiSchema, ZodPipe } from '../common/zod.pipe';
import { LoadsRepository } from './loads.repository';
import {
  batchIdSchema,
  jobIdSchema,
  jobSchema,
  loadBatchSchema,
  loadCheckedSchema,
  removeResultSchema,
  uploadQuerySchema,
  uploadSettingsSchema,
  type LoadChecked,
  type UploadQuery,
} from './loads.schemas';
import { LoadsService } from './loads.service';

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }).strict();

@ApiTags('data 数据')
@Controller()
export class LoadsController {
  constructor(
    private readonly repo: LoadsRepository,
    private readonly loads: LoadsService,
  ) {}

  @Get('loads')
  @Allow('read')
  @ApiOperation({ summary: '导入批次 (load batches: file, kind, checksum, counts, who, when, lineage), newest first' })
  @ApiQuery({ name: 'limit', required: false })
  @ApiOkResponse({ schema: openApiSchema(z.array(loadBatchSchema)) })
  list(@Query(new ZodPipe(listQuery)) q: z.infer<typeof listQuery>) {
    return this.loads.list(q.limit);
  }

  @Get('data/summary')
  @Allow('read')
  @ApiOperation({ summary: '各地区已导入数据概况 (what is loaded per region)' })
  summary() {
    return this.repo.summary();
  }

  @Get('loads/upload-settings')
  @Allow('write')
  @ApiOperation({ summary: '上传限制：大小上限、文件个数、可上传的类型、文件类型与地区 (upload limits, accepted types, kinds and regions)' })
  @ApiOkResponse({ schema: openApiSchema(uploadSettingsSchema) })
  settings() {
    return this.loads.settings();
  }

  @Post('loads/uploads')
  @Allow('write')
  @HttpCode(202)
  @ApiOperation({
    summary: '上传官方文件并预检或导入（与 npm run etl -- load 相同的导入程序）(upload files: dry run or load)',
    description:
      'multipart/form-data，字段 files（一个或多个文件，.csv/.tsv/.txt/.xlsx/.arrow/.arrows/.feather/.parquet）。文件边接收边写入磁盘，' +
      '随后作为任务逐个预检（mode=dry-run，默认）或导入（mode=load）；立即返回任务，进度与结果见 GET /api/loads/jobs/{id}。' +
      '合计超过 UPLOAD_MAX_BYTES 返回 413 LOAD.TOO_LARGE，文件过多 413 LOAD.TOO_MANY_FILES，扩展名不受支持 415 LOAD.UNSUPPORTED_TYPE，' +
      '内容与扩展名不符 415 LOAD.TYPE_MISMATCH，均不保存任何文件。每个文件在一个事务中导入：有问题的文件不写入任何数据。',
  })
  @ApiConsumes('multipart/form-data')
  @ApiQuery({ name: 'mode', required: false, enum: ['dry-run', 'load'] })
  @ApiQuery({ name: 'kind', required: false, description: '文件类型（同 --kind），auto 为按表头识别' })
  @ApiQuery({ name: 'region', required: false, description: '地区代码（同 --region），auto 为按文件' })
  @ApiQuery({ name: 'skipInvalid', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'effectiveDate', required: false })
  @ApiQuery({ name: 'maxErrors', required: false })
  @ApiBody({ schema: { type: 'object', required: ['files'], properties: { files: { type: 'array', items: { type: 'string', format: 'binary' } } } } })
  @ApiOkResponse({ schema: openApiSchema(jobSchema) })
  upload(@Query(new ZodPipe(uploadQuerySchema)) q: UploadQuery, @Req() req: Request) {
    return this.loads.upload(req, q);
  }

  @Get('loads/jobs/:id')
  @Allow('write')
  @ApiOperation({ summary: '上传任务的进度与结果：阶段、已读行数、行/秒、剩余时间、每个文件的导入摘要 (progress and result of an upload job)' })
  @ApiParam({ name: 'id', type: String })
  @ApiOkResponse({ schema: openApiSchema(jobSchema) })
  job(@Param('id', new ZodPipe(jobIdSchema)) id: string) {
    return this.loads.job(id);
  }

  @Post('loads/jobs/:id/load')
  @Allow('write')
  @HttpCode(202)
  @ApiOperation({ summary: '导入预检过的文件（无需再次上传）(load the files of a finished dry run)' })
  @ApiParam({ name: 'id', type: String })
  @ApiBody({ schema: openApiSchema(loadCheckedSchema) })
  @ApiOkResponse({ schema: openApiSchema(jobSchema) })
  loadChecked(@Param('id', new ZodPipe(jobIdSchema)) id: string, @Body(new ZodPipe(loadCheckedSchema)) body: LoadChecked) {
    return this.loads.loadChecked(id, body);
  }

  @Delete('loads/:id')
  @Allow('write')
  @ApiOperation({
    summary: '删除一个导入批次导入的数据（一个事务；批次保留为“已删除”）(remove what a load batch loaded)',
    description: '有依赖时（如已实施轮次的价格）返回 409 LOAD.BATCH_IN_USE，已替换或已删除的批次 409 LOAD.BATCH_NOT_LOADED，均不作任何更改。',
  })
  @ApiParam({ name: 'id', type: Number })
  @ApiOkResponse({ schema: openApiSchema(removeResultSchema) })
  remove(@Param('id', new ZodPipe(batchIdSchema)) id: number) {
    return this.loads.remove(id);
  }
}
