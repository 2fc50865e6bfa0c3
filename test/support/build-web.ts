import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Builds the web app into web/dist (about two seconds); `root` is the project folder. */
export function buildWebApp(root: string): void {
  execFileSync(process.execPath, [path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.mts', '--logLevel', 'error'], {
    cwd: root,
    stdio: 'inherit',
  });
}

/** Browser tests run against the built web app: build it once per run. */
export default function setup(): void {
  buildWebApp(path.resolve(__dirname, '../..'));
}
