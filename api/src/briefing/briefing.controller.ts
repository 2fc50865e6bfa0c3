import { Controller, Get, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { Allow } from '../auth/auth.decorators';
import { ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ZodPipe } from '../common/zod.pipe';
import { briefingQuerySchema, roundIdSchema, scenarioIdSchema, type BriefingQuery } from './briefing.schemas';
import { BriefingService } from './briefing.service';

const PDF = 'application/pdf';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** An attachment with its Chinese file name (RFC 6266 filename*, plus an ASCII fallback). */
function attachment(res: Response, type: string, fileName: string, bytes: Buffer): StreamableFile {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  res.setHeader('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`);
  res.setHeader('Cache-Control', 'no-store');
  return new StreamableFile(bytes, { type, length: bytes.byteLength });
}

@ApiTags('briefing 简报与导出')
@Controller()
export class BriefingController {
  constructor(private readonly briefing: BriefingService) {}

  @Get('rounds/:id/briefing.pdf')
  @Allow('read')
  @ApiOperation({
    summary: '测算简报 PDF（摘要、启动条件评估、调价总量、方案影响、调价项目表、数据来源与假设）(the briefing of a round and one scenario)',
    description: 'A4 纵向，嵌入思源黑体子集，文字可选可搜索；图表为矢量。scenario=ID：本轮次的调价方案。',
  })
  @ApiParam({ name: 'id', type: Number, description: '调价轮次 id (round id)' })
  @ApiQuery({ name: 'scenario', required: true, type: Number, description: '调价方案 id (scenario id)' })
  @ApiProduces(PDF)
  async pdf(
    @Param('id', new ZodPipe(roundIdSchema)) id: number,
    @Query(new ZodPipe(briefingQuerySchema)) q: BriefingQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const { bytes, fileName } = await this.briefing.pdf(id, q.scenario);
    return attachment(res, PDF, fileName, bytes);
  }

  @Get('scenarios/:id/items.xlsx')
  @Allow('read')
  @ApiOperation({
    summary: '调价项目表 Excel（项目编码、名称、计价单位、各等级原价/新价/变动幅度、基金与个人自付比例、类别）(the item list; importable back)',
  })
  @ApiParam({ name: 'id', type: Number })
  @ApiProduces(XLSX)
  async items(@Param('id', new ZodPipe(scenarioIdSchema)) id: number, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const { bytes, fileName } = await this.briefing.itemsXlsx(id);
    return attachment(res, XLSX, fileName, bytes);
  }

  @Get('scenarios/:id/impact.xlsx')
  @Allow('read')
  @ApiOperation({ summary: '影响测算表 Excel（汇总、按类别/等级/医院/医院类型/支付类别、检查结果、项目价格明细）(the impact tables)' })
  @ApiParam({ name: 'id', type: Number })
  @ApiProduces(XLSX)
  async impact(@Param('id', new ZodPipe(scenarioIdSchema)) id: number, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const { bytes, fileName } = await this.briefing.impactXlsx(id);
    return attachment(res, XLSX, fileName, bytes);
  }
}
