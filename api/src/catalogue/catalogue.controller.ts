import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Allow } from '../auth/auth.decorators';
import { ZodPipe } from '../common/zod.pipe';
import { catalogueQuerySchema, type CatalogueQuery } from './catalogue.schemas';
import { CatalogueService } from './catalogue.service';

const codeSchema = z.string().regex(/^[0-9]{6}$/, '须为 6 位行政区划代码 (six-digit GB/T 2260 code)');

@ApiTags('catalogue 目录')
@Controller()
export class CatalogueController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Get('regions/:code/catalogue')
  @Allow('read')
  @ApiOperation({
    summary: '目录与价格平移：立项指南项目、映射关系、本地区的平移价格与平移报告 (guideline items, mappings, carried-over prices)',
    description:
      '平移价格 = 映射的原项目（主项目）现行价格按基期公立医院服务量加权平均（与 npm run etl -- carry-over 同一计算）。q 按项目名称、编码、映射编码或原项目编码/名称搜索；report 覆盖所选批次的全部项目。',
  })
  @ApiParam({ name: 'code', type: String, example: '320500' })
  @ApiQuery({ name: 'q', required: false, type: String })
  @ApiQuery({ name: 'batch', required: false, type: String, description: '立项指南批次名称' })
  @ApiQuery({ name: 'date', required: false, type: String, description: '价格执行日（默认今天），YYYY-MM-DD' })
  @ApiQuery({ name: 'year', required: false, type: Number, description: '基期服务量年份（默认不晚于价格执行日所在年份的最近一年）' })
  get(@Param('code', new ZodPipe(codeSchema)) code: string, @Query(new ZodPipe(catalogueQuerySchema)) q: CatalogueQuery) {
    return this.catalogue.catalogue(code, q);
  }
}
