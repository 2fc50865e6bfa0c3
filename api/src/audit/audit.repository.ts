import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { currentAccess, currentRequestId } from '../auth/access';

/** One change to record: what was done to which object, in which region, and its state before and after. */
export interface AuditEntry {
  action: string;
  entity: string;
  entityId: string | number | null;
  regionCode: string | null;
  before?: unknown;
  after?: unknown;
  details?: Record<string, unknown>;
}

/**
 * The audit trail. `record` runs inside the change's own transaction (pass its EntityManager), so a change and its
 * record are stored together or not at all. The user and the request id come from the request being served; outside a
 * request (the command-line tools) the actor is the operating-system user given by the caller.
 */
@Injectable()
export class AuditRepository {
  async record(m: EntityManager, e: AuditEntry, actor?: string): Promise<void> {
    const a = currentAccess();
    await m.query(
      `insert into audit_log (user_id, actor, action, entity, entity_id, region_code, details, request_id, before, after)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        a?.userId ?? null,
        a?.username ?? actor ?? 'system',
        e.action,
        e.entity,
        e.entityId === null ? null : String(e.entityId),
        e.regionCode,
        JSON.stringify(e.details ?? {}),
        currentRequestId() ?? null,
        e.before === undefined ? null : JSON.stringify(e.before),
        e.after === undefined ? null : JSON.stringify(e.after),
      ],
    );
  }
}
