/** The audit trail (审计日志): GET /api/audit (filters, pages, newest first) and GET /api/audit/:id, typed with the API's schemas. */
import type { AuditDetail, AuditPage, AuditRecord } from '../../../api/src/audit/audit.schemas';
import { getJson, qs } from './client';

export type { AuditDetail, AuditPage, AuditRecord };

export interface AuditFilter {
  user?: string;
  region?: string;
  entity?: string;
  entityId?: string;
  action?: string;
  from?: string;
  to?: string;
  offset?: number;
  limit?: number;
}

export const listAudit = (f: AuditFilter): Promise<AuditPage> => getJson<AuditPage>(`/api/audit${qs({ ...f })}`);

export const getAudit = (id: number): Promise<AuditDetail> => getJson<AuditDetail>(`/api/audit/${id}`);
