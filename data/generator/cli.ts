// npm run data:generate -- --scale demo|province|national --out DIR [--seed N]
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildDemoModel, DEFAULT_SEED, writeDemo } from './demo';
import { writeBulk } from './bulk';
import { fenToYi } from './money';

const USAGE = `用法 / usage: npm run data:generate -- --scale demo|province|national --out DIR [--seed N]
  --scale  demo（试点城市与省份演示数据）| province（约300万行服务量）| national（31个省份、1万项目、3000万行以上服务量）
  --out    输出目录 / output folder (default: data/generated/<scale>)
  --seed   随机种子，非负整数 / seed, a non-negative integer (default ${DEFAULT_SEED})`;

class UsageError extends Error {}

export interface CliOptions {
  scale: 'demo' | 'province' | 'national';
  out: string;
  seed: number;
}

export function parseCli(argv: string[]): CliOptions | 'help' {
  let values: { scale?: string; out?: string; seed?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        scale: { type: 'string' },
        out: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError(`参数错误 / invalid arguments: ${(e as Error).message}`);
  }
  if (values.help) return 'help';
  const scale = values.scale;
  if (scale !== 'demo' && scale !== 'province' && scale !== 'national') {
    throw new UsageError(
      scale === undefined
        ? '缺少 --scale / missing --scale (demo, province or national)'
        : `--scale 取值无效 / invalid --scale "${scale}" (demo, province or national)`,
    );
  }
  let seed = DEFAULT_SEED;
  if (values.seed !== undefined) {
    if (!/^\d{1,10}$/.test(values.seed) || Number(values.seed) > 0xffffffff) {
      throw new UsageError(`--seed 必须是 0 到 4294967295 的整数 / --seed must be an integer from 0 to 4294967295: "${values.seed}"`);
    }
    seed = Number(values.seed);
  }
  if (values.out !== undefined && values.out.trim() === '') throw new UsageError('--out 不能为空 / --out must not be empty');
  const out = path.resolve(values.out ?? path.join('data', 'generated', scale));
  return { scale, out, seed };
}

async function main(): Promise<void> {
  let opts: CliOptions | 'help';
  try {
    opts = parseCli(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    throw e;
  }
  if (opts === 'help') {
    process.stdout.write(USAGE + '\n');
    return;
  }
  const started = Date.now();
  const log = (line: string) => process.stderr.write(`[data:generate] ${line}\n`);
  if (opts.scale === 'demo') {
    log(`building the demo model (seed ${opts.seed})`);
    const model = buildDemoModel(opts.seed);
    for (const rs of [model.round1, model.round2]) {
      const net = rs.reduce((s, r) => s + r.net, 0);
      const count = rs.reduce((s, r) => s + r.count, 0);
      log(`round ${rs[0]?.spec.round}: ${fenToYi(net)} 亿元 (${(net / 100 / 1e4).toFixed(2)} 万元), ${count} item prices`);
    }
    const records = await writeDemo(model, opts.out);
    log(`${records.length} files written to ${path.relative(process.cwd(), opts.out) || '.'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } else {
    const summary = await writeBulk({ scale: opts.scale, outDir: opts.out, seed: opts.seed, log });
    log(
      `${opts.scale}: ${summary.regions} regions, ${summary.items} items, ${summary.institutions} institutions, ` +
        `${summary.volumeRows} volume rows (${(summary.volumeBytes / 1e9).toFixed(2)} GB) in ${summary.seconds.toFixed(1)} s`,
    );
  }
}

if (typeof require !== 'undefined' && require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`生成失败 / generation failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
