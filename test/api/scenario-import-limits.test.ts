import type { INestApplication } from '@nestjs/common';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportRunner, IMPORT_RUNNER_LIMITS } from '../../api/src/scenarios/import.runner';
import { IMPORT_LIMITS } from '../../api/src/scenarios/scenarios.import';
// @ts-expect-error an ES module of plain JavaScript (the build script npm start uses)
import { buildServer } from '../../scripts/build-server.mjs';
import { startTestApp } from '../support/app';
import { scenarioFingerprint, useTestDatabase } from '../support/db';
import { apiFetch, caller, json } from '../support/http';
import { xlsxBomb } from '../support/xlsx-bomb';

/**
 * Limits of POST /api/scenarios/:id/import: an xlsx whose parts unpack to more than IMPORT_LIMITS.unpackedBytes is
 * refused before anything is inflated, a file of more than IMPORT_LIMITS.rows data rows when that row is read; in the
 * compiled server a file is read in a worker thread with a heap and a time limit, a few at a time. Every refusal has
 * its code, stores nothing, and leaves the API answering.
 */

const SUZHOU = '320500';

describe('import limits (调价项目表的大小、行数与读取线程)', () => {
  const db = useTestDatabase({ demo: true });
  let app: INestApplication;
  let base: string;
  let roundId: number;
  const call = caller(() => base);

  const newScenario = async (name: string): Promise<{ id: number; version: number }> => {
    const r = await call('POST', `/api/rounds/${roundId}/scenarios`, { name });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };
  const upload = async (id: number, bytes: Uint8Array, fileName: string, version = 1) => {
    const fd = new FormData();
    fd.append('file', new Blob([bytes]), fileName);
    fd.append('version', String(version));
    const res = await apiFetch(base, `/api/scenarios/${id}/import`, { method: 'POST', body: fd });
    return { status: res.status, body: await json(res) };
  };
  const health = async () => (await apiFetch(base, '/api/health', {}, null)).status; // no session: health is public

  /** An xlsx raising every priced row of the region by 1% (unchanged where that rounds to nothing). */
  let goodXlsx: Uint8Array;
  let goodChanges: number;

  /** 40 MB of sheet. */
  let bomb: Uint8Array;

  beforeAll(async () => {
    // what holds this thread (making the bomb, compiling the worker) runs before the app listens: a client's idle
    // keep-alive connection would otherwise be closed by the server just as the client reuses it
    bomb = xlsxBomb(40);
    (buildServer as (o: { quiet: boolean }) => void)({ quiet: true });
    ({ app, base } = await startTestApp(db().url));
    const r = await call('POST', '/api/rounds', {
      regionCode: SUZHOU, year: 2025, name: '苏州市2025年调价（导入上限）', effectiveDate: '2025-01-01', params: { itemShareFloor: 0, changeCap: 0.3 },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    roundId = r.body.id;
    const probe = await newScenario('读取价格');
    const rows = (await call('GET', `/api/scenarios/${probe.id}/impact/items?scope=all`)).body as { itemCode: string; level: number; oldPriceFen: number }[];
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('调价项目表');
    ws.addRow(['项目编码', '三级新价（元）', '二级新价（元）', '一级新价（元）']);
    const byItem = new Map<string, Map<number, number>>();
    for (const x of rows) {
      if (!byItem.has(x.itemCode)) byItem.set(x.itemCode, new Map());
      byItem.get(x.itemCode)!.set(x.level, x.oldPriceFen);
    }
    const raised = (fen: number | undefined) => (fen === undefined ? null : Math.round(fen * 1.01) / 100);
    goodChanges = 0;
    for (const [code, levels] of byItem) {
      ws.addRow([code, raised(levels.get(3)), raised(levels.get(2)), raised(levels.get(1))]);
      for (const fen of levels.values()) if (Math.round(fen * 1.01) !== fen) goodChanges++;
    }
    goodXlsx = new Uint8Array(await wb.xlsx.writeBuffer());
  }, 300_000);
  afterAll(async () => {
    await app?.close();
  });

  it('refuses an xlsx whose parts unpack to more than the limit before inflating it: 413, nothing stored, health answers', async () => {
    const sc = await newScenario('解压炸弹');
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const before = await scenarioFingerprint(db().pool, sc.id);
    // four at once, and a health request among them
    const [h, ...answers] = await Promise.all([health(), ...Array.from({ length: 4 }, () => upload(sc.id, bomb, 'bomb.xlsx'))]);
    expect(h).toBe(200);
    for (const a of answers) {
      expect(a.status, JSON.stringify(a.body)).toBe(413);
      expect(a.body).toMatchObject({ statusCode: 413, code: 'SCENARIO.IMPORT_TOO_LARGE', details: { limitBytes: IMPORT_LIMITS.unpackedBytes } });
      expect(a.body.details.unpackedBytes).toBeGreaterThan(40 * 1024 * 1024);
      expect(a.body.message).toContain(`${IMPORT_LIMITS.unpackedBytes / 1024 / 1024} MB`);
    }
    // as the raw request body too
    const raw = await apiFetch(base, `/api/scenarios/${sc.id}/import?fileName=bomb.xlsx&version=1`, {
      method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bomb,
    });
    expect(raw.status).toBe(413);
    expect((await json(raw)).code).toBe('SCENARIO.IMPORT_TOO_LARGE');
    expect(await scenarioFingerprint(db().pool, sc.id)).toEqual(before);
    expect(await health()).toBe(200);
  });

  it('refuses a file of more than 100,000 data rows when that row is read: 413, nothing stored', async () => {
    expect(IMPORT_LIMITS.rows).toBe(100_000);
    const sc = await newScenario('行数过多');
    const csv = ['项目编码,新价（元）', ...Array.from({ length: IMPORT_LIMITS.rows + 1 }, (_, i) => `X${i},1.00`)].join('\n');
    const before = await scenarioFingerprint(db().pool, sc.id);
    const res = await upload(sc.id, Buffer.from(csv), 'rows.csv');
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(413);
    expect(res.body).toMatchObject({ code: 'SCENARIO.IMPORT_TOO_MANY_ROWS', details: { limitRows: 100_000 } });
    expect(res.body.message).toContain('100000');
    expect(await scenarioFingerprint(db().pool, sc.id)).toEqual(before);
    // exactly the limit is read (and refused for its unknown codes, not for its size)
    const atLimit = ['项目编码,新价（元）', ...Array.from({ length: IMPORT_LIMITS.rows }, (_, i) => `X${i},1.00`)].join('\n');
    const read = await upload(sc.id, Buffer.from(atLimit), 'rows.csv');
    expect(read.status).toBe(400);
    expect(read.body.code).toBe('SCENARIO.IMPORT_INVALID');
    expect(await scenarioFingerprint(db().pool, sc.id)).toEqual(before);
  });

  describe('in worker threads (the compiled server)', () => {
    let runner: ImportRunner;
    beforeAll(() => {
      runner = app.get(ImportRunner);
      // these tests run the TypeScript sources: the app reads in this thread unless given the compiled worker
      expect(runner.workerFile).toBeNull();
      runner.workerFile = path.resolve('build/api/src/scenarios/import.worker.js');
    });
    afterAll(() => {
      runner.workerFile = null;
      runner.limits = { ...IMPORT_RUNNER_LIMITS };
    });

    it('reads a file in a worker while the API answers other requests, with the same result', async () => {
      const sc = await newScenario('线程导入');
      const pending = upload(sc.id, goodXlsx, '调价项目表.xlsx');
      // wait until the worker reads, then ask for health: answered while the upload is still being read
      while (runner.load.active === 0) await new Promise((r) => setTimeout(r, 2));
      expect(await health()).toBe(200);
      expect(runner.load.active).toBe(1);
      const res = await pending;
      expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
      expect(res.body).toMatchObject({ version: 2, changeCount: goodChanges, import: { changes: goodChanges, written: true } });
      expect(runner.load).toEqual({ active: 0, waiting: 0 });
    });

    it('a worker over its heap answers 413, one over its time 422, one beyond the queue 503; nothing stored, the API goes on', async () => {
      const sc = await newScenario('线程上限');
      const before = await scenarioFingerprint(db().pool, sc.id);

      runner.limits = { ...IMPORT_RUNNER_LIMITS, maxOldGenerationSizeMb: 8 };
      const oom = await upload(sc.id, goodXlsx, 'big.xlsx');
      expect(oom.status, JSON.stringify(oom.body)).toBe(413);
      expect(oom.body).toMatchObject({ code: 'SCENARIO.IMPORT_TOO_LARGE', details: { limitMemoryMb: 8 } });
      expect(await health()).toBe(200);

      runner.limits = { ...IMPORT_RUNNER_LIMITS, timeoutMs: 20 };
      const slow = await upload(sc.id, goodXlsx, 'slow.xlsx');
      expect(slow.status, JSON.stringify(slow.body)).toBe(422);
      expect(slow.body).toMatchObject({ code: 'SCENARIO.IMPORT_TIMEOUT', details: { limitSeconds: 0.02 } });

      // one slot and one place in the queue; the slot is held here, so the first upload waits and the second finds
      // the queue full whatever the speed of the machine
      runner.limits = { ...IMPORT_RUNNER_LIMITS, concurrency: 1, queue: 1 };
      const slot = runner as unknown as { acquire(): Promise<void>; release(): void };
      await slot.acquire();
      const queued = upload(sc.id, goodXlsx, 'queued.xlsx');
      while (runner.load.waiting === 0) await new Promise((r) => setTimeout(r, 2));
      const busy = await upload(sc.id, goodXlsx, 'busy.xlsx');
      expect(busy.status, JSON.stringify(busy.body)).toBe(503);
      expect(busy.body).toMatchObject({ code: 'SCENARIO.IMPORT_BUSY', details: { concurrency: 1, queue: 1 } });
      expect(runner.load).toEqual({ active: 1, waiting: 1 });
      slot.release();
      const read = await queued;
      expect(read.status, JSON.stringify(read.body).slice(0, 300)).toBe(200);
      expect(read.body).toMatchObject({ version: 2, import: { written: true } });
      expect(runner.load).toEqual({ active: 0, waiting: 0 });
      expect(before.c).not.toBe((await scenarioFingerprint(db().pool, sc.id)).c);
      expect(await health()).toBe(200);
    });
  });
});
