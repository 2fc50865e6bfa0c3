import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Browser tests run against the built web app: build it once per run (about two seconds). */
export default function setup(): void {
  const root = path.resolve(__dirname, '../..');
  execFileSync(process.execPath, [path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.mts', '--logLevel', 'error'], {
    cwd: root,
    stdio: 'inherit',
  });
}
