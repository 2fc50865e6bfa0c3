import { Controller, Get, Inject, Res } from '@nestjs/common';
import { Public } from '../auth/auth.decorators';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DatabaseUnavailableError } from '../common/errors';
import { DATABASE_MODE } from '../common/tokens';
import { RETRY_AFTER_SECONDS } from '../database/availability';
import { HealthRepository } from './health.repository';

@ApiTags('health 健康检查')
@Controller('health')
export class HealthController {
  private readonly started = Date.now();
  constructor(
    private readonly repo: HealthRepository,
    @Inject(DATABASE_MODE) private readonly mode: 'server' | 'embedded',
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: '服务与数据库状态 (service and database status)' })
  @ApiOkResponse({
    description: '{"status":"ok","database":"ok",...}; 503 with database "error", code DATABASE.UNAVAILABLE and Retry-After when the database does not answer',
  })
  async health(@Res({ passthrough: true }) res: Response) {
    const uptimeSeconds = Math.round((Date.now() - this.started) / 1000);
    try {
      const p = await this.repo.probe();
      return { status: 'ok', database: 'ok', databaseMode: this.mode, postgres: p.serverVersion, migrations: p.migrations, uptimeSeconds };
    } catch {
      res.status(503).setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      return { status: 'degraded', database: 'error', code: DatabaseUnavailableError.CODE, databaseMode: this.mode, uptimeSeconds };
    }
  }
}
