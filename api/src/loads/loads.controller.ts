import { Controller, Get, Query } from '@nestjs/common';
import { Allow } from '../auth/auth.decorators';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ZodPipe } from '../common/zod.pipe';
import { LoadsRepository } from './loads.repository';

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }).strict();

@ApiTags('data 数据')
@Controller()
export class LoadsController {
  constructor(private readonly repo: LoadsRepository) {}

  @Get('loads')
  @Allow('read')
  @ApiOperation({ summary: '导入批次 (load batches: file, kind, counts, origin), newest first' })
  @ApiQuery({ name: 'limit', required: false })
  list(@Query(new ZodPipe(listQuery)) q: z.infer<typeof listQuery>) {
    return this.repo.list(q.limit);
  }

  @Get('data/summary')
  @Allow('read')
  @ApiOperation({ summary: '各地区已导入数据概况 (what is loaded per region)' })
  summary() {
    return this.repo.summary();
  }
}
