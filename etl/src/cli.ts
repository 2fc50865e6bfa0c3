import { parseArgs } from 'node:util';
import os from 'node:os';
import { Pool } from 'pg';
import { ConfigError, loadConfig } from '../../api/src/config/config';
import { openDatabase } from '../../api/src/database/connect';
import { createDataSource, migrate } from '../../api/src/database/data-source';
import { Kind, KINDS, LoadOptions } from './loader';
import { exitCode, summaryLines } from './report';
import { progressReporter } from './progress';
import { loadPath, LoadSummary } from './run';
import { parseDate } from './parse';
import { CarryOverError, computeCarryOver, formatCarryOver, type CarryOverQuery } from './carry-over';
import { removeBatch, RemoveError } from './remove';

const USAGE = `用法 (usage):
  npm run etl -- load <文件或文件夹> [--kind KIND] [--region CODE] [--dry-run] [--skip-invalid] [--json]
                 [--effective-date YYYY-MM-DD] [--batch-date YYYY-MM-DD] [--guideline-batch NAME] [--max-errors N]
                 [--memory-mb N]
  KIND: ${KINDS.join(' | ')}
  npm run etl -- carry-over --region CODE [--guideline-batch NAME] [--year YYYY] [--date YYYY-MM-DD] [--json]
    价格平移：按基期服务量加权平均计算立项指南项目的平移价格 (price carry-over onto guideline items)
  npm run etl -- remove <批次号> [--json]
    删除一个导入批次导入的数据（批次保留为“已删除”；有依赖时拒绝）(remove what a load batch loaded)`;

class UsageError extends Error {}

function parse(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        kind: { type: 'string' },
        region: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        'skip-invalid': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        'effective-date': { type: 'string' },
        'batch-date': { type: 'string' },
        'guideline-batch': { type: 'string' },
        'max-errors': { type: 'string', default: '50' },
        'memory-mb': { type: 'string' },
        origin: { type: 'string', default: 'user' },
        source: { type: 'string' },
        user: { type: 'string' },
        year: { type: 'string' },
        date: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    throw new UsageError(`参数错误 (bad arguments): ${(e as Error).message}`);
  }
  const v = parsed.values;
  if (v.help) throw new UsageError('');
  const [command, target, ...rest] = parsed.positionals;
  if (command === 'carry-over') {
    if (target || rest.length) throw new UsageError(`多余的参数 (unexpected arguments): ${[target, ...rest].join(' ')}`);
    if (!v.region || !/^\d{6}$/.test(v.region)) throw new UsageError('carry-over 需要 --region（6位行政区划代码）');
    if (v.year && !/^\d{4}$/.test(v.year)) throw new UsageError(`--year 应为四位年份：${v.year}`);
    if (v.date && (!/^\d{4}-\d{2}-\d{2}$/.test(v.date) || parseDate(v.date) !== v.date)) throw new UsageError(`--date 应为 YYYY-MM-DD：${v.date}`);
    const query: CarryOverQuery = {
      region: v.region,
      guidelineBatch: v['guideline-batch'],
      year: v.year ? Number(v.year) : undefined,
      date: v.date,
    };
    return { command: 'carry-over' as const, json: v.json!, query };
  }
  if (command === 'remove') {
    if (!target || !/^[1-9]\d{0,15}$/.test(target)) throw new UsageError(`remove 需要批次号（正整数）：${target ?? ''}`);
    if (rest.length) throw new UsageError(`多余的参数 (unexpected arguments): ${rest.join(' ')}`);
    return { command: 'remove' as const, json: v.json!, batchId: Number(target), user: v.user ?? os.userInfo().username };
  }
  if (command !== 'load') throw new UsageError(command ? `未知命令 (unknown command): ${command}` : '缺少命令 (missing command)');
  if (!target) throw new UsageError('缺少文件或文件夹 (missing file or folder)');
  if (rest.length) throw new UsageError(`多余的参数 (unexpected arguments): ${rest.join(' ')}`);
  if (v.kind && !KINDS.includes(v.kind as Kind)) throw new UsageError(`--kind 无效：${v.kind}（可选 ${KINDS.join(' / ')}）`);
  if (v.region && !/^\d{6}$/.test(v.region)) throw new UsageError(`--region 应为6位行政区划代码：${v.region}`);
  for (const k of ['effective-date', 'batch-date'] as const) {
    if (v[k] && !/^\d{4}-\d{2}-\d{2}$/.test(v[k]!)) throw new UsageError(`--${k} 应为 YYYY-MM-DD：${v[k]}`);
  }
  const maxErrors = Number(v['max-errors']);
  if (!Number.isInteger(maxErrors) || maxErrors < 1) throw new UsageError(`--max-errors 应为正整数：${v['max-errors']}`);
  const memoryMB = v['memory-mb'] === undefined ? undefined : Number(v['memory-mb']);
  if (memoryMB !== undefined && (!/^\d+$/.test(v['memory-mb']!) || !Number.isSafeInteger(memoryMB) || memoryMB < 1)) {
    throw new UsageError(`--memory-mb 应为正整数（服务量汇总可用的内存上限，MB）：${v['memory-mb']} (--memory-mb must be a positive whole number of MB)`);
  }
  if (!['user', 'real', 'generated'].includes(v.origin!)) throw new UsageError(`--origin 应为 user / real / generated：${v.origin}`);
  return {
    command: 'load' as const,
    target,
    json: v.json!,
    options: {
      kind: v.kind as Kind | undefined,
      region: v.region,
      dryRun: v['dry-run']!,
      skipInvalid: v['skip-invalid']!,
      maxErrors,
      memoryMB,
      effectiveDate: v['effective-date'],
      batchDate: v['batch-date'],
      guidelineBatch: v['guideline-batch'],
      origin: v.origin as LoadOptions['origin'],
      source: v.source,
      user: v.user ?? os.userInfo().username,
    } satisfies LoadOptions,
  };
}

function printHuman(s: LoadSummary): void {
  for (const l of summaryLines(s)) (l.stream === 'out' ? console.log : console.error)(l.text);
}

async function main(): Promise<number> {
  let args;
  try {
    args = parse(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) console.error(e.message);
      console.error(USAGE);
      return 2;
    }
    throw e;
  }
  const config = loadConfig();
  const handle = await openDatabase(config);
  const ds = createDataSource(handle.url, 1);
  await ds.initialize();
  await migrate(ds);
  await ds.destroy();
  const pool = new Pool({ connectionString: handle.url, max: 2 });
  if (args.command === 'carry-over') {
    try {
      const report = await computeCarryOver(pool, args.query);
      console.log(args.json ? JSON.stringify(report, null, 2) : formatCarryOver(report));
      return 0;
    } catch (e) {
      if (e instanceof CarryOverError) {
        console.error(`✘ ${e.message}`);
        return 1;
      }
      throw e;
    } finally {
      await pool.end();
      await handle.close();
    }
  }
  if (args.command === 'remove') {
    try {
      const r = await removeBatch(pool, args.batchId, { actor: { userId: null, actor: args.user, requestId: null } });
      console.log(args.json ? JSON.stringify(r, null, 2) : `✔ 已删除导入批次 #${r.batchId}（${r.fileName}，${r.rowsLoaded} 行）(batch removed)`);
      return 0;
    } catch (e) {
      if (e instanceof RemoveError) {
        console.error(args.json ? JSON.stringify({ code: e.code, message: e.message, details: e.details }, null, 2) : `✘ ${e.message}`);
        return 1;
      }
      throw e;
    } finally {
      await pool.end();
      await handle.close();
    }
  }
  const progress = args.json ? null : progressReporter({ tty: !!process.stderr.isTTY, write: (s) => process.stderr.write(s) });
  try {
    const summaries = await loadPath(pool, args.target, { ...args.options, onProgress: progress?.onProgress, onPhase: progress?.onPhase });
    progress?.done();
    if (args.json) console.log(JSON.stringify(summaries.length === 1 ? summaries[0] : summaries, null, 2));
    else summaries.forEach(printHuman);
    return exitCode(summaries, args.options.skipInvalid);
  } finally {
    await pool.end();
    await handle.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof ConfigError ? e.message : `错误 (error): ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
