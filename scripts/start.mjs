// npm start: builds what changed (server TypeScript incrementally, the web app), then runs the product.
// The database is the embedded PostgreSQL server unless DATABASE_URL (or PG* variables) names a server.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildServer, root } from './build-server.mjs';

/** Newest modification time under the given paths (files or folders). */
function newest(paths) {
  let t = 0;
  for (const p of paths) {
    if (!fs.existsSync(p)) continue;
    const st = fs.statSync(p);
    if (st.isDirectory()) t = Math.max(t, newest(fs.readdirSync(p).map((n) => path.join(p, n))));
    else t = Math.max(t, st.mtimeMs);
  }
  return t;
}

buildServer({ quiet: true });
const require = createRequire(import.meta.url);
const webIndex = path.join(root, 'web/dist/index.html');
const webSources = ['web/src', 'web/index.html', 'web/vite.config.mts', 'api/src/domain', 'package-lock.json'].map((p) => path.join(root, p));
const webFresh = fs.existsSync(webIndex) && fs.statSync(webIndex).mtimeMs >= newest(webSources);
const vite = path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
const web = webFresh ? { status: 0 } : spawnSync(process.execPath, [vite, 'build', '--config', path.join(root, 'web/vite.config.mts'), '--logLevel', 'error'], {
  cwd: root,
  stdio: 'inherit',
});
if (web.status !== 0) {
  console.error('网页构建失败 (web build failed)');
  process.exit(web.status ?? 1);
}
const child = spawn(process.execPath, ['--enable-source-maps', path.join(root, 'build/api/src/main.js')], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
