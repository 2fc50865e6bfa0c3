import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from './project-root';

/**
 * The whole configuration, validated once at boot. Nothing else in the product reads process.env.
 *
 * Database: DATABASE_URL (or the libpq PG* variables) selects a PostgreSQL server; without either the product runs
 * its own embedded PostgreSQL server, with the data folder EMBEDDED_PG_DIR (default .pgdata in the project).
 */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  PGHOST: z.string().optional(),
  PGPORT: z.coerce.number().int().min(1).max(65535).optional(),
  PGUSER: z.string().optional(),
  PGPASSWORD: z.string().optional(),
  PGDATABASE: z.string().optional(),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  EMBEDDED_PG_DIR: z.string().optional(),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  EMBEDDED_PG_DATABASE: z.string().regex(/^[a-z_][a-z0-9_]*$/).default('mspr'),
  DEMO_DATA: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  WEB_DIST: z.string().optional(),
  SESSION_HOURS: z.coerce.number().min(0.1).max(24 * 30).default(12),
  COOKIE_SECURE: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(10),
  TRUST_PROXY: z.string().optional(),
  BODY_LIMIT: z.string().regex(/^[0-9]+(kb|mb)$/, 'like 8mb or 512kb').default('8mb'),
  UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).max(2 ** 44).default(2 * 1024 ** 3),
  UPLOAD_MAX_FILES: z.coerce.number().int().min(1).max(200).default(20),
  UPLOAD_DIR: z.string().min(1).optional(),
  UPLOAD_MEMORY_MB: z.coerce.number().int().min(1).max(65536).default(256),
});

export type DatabaseConfig =
  | { mode: 'server'; url: string; poolSize: number }
  | { mode: 'embedded'; dir: string; port: number; database: string; poolSize: number };

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  database: DatabaseConfig;
  demoData: boolean;
  webDist: string;
  projectRoot: string;
  auth: {
    /** idle time after which a session ends */
    sessionHours: number;
    /** the session cookie only over HTTPS (set behind a TLS-terminating proxy) */
    cookieSecure: boolean;
    /** failed sign-ins allowed per client address in 15 minutes */
    loginMaxFailures: number;
    /** Express's `trust proxy` (e.g. 1 or loopback) when a reverse proxy sets X-Forwarded-For */
    trustProxy: string | null;
  };
  /** the largest JSON request body */
  bodyLimit: string;
  /** file uploads of the 数据管理 page (POST /api/loads/uploads) */
  upload: {
    /** the largest upload (all its files together), in bytes */
    maxBytes: number;
    /** files per upload */
    maxFiles: number;
    /** where uploaded files wait for their load (a folder of their own per upload, removed after it) */
    dir: string;
    /**
     * the most a load's in-memory aggregate may take, in MB (LoadOptions.memoryMB): a larger volume file is loaded in
     * large-file mode, its checks and rollups done in SQL, so the API's memory does not grow with the file
     */
    memoryMB: number;
  };
}

export class ConfigError extends Error {
  constructor(public readonly issues: { path: string; message: string }[]) {
    super(
      '配置错误 (invalid configuration):\n' + issues.map((i) => `  ${i.path}: ${i.message}`).join('\n'),
    );
  }
}

/** Builds a connection URL from the libpq variables, the way psql would read them. */
function urlFromPgVariables(e: z.infer<typeof envSchema>): string | undefined {
  if (!e.PGHOST && !e.PGDATABASE && !e.PGUSER && !e.PGPORT) return undefined;
  const user = encodeURIComponent(e.PGUSER ?? 'postgres');
  const pass = e.PGPASSWORD ? ':' + encodeURIComponent(e.PGPASSWORD) : '';
  const host = e.PGHOST ?? '127.0.0.1';
  const port = e.PGPORT ?? 5432;
  const db = encodeURIComponent(e.PGDATABASE ?? 'postgres');
  if (host.startsWith('/')) return `postgres://${user}${pass}@/${db}?host=${encodeURIComponent(host)}&port=${port}`;
  return `postgres://${user}${pass}@${host}:${port}/${db}`;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  const e = parsed.data;
  const root = projectRoot();
  const url = e.DATABASE_URL ?? urlFromPgVariables(e);
  const database: DatabaseConfig = url
    ? { mode: 'server', url, poolSize: e.DB_POOL_SIZE }
    : {
        mode: 'embedded',
        dir: path.resolve(root, e.EMBEDDED_PG_DIR ?? '.pgdata'),
        port: e.EMBEDDED_PG_PORT,
        database: e.EMBEDDED_PG_DATABASE,
        poolSize: e.DB_POOL_SIZE,
      };
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    database,
    demoData: e.DEMO_DATA,
    webDist: path.resolve(root, e.WEB_DIST ?? 'web/dist'),
    projectRoot: root,
    auth: { sessionHours: e.SESSION_HOURS, cookieSecure: e.COOKIE_SECURE, loginMaxFailures: e.LOGIN_MAX_FAILURES, trustProxy: e.TRUST_PROXY ?? null },
    bodyLimit: e.BODY_LIMIT,
    upload: { maxBytes: e.UPLOAD_MAX_BYTES, maxFiles: e.UPLOAD_MAX_FILES, dir: path.resolve(e.UPLOAD_DIR ?? os.tmpdir()), memoryMB: e.UPLOAD_MEMORY_MB },
  };
}

/** A URL with the password masked, for logs. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
