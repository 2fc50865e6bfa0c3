// Benchmarks, run by name: npm run bench -- <name> [options]. Each prints a small table and one JSON line.
// Benchmarks are measurements, never assertions: nothing here fails on a slow machine.
import { briefingBench } from './briefing';
import { costBench } from './cost';
import { engineBench } from './engine';
import { etlBench } from './etl';
import { importBombBench } from './import-bomb';
import { loadBench } from './load';
import { reliabilityBench } from './reliability';
import { uploadBench } from './upload';
import { versionsBench } from './versions';
import { webBench } from './web';

import type { Bench } from './bench';

/** Every benchmark by name; a new one is a module exporting a Bench, added here. */
const BENCHES: Record<string, Bench> = {
  etl: etlBench,
  engine: engineBench,
  web: webBench,
  load: loadBench,
  cost: costBench,
  briefing: briefingBench,
  reliability: reliabilityBench,
  versions: versionsBench,
  'import-bomb': importBombBench,
  upload: uploadBench,
};

function usage(): string {
  return [
    '用法 (usage): npm run bench -- <name> [options]',
    ...Object.entries(BENCHES).map(([name, b]) => `  ${name.padEnd(11)} ${b.summary}\n${b.usage.replace(/^/gm, '              ')}`),
  ].join('\n');
}

async function main(): Promise<number> {
  const [name, ...rest] = process.argv.slice(2);
  if (!name || name === '--help' || name === '-h') {
    console.error(usage());
    return name ? 0 : 2;
  }
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`未知的基准测试 (unknown benchmark): ${name}\n${usage()}`);
    return 2;
  }
  return bench.run(rest);
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`错误 (error): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
