import type { INestApplication } from '@nestjs/common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSource, migrate } from '../../api/src/database/data-source';
import { startEmbedded, type EmbeddedServer } from '../../api/src/database/embedded';
import { startTestApp } from '../support/app';
import { caller } from '../support/http';
import { describeAnswers, ok, Traffic, UNAVAILABLE } from '../support/traffic';

/**
 * The product's own database server (the embedded PostgreSQL) stopped and started again while the API serves reads and
 * writes: meanwhile every answer is 2xx or 503 DATABASE.UNAVAILABLE (never a 500), a request sent once the server is
 * back is answered 2xx within 5 s, and every write the API acknowledged is in the database afterwards.
 */

const RESTARTS = 2;
const DOWN_MS = 1_000;
const RECOVERY_MS = 5_000;
const REGION = '320500';

describe('the API while its embedded PostgreSQL server restarts', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mspr-restart-'));
  fs.chmodSync(tmp, 0o755); // the server runs as the postgres user when tests run as root
  const dir = path.join(tmp, 'data');
  let server: EmbeddedServer | undefined;
  let app: INestApplication | undefined;
  let base = '';
  const call = caller(() => base);
  let roundId: number;

  beforeAll(async () => {
    server = await startEmbedded({ dir, port: 0, database: 'mspr' });
    const ds = createDataSource(server.url, 1);
    await ds.initialize();
    try {
      await migrate(ds);
    } finally {
      await ds.destroy();
    }
    ({ app, base } = await startTestApp(server.url));
    const r = await call('POST', '/api/rounds', { regionCode: REGION, year: 2025, name: '重启测试轮次' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    roundId = r.body.id;
  });
  afterAll(async () => {
    await app?.close();
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('answers 503 DATABASE.UNAVAILABLE while it is down, 2xx within 5 s once it is back, and loses no acknowledged write', async () => {
    const url = server!.url;
    const port = server!.port;
    const t = new Traffic(call);
    const reads = ['/api/health', '/api/regions?pilot=true', `/api/rounds?region=${REGION}`, `/api/rounds/${roundId}/scenarios`, `/api/rounds/${roundId}`];
    for (let c = 0; c < 4; c++) {
      let i = c;
      t.loop(() => t.send('read', 'GET', reads[i++ % reads.length]));
    }
    const created: { id: number; name: string }[] = [];
    let n = 0;
    t.loop(async () => {
      const name = `重启测试方案 ${++n}`;
      const r = await t.send('create scenario', 'POST', `/api/rounds/${roundId}/scenarios`, { name });
      if (ok(r)) created.push({ id: r.body.id, name });
    });
    const renamed: { version: number; name: string }[] = [];
    let version: number | null = null;
    let k = 0;
    t.loop(async () => {
      if (version === null) {
        const g = await t.send('read round', 'GET', `/api/rounds/${roundId}`);
        if (ok(g)) version = g.body.version;
        return;
      }
      const name = `重启测试轮次 ${++k}`;
      const r = await t.send('rename round', 'PATCH', `/api/rounds/${roundId}`, { version, name });
      if (ok(r)) {
        version = r.body.version;
        renamed.push({ version: r.body.version, name });
      } else version = null;
    });

    const restarts: { down: number; up: number }[] = [];
    for (let i = 0; i < RESTARTS; i++) {
      await new Promise((r) => setTimeout(r, 800));
      const down = t.now();
      await server!.stop();
      server = undefined;
      await new Promise((r) => setTimeout(r, DOWN_MS));
      server = await startEmbedded({ dir, port, database: 'mspr' });
      expect(server.url).toBe(url);
      restarts.push({ down, up: t.now() });
    }
    // then on until both writers had a write acknowledged after the last restart (on a busy machine, a while)
    const acked = [created.length, renamed.length];
    await t.settle(() => created.length > acked[0] && renamed.length > acked[1], 1_500, 30_000);
    await t.stop();

    expect(t.unexpected(), describeAnswers(t.unexpected())).toEqual([]);
    for (const { down, up } of restarts) {
      // requests sent while the server was down were answered 503 with the code
      const meanwhile = t.answers.filter((a) => a.start > down && a.end < up);
      expect(meanwhile.filter((a) => a.status === 503 && a.code === UNAVAILABLE).length, describeAnswers(meanwhile)).toBeGreaterThan(0);
      expect(t.recoveryAfter(up), describeAnswers(t.answers.filter((a) => a.start >= up))).toBeLessThanOrEqual(RECOVERY_MS);
    }

    expect(created.length).toBeGreaterThan(0);
    expect(renamed.length).toBeGreaterThan(0);
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      const rows = (await c.query('select id::int as id, name from scenario where id = any($1::bigint[]) order by id', [created.map((x) => x.id)])).rows;
      expect(rows).toEqual([...created].sort((a, b) => a.id - b.id));
      const round = (await c.query('select version, name from round where id = $1', [roundId])).rows[0] as { version: number; name: string };
      const last = renamed[renamed.length - 1];
      expect(round.version).toBeGreaterThanOrEqual(last.version);
      if (round.version === last.version) expect(round.name).toBe(last.name);
    } finally {
      await c.end();
    }
  });
});
