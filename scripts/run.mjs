// Runs a server-side TypeScript entry point: builds incrementally, then runs the compiled file with the
// remaining arguments.  Usage: node scripts/run.mjs etl/src/cli.ts load data/demo
import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildServer, root } from './build-server.mjs';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run.mjs <path/to/entry.ts> [args...]');
  process.exit(2);
}
buildServer({ quiet: true });
const compiled = path.join(root, 'build', entry.replace(/\.ts$/, '.js'));
const child = spawn(process.execPath, ['--enable-source-maps', compiled, ...args], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
