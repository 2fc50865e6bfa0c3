import { AUDIT_ACTIONS, AUDIT_ENTITIES } from '../domain/audit-actions';
import { z } from 'zod';
import { idSchema } from '../common/input';

/**
 * The audit trail's request and answer shapes. Action codes are `<entity>.<verb>`; AUDIT_ACTIONS lists every code the
 * product writes (the web app labels each in Chinese).
 */
export { AUDIT_ACTIONS, AUDIT_ENTITIES };
export type AuditAction = (typeof AUDIT_ACTIONS)[number];


const TIME_MESSAGE = '须为日期 YYYY-MM-DD 或 ISO 8601 时间 (a date or an ISO 8601 time)';
const timeSchema = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/, { error: TIME_MESSAGE })
  .refine((s) => !Number.isNaN(Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s)), { error: TIME_MESSAGE });

/** GET /api/audit: filters (all optional, combined with and), newest first, `offset`/`limit` pages. */
export const auditQuerySchema = z
  .object({
    /** the actor's user name */
    user: z.string().min(1).max(100).optional(),
    region: z.string().regex(/^[0-9]{6}$/, { error: '须为 6 位行政区划代码 (six-digit region code)' }).optional(),
    entity: z.enum(AUDIT_ENTITIES).optional(),
    entityId: z.string().min(1).max(40).optional(),
    /** an action code, or its prefix up to a dot (`scenario` matches every scenario.* action) */
    action: z.string().regex(/^[a-z_]+(\.[a-z_]+)*$/, { error: '操作代码 (action code, e.g. scenario.scale)' }).max(60).optional(),
    /** from this time on (a date: its start, UTC+8) */
    from: timeSchema.optional(),
    /** until this time (a date: the whole day, UTC+8) */
    to: timeSchema.optional(),
    requestId: z.string().min(1).max(100).optional(),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditIdSchema = idSchema;

export const auditRecordSchema = z.object({
  id: z.number().int(),
  at: z.string().describe('ISO 8601, UTC'),
  userId: z.number().int().nullable(),
  actor: z.string().describe('the user name, or the command-line user of a load'),
  actorName: z.string().nullable().describe('the user\'s display name'),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  regionCode: z.string().nullable(),
  regionName: z.string().nullable(),
  requestId: z.string().nullable().describe('the X-Request-Id of the request that made the change'),
});
export type AuditRecord = z.infer<typeof auditRecordSchema>;

export const auditDetailSchema = auditRecordSchema.extend({
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditDetail = z.infer<typeof auditDetailSchema>;

export const auditPageSchema = z.object({
  total: z.number().int().describe('records matching the filters, of the regions you may read'),
  offset: z.number().int(),
  limit: z.number().int(),
  items: z.array(auditRecordSchema),
});
export type AuditPage = z.infer<typeof auditPageSchema>;
