import 'reflect-metadata';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import pinoHttp from 'pino-http';
import helmet from 'helmet';
import { rateLimit } from 'express-rate-limit';
import type { ErrorBody } from './common/errors';
import { AppModule } from './app.module';
import { AllExceptionsFilter } from './common/http-exception.filter';
import { PinoNestLogger } from './common/logger';
import { AppConfig } from './config/config';

export interface CreateAppOptions {
  config: AppConfig;
  databaseUrl: string;
  databaseMode: 'server' | 'embedded';
  logger: Logger;
}

/**
 * Builds the Nest application (API under /api, OpenAPI at /api/docs with its JSON at /api/docs/openapi.json and
 * /api/docs-json, the web app at /). Does not listen.
 */
export async function createApp(o: CreateAppOptions): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(o), {
    logger: new PinoNestLogger(o.logger),
    bufferLogs: false,
    abortOnError: false,
  });
  app.setGlobalPrefix('api');
  app.use(
    pinoHttp({
      logger: o.logger,
      // the request id: the caller's X-Request-Id when it is a plain token, else a new one; answered back and kept in the audit trail
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : crypto.randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => !(req.url ?? '').startsWith('/api') },
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    }),
  );
  app.useBodyParser('json', { limit: o.config.bodyLimit });
  // form posts are not part of the API: a small limit, so that a form cannot make the server parse much
  app.useBodyParser('urlencoded', { limit: '16kb', extended: false });
  if (o.config.auth.trustProxy) app.set('trust proxy', o.config.auth.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // Element Plus and ECharts set inline styles
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          workerSrc: ["'self'", 'blob:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'", 'data:'],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
      crossOriginEmbedderPolicy: false,
      hsts: o.config.auth.cookieSecure,
    }),
  );
  // failed sign-ins per client address: a password guesser is slowed to LOGIN_MAX_FAILURES tries per 15 minutes
  app.use(
    '/api/auth/login',
    rateLimit({
      windowMs: 15 * 60_000,
      limit: o.config.auth.loginMaxFailures,
      skipSuccessfulRequests: true,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, res) => {
        const body: ErrorBody = { statusCode: 429, code: 'AUTH.TOO_MANY_ATTEMPTS', message: '登录失败次数过多，请 15 分钟后再试 (too many failed sign-ins; try again in 15 minutes)' };
        res.status(429).json(body);
      },
    }),
  );
  app.useGlobalFilters(new AllExceptionsFilter(o.logger));
  app.enableShutdownHooks();

  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('医疗服务价格改革分析平台 API')
      .setDescription('调价总量、触发评估、调价方案与影响测算 (adjustment totals, trigger evaluation, scenarios and impact)')
      .setVersion('0.1.0')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/docs/openapi.json' });
  // the same document at NestJS's conventional address, for tools that look there (openapi-generator, Postman…)
  app.use('/api/docs-json', (req: Request, res: Response, next: NextFunction) => (req.method === 'GET' ? res.json(doc) : next()));

  // The web app: static files from web/dist, and index.html for every other non-API path (client-side routes).
  const index = path.join(o.config.webDist, 'index.html');
  if (fs.existsSync(index)) {
    // not on API paths: there it would look for a file (a stat call) on every request before the route answers
    const assets = express.static(o.config.webDist, { index: false, maxAge: '1h' });
    app.use((req: Request, res: Response, next: NextFunction) => (req.path.startsWith('/api/') ? next() : assets(req, res, next)));
  }
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || req.path.startsWith('/api')) return next();
    if (fs.existsSync(index)) return res.sendFile(index);
    res.status(503).type('text/plain; charset=utf-8').send('网页尚未构建：请运行 npm run build:web (the web app is not built)');
  });
  return app;
}
