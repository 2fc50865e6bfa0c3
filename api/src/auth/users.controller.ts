import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { openApiSchema, ZodPipe } from '../common/zod.pipe';
import { Allow } from './auth.decorators';
import {
  createUserSchema,
  patchUserSchema,
  resetPasswordSchema,
  userIdSchema,
  userSchema,
  type CreateUser,
  type PatchUser,
  type ResetPassword,
} from './auth.schemas';
import { AuthService } from './auth.service';

@ApiTags('users 用户管理')
@Controller('users')
export class UsersController {
  constructor(private readonly auth: AuthService) {}

  @Get()
  @Allow('admin')
  @ApiOperation({ summary: '用户列表 (users)' })
  @ApiOkResponse({ schema: openApiSchema(z.array(userSchema)) })
  list() {
    return this.auth.list();
  }

  @Post()
  @Allow('admin')
  @ApiOperation({ summary: '新建用户 (create a user)', description: '角色：admin 系统管理员，pricing_officer 国家/省级价格管理，analyst 试点城市分析，hospital 医院报价，viewer 只读。' })
  @ApiBody({ schema: openApiSchema(createUserSchema) })
  @ApiOkResponse({ schema: openApiSchema(userSchema) })
  create(@Body(new ZodPipe(createUserSchema)) body: CreateUser) {
    return this.auth.create(body);
  }

  @Get(':id')
  @Allow('admin')
  @ApiParam({ name: 'id', type: Number })
  @ApiOperation({ summary: '用户 (a user)' })
  @ApiOkResponse({ schema: openApiSchema(userSchema) })
  get(@Param('id', new ZodPipe(userIdSchema)) id: number) {
    return this.auth.get(id);
  }

  @Patch(':id')
  @Allow('admin')
  @ApiParam({ name: 'id', type: Number })
  @ApiOperation({ summary: '修改用户：姓名、角色、地区、机构、停用 (change a user; disabling ends their sessions)' })
  @ApiBody({ schema: openApiSchema(patchUserSchema) })
  @ApiOkResponse({ schema: openApiSchema(userSchema) })
  update(@Param('id', new ZodPipe(userIdSchema)) id: number, @Body(new ZodPipe(patchUserSchema)) body: PatchUser) {
    return this.auth.update(id, body);
  }

  @Post(':id/password')
  @Allow('admin')
  @HttpCode(204)
  @ApiParam({ name: 'id', type: Number })
  @ApiOperation({ summary: '重置用户密码 (reset a password; their sessions end)' })
  @ApiBody({ schema: openApiSchema(resetPasswordSchema) })
  async reset(@Param('id', new ZodPipe(userIdSchema)) id: number, @Body(new ZodPipe(resetPasswordSchema)) body: ResetPassword) {
    await this.auth.resetPassword(id, body.password);
  }
}
