import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KINDS } from '../../etl/src/loader';
import { UPLOAD_KINDS } from '../../api/src/loads/loads.schemas';
import { startTestApp, type TestApp } from '../support/app';
import { useTestDatabase } from '../support/db';
import { snapshot } from '../support/etl';
import { apiFetch, json, type Session } from '../support/http';

const SUZHOU = '320500';
const XIAMEN = '350200';
const LIMIT = 64 * 1024;
const HEADER = '年度,行政区划代码,项目编码,项目名称,人员经费（元）,卫生材料费（元）,固定资产折旧（元）,其他费用（元）,单位成本（元）';

/** A cost file of `codes` for `year`: 10 + 2 + 1 + 1 = 14 元 each (a row's 人员经费 replaced where `bad` says). */
function costFile(codes: string[], year: number, region = SUZHOU, bad: Record<number, string> = {}): string {
  const lines = [HEADER, ...codes.map((c, i) => `${year},${region},${c},项目${i + 1},${bad[i] ?? '10.00'},2.00,1.00,1.00,14.00`)];
  return lines.join('\n') + '\n';
}

describe('uploads on the 数据管理 page: the CLI loaders behind an upload API, jobs, removal', () => {
  const db = useTestDatabase({ demo: true });
  let t: TestApp;
  let uploadDir: string;
  let codes: string[];
  const who: Partial<Record<'suzhou' | 'xiamen' | 'viewer' | 'hospital', Session>> = {};

  async function upload(files: { name: string; body: string | Buffer; type?: string }[], query: Record<string, string> = {}, session?: Session) {
    const fd = new FormData();
    for (const f of files) fd.append('files', new Blob([f.body], { type: f.type ?? 'text/csv' }), f.name);
    const res = await apiFetch(t.base, `/api/loads/uploads?${new URLSearchParams(query)}`, { method: 'POST', body: fd }, session);
    return { status: res.status, body: await json(res) };
  }

  /** Polls the job until it is done (or failed). */
  async function finished(id: string, session?: Session) {
    for (let i = 0; i < 600; i++) {
      const res = await apiFetch(t.base, `/api/loads/jobs/${id}`, {}, session);
      const body = await json(res);
      expect(res.status, JSON.stringify(body)).toBe(200);
      if (body.status === 'done' || body.status === 'failed') return body;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the job did not finish');
  }

  /** upload() and finished() on another app (admin session) */
  async function upload2(app: TestApp, files: { name: string; body: string }[], query: Record<string, string>) {
    const fd = new FormData();
    for (const f of files) fd.append('files', new Blob([f.body], { type: 'text/csv' }), f.name);
    const res = await apiFetch(app.base, `/api/loads/uploads?${new URLSearchParams(query)}`, { method: 'POST', body: fd });
    return { status: res.status, body: await json(res) };
  }
  async function finishedOn(app: TestApp, id: string) {
    for (let i = 0; i < 600; i++) {
      const body = await json(await apiFetch(app.base, `/api/loads/jobs/${id}`));
      if (body.status === 'done' || body.status === 'failed') return body;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the job did not finish');
  }

  const costCount = async (year: number) => Number((await db().pool.query('select count(*) from cost where year = $1', [year])).rows[0].count);

  beforeAll(async () => {
    uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mspr-upload-test-'));
    t = await startTestApp(db().url, { UPLOAD_MAX_BYTES: String(LIMIT), UPLOAD_DIR: uploadDir, UPLOAD_MAX_FILES: '5' });
    codes = (await db().pool.query(`select item_code from region_item where region_code = $1 and not is_group order by item_code limit 6`, [SUZHOU])).rows.map((r) => r.item_code);
    who.suzhou = await t.userSession({ username: 'suzhou-uploader', role: 'analyst', regionCode: SUZHOU });
    who.xiamen = await t.userSession({ username: 'xiamen-uploader', role: 'analyst', regionCode: XIAMEN });
    who.viewer = await t.userSession({ username: 'suzhou-reader', role: 'viewer', regionCode: SUZHOU });
    const inst = (await db().pool.query(`select code from institution where region_code = $1 limit 1`, [SUZHOU])).rows[0].code;
    who.hospital = await t.userSession({ username: 'suzhou-hosp', role: 'hospital', regionCode: SUZHOU, institutionCode: inst });
  }, 120_000);
  afterAll(async () => {
    await t?.app.close();
    fs.rmSync(uploadDir, { recursive: true, force: true });
  });

  it('keeps the kinds of the upload schema equal to the loaders\' kinds', () => {
    expect([...UPLOAD_KINDS]).toEqual([...KINDS]);
  });

  it('states its limits and types', async () => {
    const res = await apiFetch(t.base, '/api/loads/upload-settings', {}, who.suzhou);
    const body = await json(res);
    expect(body).toMatchObject({ maxBytes: LIMIT, maxFiles: 5, regions: [SUZHOU] });
    expect(body.types).toEqual(expect.arrayContaining(['.csv', '.xlsx', '.arrow', '.parquet']));
    // a city's analyst does not load the national files
    expect(body.kinds.map((k: { kind: string }) => k.kind)).not.toContain('catalogue');
  });

  it('checks a good file (dry run, nothing written), then loads the same files: the rows in the database are the file\'s', async () => {
    const before = await snapshot(db().pool);
    const up = await upload([{ name: '苏州成本2031.csv', body: costFile(codes, 2031) }], { kind: 'costs' }, who.suzhou);
    expect(up.status, JSON.stringify(up.body)).toBe(202);
    const checked = await finished(up.body.id, who.suzhou);
    expect(checked).toMatchObject({ mode: 'dry-run', status: 'done', clean: true, loadable: true });
    expect(checked.files[0].summary).toMatchObject({ file: '苏州成本2031.csv', kind: 'costs', status: 'dry-run', rowsRead: 6, errorCount: 0 });
    expect(await snapshot(db().pool)).toEqual(before);

    const load = await apiFetch(t.base, `/api/loads/jobs/${up.body.id}/load`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }, who.suzhou);
    expect(load.status).toBe(202);
    const done = await finished((await json(load)).id, who.suzhou);
    const s = done.files[0].summary;
    expect(s).toMatchObject({ status: 'loaded', rowsRead: 6, rowsLoaded: 6, errorCount: 0, region: SUZHOU });
    expect(done.files[0].rowsRead).toBe(6);
    const rows = await db().pool.query('select item_code, unit_cost_fen::int, labour_fen::int from cost where batch_id = $1 order by item_code', [s.batchId]);
    expect(rows.rows).toEqual(codes.map((c) => ({ item_code: c, unit_cost_fen: 1400, labour_fen: 1000 })));
    const batch = (await db().pool.query('select file_name, loaded_by, region_code, status, origin from load_batch where id = $1', [s.batchId])).rows[0];
    expect(batch).toEqual({ file_name: '苏州成本2031.csv', loaded_by: 'suzhou-uploader', region_code: SUZHOU, status: 'loaded', origin: 'user' });
    // the checked files are gone once loaded, and the dry run cannot be loaded twice
    expect(fs.readdirSync(uploadDir)).toEqual([]);
    const again = await apiFetch(t.base, `/api/loads/jobs/${up.body.id}/load`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }, who.suzhou);
    expect(again.status).toBe(409);
    // the list shows it with its checksum and who loaded it
    const list = await json(await apiFetch(t.base, '/api/loads', {}, who.suzhou));
    expect(list[0]).toMatchObject({ id: s.batchId, fileName: '苏州成本2031.csv', loadedBy: 'suzhou-uploader', status: 'loaded', rowsLoaded: 6, removable: true });
    // the national files 苏州's analyst sees are not theirs to remove
    expect(list.filter((b: { regionCode: string | null; removable: boolean }) => b.regionCode === null && b.removable)).toEqual([]);
    expect(list[0].checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a malformed file with file:row:column and the Chinese message, and writes nothing (dry run and load)', async () => {
    const before = await snapshot(db().pool);
    const body = costFile(codes, 2032, SUZHOU, { 2: '十元' });
    for (const mode of ['dry-run', 'load']) {
      const up = await upload([{ name: '坏成本.csv', body }], { kind: 'costs', mode }, who.suzhou);
      expect(up.status).toBe(202);
      const job = await finished(up.body.id, who.suzhou);
      expect(job.clean).toBe(false);
      const s = job.files[0].summary;
      expect(s.status).toBe('invalid');
      expect(s.batchId).toBeNull();
      // row 4 of the file (the header is row 1), column 5 (人员经费; a CSV's columns are numbered, as the CLI prints them)
      expect(s.errors).toEqual([expect.objectContaining({ file: '坏成本.csv', row: 4, column: '5' })]);
      expect(s.errors[0].zh).toMatch(/人员经费/);
    }
    expect(await snapshot(db().pool)).toEqual(before);
    expect(await costCount(2032)).toBe(0);
    // a dry run with problems is loaded only with "skip invalid rows"
    const up = await upload([{ name: '坏成本.csv', body }], { kind: 'costs' }, who.suzhou);
    const job = await finished(up.body.id, who.suzhou);
    const refused = await apiFetch(t.base, `/api/loads/jobs/${job.id}/load`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }, who.suzhou);
    expect(refused.status).toBe(422);
    expect((await json(refused)).code).toBe('LOAD.NOT_CLEAN');
    expect(await snapshot(db().pool)).toEqual(before);
    const skip = await apiFetch(t.base, `/api/loads/jobs/${job.id}/load`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"skipInvalid":true}' }, who.suzhou);
    const loaded = await finished((await json(skip)).id, who.suzhou);
    expect(loaded.files[0].summary).toMatchObject({ status: 'loaded', rowsLoaded: 5, rowsRejected: 1, rejectFile: null });
    expect(await costCount(2032)).toBe(5);
  });

  it('refuses an upload over the limit with 413 LOAD.TOO_LARGE and a wrong type with 415, keeping no file', async () => {
    const before = await snapshot(db().pool);
    const kept = fs.readdirSync(uploadDir); // the files of earlier dry runs, kept to be loaded
    const big = `${HEADER}\n` + 'x'.repeat(LIMIT + 10);
    const tooBig = await upload([{ name: '大文件.csv', body: big }], {}, who.suzhou);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toMatchObject({ statusCode: 413, code: 'LOAD.TOO_LARGE' });
    expect(tooBig.body.message).toMatch(/上限/);
    // two files under the limit each, over it together
    const half = `${HEADER}\n` + 'y'.repeat(LIMIT / 2 + 10);
    const pair = await upload([{ name: 'a.csv', body: half }, { name: 'b.csv', body: half }], {}, who.suzhou);
    expect(pair.status).toBe(413);
    const pdf = await upload([{ name: '通知.pdf', body: '%PDF-1.7 ...', type: 'application/pdf' }], {}, who.suzhou);
    expect(pdf.status).toBe(415);
    expect(pdf.body.code).toBe('LOAD.UNSUPPORTED_TYPE');
    expect(pdf.body.message).toContain('通知.pdf');
    const fake = await upload([{ name: '价格表.xlsx', body: costFile(codes, 2033) }], {}, who.suzhou);
    expect(fake.status).toBe(415);
    expect(fake.body.code).toBe('LOAD.TYPE_MISMATCH');
    const binary = await upload([{ name: '成本.csv', body: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2]) }], {}, who.suzhou);
    expect(binary.status).toBe(415);
    const json1 = await apiFetch(t.base, '/api/loads/uploads', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }, who.suzhou);
    expect(json1.status).toBe(415);
    const none = await apiFetch(t.base, '/api/loads/uploads', { method: 'POST', body: new FormData() }, who.suzhou);
    expect([400, 415]).toContain(none.status);
    const many = await upload(Array.from({ length: 6 }, (_, i) => ({ name: `f${i}.csv`, body: costFile(codes, 2034) })), {}, who.suzhou);
    expect(many.status).toBe(413);
    expect(many.body.code).toBe('LOAD.TOO_MANY_FILES');
    expect(fs.readdirSync(uploadDir)).toEqual(kept);
    expect(await snapshot(db().pool)).toEqual(before);
  });

  it('removes exactly the rows of a batch, keeps the batch as removed with an audit record, and refuses a second removal', async () => {
    const up = await upload([{ name: '成本2035.csv', body: costFile(codes.slice(0, 4), 2035) }], { kind: 'costs', mode: 'load' }, who.suzhou);
    const batchId = (await finished(up.body.id, who.suzhou)).files[0].summary.batchId;
    const other = await db().pool.query('select md5(string_agg(x::text, \'|\' order by x::text)) as h, count(*)::int as n from cost x where batch_id is distinct from $1', [batchId]);
    expect(await costCount(2035)).toBe(4);
    const res = await apiFetch(t.base, `/api/loads/${batchId}`, { method: 'DELETE' }, who.suzhou);
    const body = await json(res);
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ batchId, kind: 'costs', fileName: '成本2035.csv', rowsLoaded: 4 });
    expect(await costCount(2035)).toBe(0);
    const after = await db().pool.query('select md5(string_agg(x::text, \'|\' order by x::text)) as h, count(*)::int as n from cost x', []);
    expect(after.rows[0]).toEqual(other.rows[0]);
    const b = (await db().pool.query('select status, removed_by from load_batch where id = $1', [batchId])).rows[0];
    expect(b).toEqual({ status: 'removed', removed_by: 'suzhou-uploader' });
    const audit = await db().pool.query(`select actor, entity, entity_id, region_code from audit_log where action = 'load.remove'`);
    expect(audit.rows).toEqual([{ actor: 'suzhou-uploader', entity: 'load_batch', entity_id: String(batchId), region_code: SUZHOU }]);
    const twice = await apiFetch(t.base, `/api/loads/${batchId}`, { method: 'DELETE' }, who.suzhou);
    expect(twice.status).toBe(409);
    expect((await json(twice)).code).toBe('LOAD.BATCH_NOT_LOADED');
    expect((await apiFetch(t.base, '/api/loads/999999', { method: 'DELETE' }, who.suzhou)).status).toBe(404);
  });

  it('refuses with 409 the removal of a price table whose items a loaded round priced, and changes nothing', async () => {
    const batch = (await db().pool.query(`select id::int from load_batch where kind = 'price-table' and region_code = $1 and status = 'loaded' order by id limit 1`, [SUZHOU])).rows[0]
      ?? (await db().pool.query(`select b.id::int from load_batch b where b.kind = 'price-table' and b.status = 'loaded' and exists (select 1 from price p where p.batch_id = b.id and p.region_code = $1) limit 1`, [SUZHOU])).rows[0];
    expect(batch).toBeTruthy();
    const before = await snapshot(db().pool);
    const res = await apiFetch(t.base, `/api/loads/${batch.id}`, { method: 'DELETE' });
    const body = await json(res);
    expect(res.status, JSON.stringify(body)).toBe(409);
    expect(body.code).toBe('LOAD.BATCH_IN_USE');
    expect(body.message).toMatch(/调价/);
    expect(await snapshot(db().pool)).toEqual(before);
  });

  it('lets neither a viewer nor a hospital upload or remove', async () => {
    const before = await snapshot(db().pool);
    const batch = (await db().pool.query(`select id::int from load_batch where status = 'loaded' and kind = 'costs' order by id limit 1`)).rows[0].id;
    for (const s of [who.viewer!, who.hospital!]) {
      const up = await upload([{ name: '成本.csv', body: costFile(codes, 2036) }], { kind: 'costs', mode: 'load' }, s);
      expect(up.status).toBe(403);
      expect(up.body.code).toBe('AUTH.FORBIDDEN');
      expect((await apiFetch(t.base, `/api/loads/${batch}`, { method: 'DELETE' }, s)).status).toBe(403);
    }
    expect(await snapshot(db().pool)).toEqual(before);
  });

  it('keeps a 厦门 analyst out of 苏州: no upload for 苏州 (named or in the rows), no removal of 苏州\'s batch, no reading of 苏州\'s job', async () => {
    const up = await upload([{ name: '苏州成本2037.csv', body: costFile(codes, 2037) }], { kind: 'costs', mode: 'load' }, who.suzhou);
    const sz = await finished(up.body.id, who.suzhou);
    const batchId = sz.files[0].summary.batchId;
    const before = await snapshot(db().pool);
    const named = await upload([{ name: '成本.csv', body: costFile(codes, 2038) }], { kind: 'costs', mode: 'load', region: SUZHOU }, who.xiamen);
    expect(named.status).toBe(403);
    expect(named.body.code).toBe('AUTH.REGION_FORBIDDEN');
    // a file whose rows are 苏州's: refused whole by the load
    const rows = await upload([{ name: '成本.csv', body: costFile(codes, 2038) }], { kind: 'costs', mode: 'load' }, who.xiamen);
    expect(rows.status).toBe(202);
    const job = await finished(rows.body.id, who.xiamen);
    expect(job.files[0].summary.status).toBe('invalid');
    expect(job.files[0].summary.errors.map((e: { zh: string }) => e.zh).join()).toMatch(/320500/);
    // national files are not theirs to load
    const national = await upload([{ name: '目录.csv', body: costFile(codes, 2038) }], { kind: 'catalogue' }, who.xiamen);
    expect(national.status).toBe(403);
    const del = await apiFetch(t.base, `/api/loads/${batchId}`, { method: 'DELETE' }, who.xiamen);
    expect(del.status).toBe(404);
    expect(await json(del)).toMatchObject({ code: 'LOAD.BATCH_NOT_FOUND' });
    expect((await apiFetch(t.base, `/api/loads/jobs/${sz.id}`, {}, who.xiamen)).status).toBe(404);
    expect(await snapshot(db().pool)).toEqual(before);
    expect((await apiFetch(t.base, `/api/loads/${batchId}`, { method: 'DELETE' }, who.suzhou)).status).toBe(200);
  });

  it('says which phase a large volume file\'s load is in while no row count moves, and lists the phases in order', async () => {
    // a memory budget of 1 MB: a file of 30,000 rows (an aggregate of about 1.2 MB) loads in large-file mode
    const big = await startTestApp(db().url, { UPLOAD_DIR: uploadDir, UPLOAD_MEMORY_MB: '1' });
    const lock = new Client({ connectionString: db().url });
    await lock.connect();
    try {
      const insts = (await db().pool.query(`select code from institution where region_code = $1 order by code`, [SUZHOU])).rows.map((r) => r.code);
      const items = (await db().pool.query(`select item_code from region_item where region_code = $1 and not is_group order by item_code`, [SUZHOU])).rows.map((r) => r.item_code);
      const lines = ['行政区划代码,机构编码,项目编码,年份,月份,服务量'];
      let total = 0;
      fill: for (let month = 1; month <= 12; month++) {
        for (const inst of insts) {
          for (const item of items) {
            const q = (lines.length % 97) + 1;
            lines.push(`${SUZHOU},${inst},${item},2031,${month},${q}`);
            total += q;
            if (lines.length > 30_000) break fill;
          }
        }
      }
      expect(lines).toHaveLength(30_001);
      // the load waits at the overlap check for the lock on `volume` this transaction holds: a SQL phase, after the rows
      await lock.query('begin');
      await lock.query('lock table volume in share mode');
      const up = await upload2(big, [{ name: '苏州服务量2031.csv', body: lines.join('\n') + '\n' }], { kind: 'volumes', region: SUZHOU, mode: 'load' });
      expect(up.status, JSON.stringify(up.body)).toBe(202);
      let running: { rowsRead: number; totalRows: number; phase: { code: string; zh: string; en: string; seconds: number } | null; phases: { code: string }[] } | null = null;
      for (let i = 0; i < 600 && running?.phase?.code !== 'overlap'; i++) {
        const j = await json(await apiFetch(big.base, `/api/loads/jobs/${up.body.id}`));
        expect(j.status).toBe('running');
        running = j.files[0];
        if (running?.phase?.code !== 'overlap') await new Promise((r) => setTimeout(r, 100));
      }
      expect(running!.phase).toMatchObject({ code: 'overlap', zh: '核对已导入的期间', en: 'checking periods against loaded data' });
      expect(running!.phase!.seconds).toBeGreaterThanOrEqual(0);
      // every row is read, and the GROUP BY of the partition (large-file mode) has run
      expect([running!.rowsRead, running!.totalRows]).toEqual([30_000, 30_000]);
      expect(running!.phases.map((p) => p.code)).toEqual(['checksum', 'read', 'aggregate']);
      await new Promise((r) => setTimeout(r, 300));
      const later = (await json(await apiFetch(big.base, `/api/loads/jobs/${up.body.id}`))).files[0];
      expect(later.phase.code).toBe('overlap');
      expect(later.phase.seconds).toBeGreaterThan(running!.phase!.seconds);
      await lock.query('commit');

      const done = await finishedOn(big, up.body.id);
      const f = done.files[0];
      expect(f.summary, JSON.stringify(f.summary?.errors)).toMatchObject({ status: 'loaded', rowsRead: 30_000, rowsLoaded: 30_000, errorCount: 0 });
      expect(f.phase).toBeNull();
      // the file runs month by month, so each institution's rows come back twelve times: the repeated periods are looked
      // for in SQL; the level rollup of the new pair (苏州 2031) comes from the sums of the pass
      expect(f.phases.map((p: { code: string }) => p.code)).toEqual(['checksum', 'read', 'aggregate', 'overlap', 'write', 'commit', 'analyze']);
      expect(f.phases.map((p: { zh: string }) => p.zh)).toEqual(['计算校验和', '读取文件', '汇总（数据库中）', '核对已导入的期间', '写入', '提交', '分析统计']);
      // the overlap check waited for the lock at least as long as it was seen waiting
      expect(f.phases[3].seconds).toBeGreaterThanOrEqual(later.phase.seconds);
      const v = (await db().pool.query('select count(*)::int as n, sum(quantity)::bigint as q from volume where batch_id = $1', [f.summary.batchId])).rows[0];
      expect(v).toEqual({ n: 30_000, q: String(total) });
      const levels = (await db().pool.query(`select sum(quantity)::bigint as q from volume_annual_level where region_code = $1 and year = 2031`, [SUZHOU])).rows[0];
      expect(levels.q).toBe(String(total));
      expect((await apiFetch(big.base, `/api/loads/${f.summary.batchId}`, { method: 'DELETE' })).status).toBe(200);
    } finally {
      await lock.query('rollback').catch(() => undefined);
      await lock.end();
      await big.app.close();
    }
  });
});
