// The API as the benchmarks run it: the compiled server (build/api/src/main.js) as its own process, as in
// production, on a free loopback port; and what the benchmarks measure of it (its memory) and of their samples.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The p-th percentile (nearest rank) of xs. */
export function pct(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export function loadAverage(): string {
  return os.loadavg().map((x) => x.toFixed(2)).join(' ');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** RSS and its peak (VmHWM) of a process, in MB. */
export function memory(pid: number): { rssMB: number; peakMB: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rssMB: Math.round(kb('VmRSS') / 1024), peakMB: Math.round(kb('VmHWM') / 1024) };
}

/**
 * Resets the kernel's peak RSS (VmHWM) of a process (writing 5 to /proc/PID/clear_refs), so that memory() gives the
 * peak from now on; false where the kernel does not allow it.
 */
export function resetPeak(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * CPU time (user + system) of a process so far, in ms; `reaped`: with that of its children that ended and were waited
 * for (a server's ended backends: without them a sum over the live processes goes down when one ends).
 */
export function cpuMs(pid: number, reaped = false): number {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(f[11]) + Number(f[12]) + (reaped ? Number(f[13]) + Number(f[14]) : 0);
  return (ticks * 1000) / 100; // clock ticks of 1/100 s (USER_HZ)
}

/** CPU time so far of every PostgreSQL server process of the machine (its backends and workers, live or ended), in ms. */
export function postgresCpuMs(): number {
  let ms = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') ms += cpuMs(Number(pid), true);
    } catch {
      // the process ended meanwhile
    }
  }
  return ms;
}

export interface Api {
  base: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The compiled API (build/api/src/main.js) as a child process on a free loopback port, once it answers health.
 * `env`: variables for the API beside the bench's own (undefined: not set, so the API takes its default).
 */
export async function startApi(url: string, profileDir?: string, env: Record<string, string | undefined> = {}): Promise<Api> {
  const port = await freePort();
  const main = path.resolve('build/api/src/main.js');
  const child = spawn(process.execPath, [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`] : []), main], {
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', DEMO_DATA: 'false', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // a benchmark that dies (an uncaught error) takes its API along instead of leaving it running
  const orphaned = () => child.kill('SIGTERM');
  process.on('exit', orphaned);
  child.once('exit', () => process.off('exit', orphaned));
  const base = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - t0 > 60_000) throw new Error('the API did not answer /api/health within 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
