/**
 * The one statement that writes an audit record. It lives in the kernel so that the API's rooms (through
 * `AuditRepository`, which adds the signed-in user and the request id) and the ETL's loaders (which name the
 * operating-system or uploading user themselves) write the same row shape. Call it with the query function of the
 * change's own transaction: the change and its record are stored together or not at all.
 */
export interface AuditRow {
  /** What was done, as `<entity>.<verb>` (`scenario.changes.patch`, `load.create`, `round.status`). */
  action: string;
  /** The kind of object changed (`scenario`, `round`, `rule_set`, `load_batch`, `user`, …). */
  entity: string;
  entityId: string | number | null;
  regionCode: string | null;
  /** The object's state before the change (or the part that changed); omitted for a creation. */
  before?: unknown;
  /** The object's state after the change (or a summary of the difference); omitted for a removal. */
  after?: unknown;
  details?: Record<string, unknown>;
}

export interface AuditActor {
  userId: number | null;
  /** The user name shown in the trail: the signed-in user, or the command-line user. */
  actor: string;
  requestId: string | null;
}

type Query = (sql: string, params?: unknown[]) => Promise<unknown>;

export async function insertAudit(query: Query, row: AuditRow, who: AuditActor): Promise<void> {
  await query(
    `insert into audit_log (user_id, actor, action, entity, entity_id, region_code, details, request_id, before, after)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      who.userId,
      who.actor,
      row.action,
      row.entity,
      row.entityId === null ? null : String(row.entityId),
      row.regionCode,
      JSON.stringify(row.details ?? {}),
      who.requestId,
      row.before === undefined ? null : JSON.stringify(row.before),
      row.after === undefined ? null : JSON.stringify(row.after),
    ],
  );
}
