import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/auth.decorators';
import { openApiSchema, ZodPipe } from '../common/zod.pipe';
import { AUDIT_ENTITIES, auditDetailSchema, auditIdSchema, auditPageSchema, auditQuerySchema, type AuditQuery } from './audit.schemas';
import { AuditService } from './audit.service';

@ApiTags('audit 审计日志')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Allow('audit')
  @ApiOperation({
    summary: '审计日志 (the audit trail: every change, newest first)',
    description: '系统管理员看全部地区；价格管理部门看本地区及下辖地区；分析人员看本地区。只读用户与医院用户无权查看。total 只计可见地区的记录。',
  })
  @ApiQuery({ name: 'user', required: false, description: '操作人用户名 (the actor\'s user name)' })
  @ApiQuery({ name: 'region', required: false, description: '行政区划代码 (region code)' })
  @ApiQuery({ name: 'entity', required: false, enum: AUDIT_ENTITIES })
  @ApiQuery({ name: 'entityId', required: false })
  @ApiQuery({ name: 'action', required: false, description: '操作代码或其前缀，如 scenario 或 scenario.scale (an action code or its prefix)' })
  @ApiQuery({ name: 'from', required: false, description: '起始日期或时间 (from, a date or an ISO time)' })
  @ApiQuery({ name: 'to', required: false, description: '截止日期（含当日）或时间 (to, a date: the whole day)' })
  @ApiQuery({ name: 'requestId', required: false })
  @ApiQuery({ name: 'offset', required: false, type: Number })
  @ApiQuery({ name: 'limit', required: false, type: Number, description: '1–200，默认 50' })
  @ApiOkResponse({ schema: openApiSchema(auditPageSchema) })
  list(@Query(new ZodPipe(auditQuerySchema)) q: AuditQuery) {
    return this.audit.list(q);
  }

  @Get(':id')
  @Allow('audit')
  @ApiParam({ name: 'id', type: Number })
  @ApiOperation({ summary: '一条审计记录及其变更前后 (one record with its before and after)' })
  @ApiOkResponse({ schema: openApiSchema(auditDetailSchema) })
  get(@Param('id', new ZodPipe(auditIdSchema)) id: number) {
    return this.audit.get(id);
  }
}
