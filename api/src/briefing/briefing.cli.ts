import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppError } from '../common/errors';
import { ConfigError, loadConfig } from '../config/config';
import { openDatabase } from '../database/connect';
import { dataSourceOptions } from '../database/data-source';
import { resilientDataSource } from '../database/resilient';
import { AuditRepository } from '../audit/audit.repository';
import { BriefingModule } from './briefing.module';
import { BriefingService } from './briefing.service';

/**
 * npm run briefing -- --round ID --scenario ID --out FILE
 *
 * Writes the PDF 测算简报 of a round and one of its scenarios, the same document as GET /api/rounds/:id/briefing.pdf,
 * from the database in DATABASE_URL (else the embedded one; a running `npm start` is joined, not restarted).
 */
const USAGE = `用法 (usage): npm run briefing -- --round ID --scenario ID --out FILE
  --round     调价轮次编号 (round id)
  --scenario  该轮次的调价方案编号 (scenario id of the round)
  --out       输出的 PDF 文件 (the PDF file to write)`;

class UsageError extends Error {}

function positive(flag: string, v: string | undefined): number {
  if (v === undefined) throw new UsageError(`缺少参数 --${flag} (missing --${flag})`);
  if (!/^[1-9][0-9]{0,9}$/.test(v.trim()) || Number(v) > 2 ** 31 - 1) {
    throw new UsageError(`参数 --${flag} 须为正整数编号，收到“${v}” (--${flag} must be a positive integer id)`);
  }
  return Number(v);
}

export function parseBriefingArgs(argv: string[]): { round: number; scenario: number; out: string } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: { round: { type: 'string' }, scenario: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    throw new UsageError(`参数无效 (invalid arguments): ${(e as Error).message}`);
  }
  if (values.help) throw new UsageError('');
  const round = positive('round', values.round as string | undefined);
  const scenario = positive('scenario', values.scenario as string | undefined);
  const out = values.out as string | undefined;
  if (!out) throw new UsageError('缺少参数 --out (missing --out)');
  if (!/\.pdf$/i.test(out)) throw new UsageError(`参数 --out 须为 .pdf 文件，收到“${out}” (--out must name a .pdf file)`);
  const dir = path.dirname(path.resolve(out));
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`参数 --out 的目录不存在：${dir} (the folder of --out does not exist)`);
  return { round, scenario, out };
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseBriefingArgs>;
  try {
    args = parseBriefingArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    if (e.message) console.error(e.message);
    console.error(USAGE);
    return e.message ? 2 : 0;
  }
  const config = loadConfig();
  const db = await openDatabase(config);
  // the rooms the briefing reads take the audit trail's repository (in the app the global AuthModule provides it);
  // the briefing writes nothing, so this is only what their constructors need
  @Global()
  @Module({ providers: [AuditRepository], exports: [AuditRepository] })
  class CliAuditModule {}
  @Module({ imports: [TypeOrmModule.forRootAsync({ useFactory: () => dataSourceOptions(db.url, 2), dataSourceFactory: resilientDataSource }), CliAuditModule, BriefingModule] })
  class BriefingCliModule {}
  const ctx = await NestFactory.createApplicationContext(BriefingCliModule, { logger: false, abortOnError: false });
  try {
    const t0 = Date.now();
    const { bytes } = await ctx.get(BriefingService).pdf(args.round, args.scenario);
    fs.writeFileSync(args.out, bytes);
    console.log(`已写出测算简报 (briefing written): ${args.out}（${(bytes.length / 1024).toFixed(0)} KiB，${Date.now() - t0} ms）`);
    return 0;
  } catch (e) {
    if (e instanceof AppError) {
      const details = Array.isArray(e.details) ? (e.details as { path?: string; message?: string }[]).map((d) => `\n  ${d.path ?? ''}: ${d.message ?? ''}`).join('') : '';
      console.error(`${e.message}${details}`.replace(/query\.scenario/g, '--scenario'));
      return e.statusCode === 404 ? 3 : 2;
    }
    throw e;
  } finally {
    await ctx.close();
    await db.close();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e instanceof ConfigError ? e.message : `错误 (error): ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
