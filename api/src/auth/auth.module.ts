import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditRepository } from '../audit/audit.repository';
import { AccessGuard } from './access.guard';
import { AuthController } from './auth.controller';
import { AuthMiddleware } from './auth.middleware';
import { AuthRepository } from './auth.repository';
import { AuthService } from './auth.service';
import { UsersController } from './users.controller';

/** Sign-in, sessions, users, and the guard every endpoint passes. */
@Global()
@Module({
  controllers: [AuthController, UsersController],
  providers: [AuthRepository, AuthService, AuditRepository, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [AuthService, AuditRepository],
})
export class AuthModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AuthMiddleware).forRoutes('{*path}');
  }
}
