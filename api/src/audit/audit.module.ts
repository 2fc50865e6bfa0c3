/**
 * Room `audit`: the audit trail (审计日志). Every room records its changes through AuditRepository.record inside the
 * change's own transaction (provided by the global AuthModule); the ETL writes its loads through the kernel's
 * insertAudit. This room answers the reads: GET /api/audit (filtered, paged, region-scoped) and GET /api/audit/:id.
 *
 * Owns: audit.controller.ts, audit.service.ts, audit.repository.ts (audit_log), audit.schemas.ts, changed-fields.ts
 * (the fields an update changes, for the records of the rooms).
 */
import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';

@Module({
  controllers: [AuditController],
  providers: [AuditService],
})
export class AuditModule {}
