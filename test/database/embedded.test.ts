import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { packagedBinaries, RELOCATED_DATA_ROOT, startEmbedded } from '../../api/src/database/embedded';

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

/**
 * Run as root, the server runs as the `postgres` OS user (PostgreSQL refuses root), and that user cannot enter a
 * mode-700 folder of root's: neither the programs (a project cloned there has them in its node_modules) nor the data
 * folder (`.pgdata` of that project). These tests need root: as any other user the server runs as that same user,
 * who can enter its own folders, so there is nothing to relocate and they are skipped.
 */
describe('embedded PostgreSQL started as root from a folder the postgres user cannot enter', () => {
  const isRoot = process.getuid?.() === 0;

  it.skipIf(!isRoot)('copies the programs, keeps the data where postgres reaches it, answers select 1 and starts again', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mspr-private-'));
    expect(fs.statSync(tmp).mode & 0o777).toBe(0o700);
    // the programs inside the private folder, as in a project cloned there
    const binaries = path.join(tmp, 'native');
    fs.cpSync(packagedBinaries(), binaries, { recursive: true, verbatimSymlinks: true });
    const dir = path.join(tmp, 'pgdata');
    const cleanup: string[] = [tmp];
    try {
      const first = await startEmbedded({ dir, binaries, port: 0, database: 'mspr' });
      const data = fs.realpathSync(dir);
      cleanup.push(path.dirname(data));
      const exe = fs.readlinkSync(`/proc/${Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0])}/exe`);
      const copy = path.dirname(path.dirname(exe));
      cleanup.push(copy);
      const c = new Client({ connectionString: first.url });
      await c.connect();
      try {
        expect((await c.query('select 1 as one')).rows[0].one).toBe(1);
        await c.query('create table kept (n int); insert into kept values (42)');
      } finally {
        await c.end();
      }
      await first.stop();

      // the data folder: a postgres-owned folder outside the private one, linked from the configured path
      expect(fs.lstatSync(dir).isSymbolicLink()).toBe(true);
      expect(data.startsWith(RELOCATED_DATA_ROOT + path.sep)).toBe(true);
      expect(fs.statSync(data).uid).not.toBe(0);
      // the programs: a root-owned copy the server ran from, not the private folder
      expect(copy.startsWith(tmp)).toBe(false);
      expect(fs.statSync(copy).uid).toBe(0);
      expect(fs.statSync(copy).mode & 0o777).toBe(0o755);

      // a damaged copy is replaced; the data is found again through the link
      const removed = path.join(copy, 'share', 'postgresql', 'postgres.bki');
      fs.rmSync(removed);
      const second = await startEmbedded({ dir, binaries, port: 0, database: 'mspr' });
      try {
        expect(fs.existsSync(removed)).toBe(true);
        const c2 = new Client({ connectionString: second.url });
        await c2.connect();
        try {
          expect((await c2.query('select n from kept')).rows).toEqual([{ n: 42 }]);
        } finally {
          await c2.end();
        }
      } finally {
        await second.stop();
      }
    } finally {
      for (const p of cleanup) fs.rmSync(p, { recursive: true, force: true });
    }
  });

  it.skipIf(!isRoot)('refuses, with what to do, an existing data folder the postgres user cannot reach', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mspr-private-'));
    try {
      const dir = path.join(tmp, 'pgdata');
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'PG_VERSION'), '18\n');
      await expect(startEmbedded({ dir, port: 0, database: 'mspr' })).rejects.toThrow(/EMBEDDED_PG_DIR/);
      expect(fs.lstatSync(dir).isDirectory()).toBe(true); // left where it was
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
