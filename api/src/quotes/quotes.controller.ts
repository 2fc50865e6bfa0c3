import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { Allow } from '../auth/auth.decorators';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { openApiSchema, ZodPipe } from '../common/zod.pipe';
import { z } from 'zod';
import { createQuoteSchema, quoteRoundSchema, selectQuotesSchema, type CreateQuote, type SelectQuotes } from './quotes.schemas';
import { QuotesService } from './quotes.service';
import { idSchema } from '../rounds/rounds.schemas';

@ApiTags('quotes 复杂型项目报价')
@Controller('rounds')
export class QuotesController {
  constructor(private readonly quotes: QuotesService) {}

  @Post(':id/quotes')
  @Allow('quote', 'write')
  @ApiOperation({
    summary: '医疗机构提交复杂型项目报价（报价、成本构成、预计服务量）(submit a hospital quote)',
    description: '成本构成合计为单位成本；通用型项目、未知机构或项目、该等级无现行价格返回 400；同一机构同一项目重复报价返回 409 QUOTE.TAKEN。',
  })
  @ApiParam({ name: 'id', type: Number, description: '调价轮次 id (round id)' })
  @ApiBody({ schema: openApiSchema(createQuoteSchema) })
  create(@Param('id', new ZodPipe(idSchema)) roundId: number, @Body(new ZodPipe(createQuoteSchema)) body: CreateQuote) {
    return this.quotes.create(roundId, body);
  }

  @Get(':id/quotes/items')
  @Allow('read', 'quote')
  @ApiOperation({
    summary: '可报价的复杂型项目及其各等级现行价格 (the items of the round\'s region that take quotes, with their prices in force)',
    description: '本地区非通用型、在轮次价格日期有现行价格的项目；价格以分计，某等级无现行价格为 null。',
  })
  @ApiParam({ name: 'id', type: Number })
  items(@Param('id', new ZodPipe(idSchema)) roundId: number) {
    return this.quotes.quotableItems(roundId);
  }

  @Get(':id/quotes')
  @Allow('read', 'quote')
  @ApiOperation({ summary: '轮次的报价及评分 (quotes of a round with their scores)' })
  @ApiParam({ name: 'id', type: Number })
  list(@Param('id', new ZodPipe(idSchema)) roundId: number) {
    return this.quotes.list(roundId);
  }

  @Post(':id/quotes/select')
  @Allow('write')
  @HttpCode(200)
  @ApiOperation({
    summary: '按评分在预算内遴选报价并写入新的调价方案（method quotes）(score and select quotes within a budget)',
    description:
      '评分 = 0.5 × 成本覆盖（报价 ÷ 单位成本接近 1）+ 0.2 × 成本结构（人力成本占比）+ 0.3 × 与同项目同等级报价中位数的接近程度；' +
      '按评分从高到低逐个入选，直至预算（ΔP × 基期公立医疗机构服务量，精确到分）用完；同一项目同一等级只选一个报价。',
  })
  @ApiParam({ name: 'id', type: Number })
  @ApiBody({ schema: openApiSchema(selectQuotesSchema) })
  select(@Param('id', new ZodPipe(idSchema)) roundId: number, @Body(new ZodPipe(selectQuotesSchema)) body: SelectQuotes) {
    return this.quotes.select(roundId, body);
  }
}

/** The rounds to quote in: the landing page of a hospital user, who reads no round otherwise. */
@ApiTags('quotes 复杂型项目报价')
@Controller('quotes')
export class QuoteRoundsController {
  constructor(private readonly quotes: QuotesService) {}

  @Get('rounds')
  @Allow('read', 'quote')
  @ApiOperation({
    summary: '可报价的调价轮次 (the rounds of your regions with their quotes counted)',
    description: '医院报价用户：本地区的轮次及本机构的报价数；其他角色：可读地区的轮次及全部报价数。open 为 false 的轮次（已批准、已实施）不再接受报价；历史轮次不列出。',
  })
  @ApiOkResponse({ schema: openApiSchema(z.array(quoteRoundSchema)) })
  rounds() {
    return this.quotes.quoteRounds();
  }
}
