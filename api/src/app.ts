import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import pinoHttp from 'pino-http';
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
      autoLogging: { ignore: (req) => !(req.url ?? '').startsWith('/api') },
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    }),
  );
  app.useBodyParser('json', { limit: '20mb' });
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
    app.useStaticAssets(o.config.webDist, { index: false, maxAge: '1h' });
  }
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || req.path.startsWith('/api')) return next();
    if (fs.existsSync(index)) return res.sendFile(index);
    res.status(503).type('text/plain; charset=utf-8').send('网页尚未构建：请运行 npm run build:web (the web app is not built)');
  });
  return app;
}
