import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { currentAccess, currentRequestId, inScope, regionScope } from '../auth/access';
import { AuditRow, insertAudit } from '../database/audit-log';
import type { AuditDetail, AuditPage, AuditQuery, AuditRecord } from './audit.schemas';

/** One change to record: what was done to which object, in which region, and its state before and after. */
export type AuditEntry = AuditRow;

const COLUMNS = `
  a.id::int as id, to_char(a.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, a.user_id::int as "userId",
  a.actor, u.display_name as "actorName", a.action, a.entity, a.entity_id as "entityId", a.region_code as "regionCode",
  g.name as "regionName", a.request_id as "requestId"`;
const FROM = `
  from audit_log a
  left join app_user u on u.id = a.user_id
  left join region g on g.code = a.region_code`;

/** A date alone means its whole day in China Standard Time (UTC+8); a time is taken as given. */
function bound(s: string | undefined, end: boolean): string | null {
  if (s === undefined) return null;
  if (s.length === 10) {
    const d = new Date(`${s}T00:00:00+08:00`);
    if (end) d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString();
  }
  return new Date(s).toISOString();
}

/**
 * The audit trail (table audit_log). `record` runs inside the change's own transaction (pass its EntityManager), so a
 * change and its record are stored together or not at all. The user and the request id come from the request being
 * served; outside a request (the command-line tools) the actor is the operating-system user given by the caller.
 *
 * Reads are scoped like every other read: a user sees the records of the regions they may read (inScope); records
 * without a region (a user without one, a national catalogue load) only an administrator or a national official
 * sees. The count of a list is of those records only.
 */
@Injectable()
export class AuditRepository {
  constructor(private readonly ds: DataSource) {}

  async record(m: EntityManager, e: AuditEntry, actor?: string): Promise<void> {
    const a = currentAccess();
    await insertAudit((sql, params) => m.query(sql, params), e, {
      userId: a?.userId ?? null,
      actor: a?.username ?? actor ?? 'system',
      requestId: currentRequestId() ?? null,
    });
  }

  async list(q: AuditQuery): Promise<AuditPage> {
    const where = `
      where ${inScope('a.region_code', 1)}
        and ($2::text is null or a.actor = $2)
        and ($3::text is null or a.region_code = $3)
        and ($4::text is null or a.entity = $4)
        and ($5::text is null or a.entity_id = $5)
        and ($6::text is null or a.action = $6 or a.action like $6 || '.%')
        and ($7::timestamptz is null or a.at >= $7)
        and ($8::timestamptz is null or a.at < $8)
        and ($9::text is null or a.request_id = $9)`;
    const params = [
      regionScope(), q.user ?? null, q.region ?? null, q.entity ?? null, q.entityId ?? null, q.action ?? null,
      bound(q.from, false), bound(q.to, true), q.requestId ?? null,
    ];
    // one statement: the page and the count read the same snapshot
    const rows: { items: AuditRecord[] | null; total: number }[] = await this.ds.query(
      `with hit as (select a.id, a.at from audit_log a ${where})
       select (select count(*)::int from hit) as total,
              (select json_agg(x order by x.at desc, x.id desc) from (
                 select ${COLUMNS} ${FROM} where a.id in (select id from hit order by at desc, id desc offset $10 limit $11)) x) as items`,
      [...params, q.offset, q.limit],
    );
    const items = (rows[0].items ?? []).map((x) => ({ ...x, id: Number(x.id) }));
    items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : b.id - a.id));
    return { total: rows[0].total, offset: q.offset, limit: q.limit, items };
  }

  async get(id: number): Promise<AuditDetail | null> {
    const rows: AuditDetail[] = await this.ds.query(
      `select ${COLUMNS}, a.before, a.after, a.details ${FROM} where a.id = $1 and ${inScope('a.region_code', 2)}`,
      [id, regionScope()],
    );
    return rows[0] ?? null;
  }
}
