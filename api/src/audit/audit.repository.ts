import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { currentAccess, currentRequestId } from '../auth/access';
import { AuditRow, insertAudit } from '../database/audit-log';

/** One change to record: what was done to which object, in which region, and its state before and after. */
export type AuditEntry = AuditRow;

/**
 * The audit trail. `record` runs inside the change's own transaction (pass its EntityManager), so a change and its
 * record are stored together or not at all. The user and the request id come from the request being served; outside a
 * request (the command-line tools) the actor is the operating-system user given by the caller.
 */
@Injectable()
export class AuditRepository {
  async record(m: EntityManager, e: AuditEntry, actor?: string): Promise<void> {
    const a = currentAccess();
    await insertAudit((sql, params) => m.query(sql, params), e, {
      userId: a?.userId ?? null,
      actor: a?.username ?? actor ?? 'system',
      requestId: currentRequestId() ?? null,
    });
  }
}
