import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbedded } from '../../api/src/database/embedded';

/** The embedded server's lifecycle: start, a guest attaching, recovery after a crashed owner and after a killed server. */
describe('embedded PostgreSQL server', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mspr-embedded-'));
  fs.chmodSync(tmp, 0o755);
  const dir = path.join(tmp, 'data');
  const stops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const postmasterPid = () => Number(fs.readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  async function select1(url: string): Promise<number> {
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query('select 1 as one')).rows[0].one;
    } finally {
      await c.end();
    }
  }
  const deadPid = () => spawnSync('true').pid!;

  it('initialises, starts, creates the database and stops cleanly', async () => {
    const s = await startEmbedded({ dir, port: 0, database: 'mspr' });
    expect(s.owner).toBe(true);
    expect(await select1(s.url)).toBe(1);
    const pid = postmasterPid();
    await s.stop();
    expect(alive(pid)).toBe(false);
    expect(fs.existsSync(path.join(dir, 'postmaster.pid'))).toBe(false);
  });

  it('recovers when a crashed owner left the server running', async () => {
    const first = await startEmbedded({ dir, port: 0, database: 'mspr' });
    const orphan = postmasterPid();
    // the owner process "died" without stopping the server
    fs.writeFileSync(path.join(dir, 'owner.json'), JSON.stringify({ pid: deadPid() }));
    const second = await startEmbedded({ dir, port: 0, database: 'mspr' });
    stops.push(() => first.stop(), () => second.stop());
    expect(second.owner).toBe(true);
    expect(alive(orphan)).toBe(false);
    expect(postmasterPid()).not.toBe(orphan);
    expect(await select1(second.url)).toBe(1);
    await second.stop();
  });

  it('lets a second process attach as a guest while the owner lives', async () => {
    const owner = await startEmbedded({ dir, port: 0, database: 'mspr' });
    stops.push(() => owner.stop());
    // pretend the owner is another live process (this test's parent)
    fs.writeFileSync(path.join(dir, 'owner.json'), JSON.stringify({ pid: process.ppid }));
    const guest = await startEmbedded({ dir, port: 0, database: 'other' });
    expect(guest.owner).toBe(false);
    expect(guest.port).toBe(owner.port);
    expect(await select1(guest.url)).toBe(1);
    await guest.stop(); // a guest's stop leaves the server running
    expect(await select1(owner.url)).toBe(1);
    await owner.stop();
  });

  it('starts again after the server itself was killed (stale lock file)', async () => {
    const s = await startEmbedded({ dir, port: 0, database: 'mspr' });
    const pid = postmasterPid();
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    expect(fs.existsSync(path.join(dir, 'postmaster.pid'))).toBe(true);
    const again = await startEmbedded({ dir, port: 0, database: 'mspr' });
    stops.push(() => s.stop(), () => again.stop());
    expect(await select1(again.url)).toBe(1);
    await again.stop();
  });
});
