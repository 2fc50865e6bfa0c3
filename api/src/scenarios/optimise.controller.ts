import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { Allow } from '../auth/auth.decorators';
import { ApiBody, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { openApiSchema, ZodPipe } from '../common/zod.pipe';
import { optimiseSchema, type OptimiseRequest } from './optimise.schemas';
import { OptimiseService } from './optimise.service';
import { idSchema } from '../rounds/rounds.schemas';

@ApiTags('scenarios 调价方案')
@Controller('scenarios')
export class OptimiseController {
  constructor(private readonly optimiser: OptimiseService) {}

  @Post(':id/optimise')
  @Allow('write')
  @HttpCode(200)
  @ApiOperation({
    summary: '优化生成调价方案（线性规划，HiGHS）并替换全部调价项目 (optimise the scenario)',
    description:
      '提高成本回收率最低的技术劳务项目、降低回收率最高的设备类项目，满足调价总量、调价幅度上限、项目数比例下限与技术劳务占比要求。' +
      '设置默认取轮次参数；无可行解返回 422 SCENARIO.OPTIMISER_INFEASIBLE，details 为冲突的约束（constraint、labelZh、messageZh、relaxFen）；' +
      '版本过期返回 409 SCENARIO.STALE；均不保存任何更改。',
  })
  @ApiParam({ name: 'id', type: Number })
  @ApiBody({ schema: openApiSchema(optimiseSchema) })
  optimise(@Param('id', new ZodPipe(idSchema)) id: number, @Body(new ZodPipe(optimiseSchema)) body: OptimiseRequest) {
    return this.optimiser.optimise(id, body);
  }
}
