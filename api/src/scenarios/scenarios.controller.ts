import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query, Req, UploadedFile, UseInterceptors } from '@nestjs/common';
import { Allow } from '../auth/auth.decorators';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { AppError, ValidationError } from '../common/errors';
import { positiveIntText } from '../common/input';
import { openApiSchema, ZodPipe } from '../common/zod.pipe';
import { idSchema } from '../rounds/rounds.schemas';
import {
  createScenarioSchema,
  importQuerySchema,
  indexSchema,
  patchChangesSchema,
  putChangesSchema,
  scaleSchema,
  scenarioSchema,
  scenarioWithChangesSchema,
  type CreateScenario,
  type ImportQuery,
  type IndexRequest,
  type PatchChanges,
  type PutChanges,
  type ScaleRequest,
} from './scenarios.schemas';
import { IMPORT_LIMITS } from './scenarios.import';
import { ScenariosService } from './scenarios.service';

/** Largest 调价项目表 accepted, in bytes. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

const VERSION_MESSAGE = '版本应为正整数 (version must be a positive integer)';
const VERSION_REQUIRED = '(the scenario version the import is made on is required)';
/** The multipart field `version`: a positive decimal integer. */
const versionField = positiveIntText(2 ** 31 - 1, VERSION_MESSAGE);

/** xlsx files are zip archives. */
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** The part of a multipart upload the import reads (multer, memory storage). */
interface UploadedPart {
  originalname: string;
  buffer: Buffer;
  size: number;
}

/** multer reads part names as latin1; a UTF-8 name (Chinese file names) is restored when it decodes cleanly. */
function partName(name: string): string {
  if (!/[\u0080-\u00ff]/.test(name)) return name;
  const utf8 = Buffer.from(name, 'latin1').toString('utf8');
  return utf8.includes('\ufffd') ? name : utf8;
}

async function readRawBody(req: Request): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_IMPORT_BYTES) throw new AppError('REQUEST.TOO_LARGE', `文件超过 ${MAX_IMPORT_BYTES / 1024 / 1024} MB (file too large)`, 413);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

@ApiTags('scenarios 调价方案')
@Controller()
export class ScenariosController {
  constructor(private readonly scenarios: ScenariosService) {}

  @Post('rounds/:id/scenarios')
  @Allow('write')
  @ApiOperation({ summary: '新建调价方案 (create a scenario of a round)' })
  @ApiParam({ name: 'id', type: Number, description: '调价轮次 id (round id)' })
  @ApiBody({ schema: openApiSchema(createScenarioSchema) })
  @ApiOkResponse({ schema: openApiSchema(scenarioWithChangesSchema) })
  create(@Param('id', new ZodPipe(idSchema)) roundId: number, @Body(new ZodPipe(createScenarioSchema)) body: CreateScenario) {
    return this.scenarios.create(roundId, body);
  }

  @Get('rounds/:id/scenarios')
  @Allow('read')
  @ApiOperation({ summary: '轮次的调价方案列表 (scenarios of a round)' })
  @ApiParam({ name: 'id', type: Number, description: '调价轮次 id (round id)' })
  @ApiOkResponse({ schema: openApiSchema(z.array(scenarioSchema)) })
  list(@Param('id', new ZodPipe(idSchema)) roundId: number) {
    return this.scenarios.list(roundId);
  }

  @Get('scenarios/:id')
  @Allow('read')
  @ApiOperation({ summary: '单个调价方案及其调价项目 (one scenario with its changes)' })
  @ApiParam({ name: 'id', type: Number })
  @ApiOkResponse({ schema: openApiSchema(scenarioWithChangesSchema) })
  get(@Param('id', new ZodPipe(idSchema)) id: number) {
    return this.scenarios.get(id);
  }

  @Put('scenarios/:id/changes')
  @Allow('write')
  @ApiOperation({
    summary: '替换调价方案的全部调价项目（乐观锁）(replace the changes; optimistic locking)',
    description:
      '每项给出新价 newPriceFen 或变动百分比 pctChange；原价为执行日期前一天（无执行日期时为基期末）的现行价格。' +
      '未知项目或等级返回 400 并指明 body.changes.<序号>；版本过期返回 409 SCENARIO.STALE，均不保存任何更改。',
  })
  @ApiParam({ name: 'id', type: Number })
  @ApiBody({ schema: openApiSchema(putChangesSchema) })
  @ApiOkResponse({ schema: openApiSchema(scenarioWithChangesSchema) })
  putChanges(@Param('id', new ZodPipe(idSchema)) id: number, @Body(new ZodPipe(putChangesSchema)) body: PutChanges) {
    return this.scenarios.putChanges(id, body);
  }

  @Patch('scenarios/:id/changes')
  @Allow('write')
  @ApiOperation({
    summary: '修改部分调价项目：设置（新增或替换）与删除（乐观锁）(set and remove some changes; optimistic locking)',
    description:
      'set 中每项给出新价 newPriceFen 或变动百分比 pctChange，按项目与等级新增或替换；remove 按项目与等级删除。' +
      '只写入涉及的行，返回新版本号与行数（不返回全部调价项目）。校验失败返回 400 并指明 body.set.<序号>；版本过期返回 409 SCENARIO.STALE，均不保存任何更改。',
  })
  @ApiParam({ name: 'id', type: Number })
  @ApiBody({ schema: openApiSchema(patchChangesSchema) })
  patchChanges(@Param('id', new ZodPipe(idSchema)) id: number, @Body(new ZodPipe(patchChangesSchema)) body: PatchChanges) {
    return this.scenarios.patchChanges(id, body);
  }

  @Post('scenarios/:id/import')
  @Allow('write')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_IMPORT_BYTES, files: 1 } }))
  @ApiOperation({
    summary: '导入调价项目表（xlsx/csv：项目编码，三级/二级/一级新价）替换全部调价项目 (import an item list)',
    description:
      'multipart/form-data（字段 file 与 version）或请求体直接为文件（Content-Type 为 xlsx、text/csv 或 application/octet-stream，' +
      '查询参数 fileName 与 version）。缺少 version 返回 400。任何一行有误返回 400 SCENARIO.IMPORT_INVALID，details 为 文件:行:列 与说明，不保存任何更改。' +
      `xlsx 解压后超过 ${IMPORT_LIMITS.unpackedBytes / 1024 / 1024} MB（按其目录所列大小，解压前检查）或读取所需内存超过上限返回 413 SCENARIO.IMPORT_TOO_LARGE，` +
      `超过 ${IMPORT_LIMITS.rows} 行数据返回 413 SCENARIO.IMPORT_TOO_MANY_ROWS，读取超时返回 422 SCENARIO.IMPORT_TIMEOUT，` +
      '同时导入过多返回 503 SCENARIO.IMPORT_BUSY；文件在工作线程中读取。',
  })
  @ApiConsumes('multipart/form-data', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv', 'application/octet-stream')
  @ApiParam({ name: 'id', type: Number })
  @ApiQuery({ name: 'version', required: false, type: Number, description: '调价方案的版本（multipart 时也可为表单字段 version；二者必有其一）' })
  @ApiQuery({ name: 'fileName', required: false })
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' }, version: { type: 'integer', minimum: 1 } } } })
  async import(
    @Param('id', new ZodPipe(idSchema)) id: number,
    @Query(new ZodPipe(importQuerySchema)) q: ImportQuery,
    @UploadedFile() part: UploadedPart | undefined,
    @Req() req: Request,
  ) {
    let buffer: Buffer;
    let fileName: string;
    let version = q.version;
    if (part) {
      buffer = part.buffer;
      fileName = q.fileName ?? partName(part.originalname);
      if (fileName.includes('\u0000') || fileName.length > 200) {
        throw new ValidationError([{ path: 'body.file', message: '文件名不能含有 NUL 字符，最多 200 个字符 (file name: no NUL character, at most 200 characters)' }], 'body');
      }
      const v = (req.body as Record<string, unknown> | undefined)?.version;
      if (v !== undefined && v !== '') {
        const parsed = versionField.safeParse(v);
        if (!parsed.success) throw new ValidationError([{ path: 'body.version', message: VERSION_MESSAGE }], 'body');
        version = parsed.data;
      }
      if (version === undefined) {
        throw new ValidationError([{ path: 'body.version', message: `缺少调价方案的版本 version（表单字段或查询参数）${VERSION_REQUIRED}` }], 'body');
      }
    } else {
      const type = (req.headers['content-type'] ?? '').toLowerCase();
      if (type.startsWith('multipart/')) {
        throw new ValidationError([{ path: 'body.file', message: '缺少文件字段 file (missing the file part)' }], 'body');
      }
      if (type.startsWith('application/json') || type.startsWith('application/x-www-form-urlencoded')) {
        throw new AppError('REQUEST.UNSUPPORTED_MEDIA_TYPE', '请上传 xlsx 或 csv 文件 (send the xlsx or csv file, not JSON)', 415);
      }
      if (version === undefined) {
        throw new ValidationError([{ path: 'query.version', message: `缺少调价方案的版本 version ${VERSION_REQUIRED}` }], 'query');
      }
      buffer = await readRawBody(req);
      fileName = q.fileName ?? (buffer.subarray(0, 4).equals(ZIP_MAGIC) ? 'import.xlsx' : 'import.csv');
    }
    if (buffer.length === 0) throw new ValidationError([{ path: 'body.file', message: '文件为空 (empty file)' }], 'body');
    return this.scenarios.importFile(id, buffer, fileName, version);
  }

  @Post('scenarios/:id/scale')
  @Allow('write')
  @HttpCode(200)
  @ApiOperation({
    summary: '按统一系数缩放调价方案至目标净额（预算中性系数）(scale the scenario to a target net amount)',
    description: '净额 Σ ΔP·Q 以基期公立医疗机构服务量计；逐项取整到分，余差按数量分配，结果恰为目标（可达时）。',
  })
  @ApiParam({ name: 'id', type: Number })
  @ApiBody({ schema: openApiSchema(scaleSchema) })
  scale(@Param('id', new ZodPipe(idSchema)) id: number, @Body(new ZodPipe(scaleSchema)) body: ScaleRequest) {
    return this.scenarios.scale(id, body);
  }

  @Post('scenarios/:id/index')
  @Allow('write')
  @HttpCode(200)
  @ApiOperation({
    summary: '通用型项目按增长率联动调价（诊查、护理、床位等）(index general items by a growth rate)',
    description: '新价 = 原价 × (1 + g)，按分/角/元四舍五入；结果并入调价方案（替换相同项目和等级的原有调整）。',
  })
  @ApiParam({ name: 'id', type: Number })
  @ApiBody({ schema: openApiSchema(indexSchema) })
  index(@Param('id', new ZodPipe(idSchema)) id: number, @Body(new ZodPipe(indexSchema)) body: IndexRequest) {
    return this.scenarios.index(id, body);
  }
}
