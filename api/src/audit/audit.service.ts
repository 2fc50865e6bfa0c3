import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../common/errors';
import { AuditRepository } from './audit.repository';
import type { AuditDetail, AuditPage, AuditQuery } from './audit.schemas';

/** Reads of the audit trail (its writes are made by each room inside its own transactions). */
@Injectable()
export class AuditService {
  constructor(private readonly repo: AuditRepository) {}

  list(q: AuditQuery): Promise<AuditPage> {
    return this.repo.list(q);
  }

  async get(id: number): Promise<AuditDetail> {
    const r = await this.repo.get(id);
    if (!r) throw new NotFoundError('AUDIT.NOT_FOUND', `审计记录 ${id} 不存在 (unknown audit record)`);
    return r;
  }
}
