import type { INestApplication } from '@nestjs/common';
import { execFileSync, spawn } from 'node:child_process';
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amount, money } from '../../web/src/format';
import { startTestApp } from '../support/app';
import { scenarioFingerprint, useTestDatabase } from '../support/db';
import { caller, json, apiFetch } from '../support/http';

/**
 * The PDF 测算简报 and the Excel files of a scenario on the demo dataset (苏州 320500): the PDF's text (pdftotext)
 * carries the API's totals, its item list has every changed item with the API's prices, every page renders to a
 * non-blank picture (pdftoppm), and the CJK font is embedded as a subset (pdffonts); the 调价项目表 exported and
 * imported back leaves the scenario exactly as it was. The PDF and its pages are kept in test-results/briefing.
 */

const SUZHOU = '320500';
const OUT = path.resolve(__dirname, '../../test-results/briefing');

interface ItemRow {
  itemCode: string;
  name: string;
  level: number;
  family: string;
  categoryCode: string;
  changed: boolean;
  oldPriceFen: number;
  newPriceFen: number;
}

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

/** Share of dark pixels in the part of a PGM page between the header and footer bands. */
function inkShare(pgm: Buffer): number {
  // P5 header: "P5\n<w> <h>\n<max>\n", then one byte per pixel
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('not a PGM file');
  const [w, h] = [Number(header[1]), Number(header[2])];
  const px = pgm.subarray(header[0].length);
  let dark = 0;
  let n = 0;
  for (let y = Math.floor(h * 0.08); y < Math.floor(h * 0.92); y++) {
    for (let x = 0; x < w; x++, n++) if (px[y * w + x] < 160) dark++;
  }
  return dark / n;
}

describe('briefing PDF and Excel exports (测算简报与调价项目表)', () => {
  const db = useTestDatabase({ demo: true });
  let app: INestApplication;
  let base: string;
  let roundId: number;
  let otherRoundId: number;
  let scenarioId: number;
  const call = caller(() => base);

  beforeAll(async () => {
    ({ app, base } = await startTestApp(db().url));
    fs.mkdirSync(OUT, { recursive: true });
    const r = await call('POST', '/api/rounds', {
      regionCode: SUZHOU, year: 2025, name: '苏州市2025年医疗服务价格调整', effectiveDate: '2025-01-01',
      params: { itemShareFloor: 0.05, changeCap: 0.3 },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    roundId = r.body.id;
    otherRoundId = (await call('POST', '/api/rounds', { regionCode: SUZHOU, year: 2026, name: '苏州市2026年医疗服务价格调整' })).body.id;
    const sc = await call('POST', `/api/rounds/${roundId}/scenarios`, { name: '有升有降方案' });
    scenarioId = sc.body.id;
    // raise labour items by 12%, cut equipment-heavy exams by 8%, with a reason on a few
    const all: ItemRow[] = (await call('GET', `/api/scenarios/${scenarioId}/impact/items?scope=all`)).body;
    const codes = (family: string, n: number) => [...new Set(all.filter((x) => x.family === family).map((x) => x.itemCode))].slice(0, n);
    const up = new Set(codes('labour', 90));
    const down = new Set(codes('equipment', 50));
    const changes = all
      .filter((x) => up.has(x.itemCode) || down.has(x.itemCode))
      .map((x, i) => ({ itemCode: x.itemCode, level: x.level, pctChange: up.has(x.itemCode) ? 12 : -8, ...(i % 17 === 0 ? { reason: '技术劳务价值偏低' } : {}) }));
    const put = await call('PUT', `/api/scenarios/${scenarioId}/changes`, { version: 1, changes });
    expect(put.status, JSON.stringify(put.body).slice(0, 500)).toBe(200);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('writes a briefing whose text carries the API\'s totals, item count and rows, every page drawn and the CJK font embedded as a subset', async () => {
    const res = await apiFetch(base, `/api/rounds/${roundId}/briefing.pdf?scenario=${scenarioId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(decodeURIComponent(res.headers.get('content-disposition') ?? '')).toContain('有升有降方案-测算简报.pdf');
    const pdf = path.join(OUT, 'briefing.pdf');
    fs.writeFileSync(pdf, Buffer.from(await res.arrayBuffer()));

    const impact = (await call('GET', `/api/scenarios/${scenarioId}/impact`)).body;
    const s = impact.summary;
    const rows: ItemRow[] = (await call('GET', `/api/scenarios/${scenarioId}/impact/items?scope=all`)).body;
    const changedCodes = [...new Set(rows.filter((r) => r.changed).map((r) => r.itemCode))].sort();
    expect(s.adjustedItemCount).toBe(changedCodes.length);

    const text = run('pdftotext', ['-enc', 'UTF-8', pdf, '-']);
    // sections in order
    const sections = ['一、摘要', '二、启动条件评估', '三、调价总量', '四、方案影响', '五、调价项目表', '六、数据来源与假设'];
    const at = sections.map((h) => text.indexOf(h));
    expect(at.every((i) => i >= 0), JSON.stringify(at)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // totals, as the web app formats them
    for (const fen of [s.netFen, s.grossUpFen, s.grossDownFen, s.fundFen, s.outOfPocketFen, impact.total.totalFen]) {
      expect(text, money(fen)).toContain(money(fen));
    }
    expect(text).toContain(`方案调整 ${s.adjustedItemCount} 个项目的 ${s.changedRowCount} 项价格`);
    expect(text).toContain(`共 ${changedCodes.length} 个项目、${s.changedRowCount} 项项目价格`);
    for (const c of s.checks) expect(text).toContain(c.code);
    // the forecast band under volume response, as GET /api/scenarios/:id/forecast gives it at the default assumptions
    const forecast = (await call('GET', `/api/scenarios/${scenarioId}/forecast`)).body;
    expect(text).toContain('考虑服务量变化的预测区间');
    for (const fen of [forecast.total.net.p10Fen, forecast.total.net.p50Fen, forecast.total.net.p90Fen]) expect(text, money(fen)).toContain(money(fen));

    // the item list: every changed item once, in code order, with the API's prices
    const layout = run('pdftotext', ['-layout', '-enc', 'UTF-8', pdf, '-']);
    const list = layout.slice(layout.indexOf('五、调价项目表'), layout.indexOf('六、数据来源与假设'));
    const listed = [...list.matchAll(/^\s*(\d+)\s+(\S+)\s/gm)].filter((m) => changedCodes.includes(m[2]));
    expect(listed.map((m) => m[2])).toEqual(changedCodes);
    expect(listed.map((m) => Number(m[1]))).toEqual(changedCodes.map((_, i) => i + 1));
    const lineOf = (code: string) => list.split('\n').find((l) => new RegExp(`^\\s*\\d+\\s+${code}\\s`).test(l))!;
    for (const code of [changedCodes[0], changedCodes[Math.floor(changedCodes.length / 2)], changedCodes.at(-1)!]) {
      const line = lineOf(code);
      const prices = rows.filter((r) => r.itemCode === code).sort((a, b) => b.level - a.level);
      const expected = prices.flatMap((r) => [amount(r.oldPriceFen, '元'), amount(r.newPriceFen, '元')]);
      const found = expected.map((t) => line.indexOf(t));
      expect(found.every((i) => i >= 0), `${line} / ${expected.join(' ')}`).toBe(true);
    }

    // every page: header, 第 N 页 / 共 M 页, not blank
    const pages = Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', [pdf]))![1]);
    expect(pages).toBeGreaterThan(4);
    const pageTexts = text.split('\f').slice(0, pages);
    pageTexts.forEach((t, i) => {
      expect(t).toContain(`第 ${i + 1} 页 / 共 ${pages} 页`);
      expect(t).toContain('数据截至');
      expect(t).toContain('苏州市2025年医疗服务价格调整');
    });
    // the item list repeats its header on each of its pages
    const first = pageTexts.findIndex((t) => t.includes('五、调价项目表'));
    const last = pageTexts.findIndex((t) => t.includes('六、数据来源与假设'));
    for (let p = first; p <= last; p++) {
      if (p === last && !/^\s*\d+\s+\S+\s/m.test(pageTexts[p].split('六、数据来源与假设')[0])) continue;
      expect(pageTexts[p], `page ${p + 1}`).toContain('项目编码');
    }
    run('pdftoppm', ['-gray', '-r', '40', pdf, path.join(OUT, 'page')]);
    const pgms = fs.readdirSync(OUT).filter((f) => /^page-\d+\.pgm$/.test(f)).sort();
    expect(pgms).toHaveLength(pages);
    for (const f of pgms) expect(inkShare(fs.readFileSync(path.join(OUT, f))), f).toBeGreaterThan(0.002);

    // the CJK font: embedded, as a subset (a six-letter tag before its name), Unicode-mapped (text selectable)
    const fonts = run('pdffonts', [pdf]).split('\n').filter((l) => /SourceHanSansSC/.test(l));
    expect(fonts.length).toBeGreaterThan(0);
    for (const l of fonts) expect(l).toMatch(/^[A-Z]{6}\+SourceHanSansSC-\S+\s+CID Type 0C\s+Identity-H\s+yes\s+yes\s+yes/);
  });

  it('refuses a bad scenario parameter with a Chinese message naming it, and a scenario of another round', async () => {
    for (const [q, pathOf] of [['', 'query.scenario'], ['?scenario=abc', 'query.scenario'], ['?scenario=0', 'query.scenario'], ['?scenario=1&scenario=2', 'query.scenario'], [`?scenario=${scenarioId}&x=1`, 'query']]) {
      const r = await call('GET', `/api/rounds/${roundId}/briefing.pdf${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.code).toBe('VALIDATION.FAILED');
      expect(r.body.details[0].path, q).toBe(pathOf);
      expect(r.body.message).toMatch(/[\u4e00-\u9fff]/);
    }
    const other = await call('GET', `/api/rounds/${otherRoundId}/briefing.pdf?scenario=${scenarioId}`);
    expect(other.status).toBe(400);
    expect(other.body.details).toEqual([{ path: 'query.scenario', message: `调价方案 ${scenarioId} 不属于调价轮次 ${otherRoundId}，它属于轮次 ${roundId} (scenario not in this round)` }]);
    expect((await call('GET', `/api/rounds/999999/briefing.pdf?scenario=${scenarioId}`)).status).toBe(404);
    expect((await call('GET', `/api/rounds/${roundId}/briefing.pdf?scenario=999999`)).status).toBe(404);
    expect((await call('GET', '/api/scenarios/999999/items.xlsx')).status).toBe(404);
  });

  it('writes the same briefing from the command line (the compiled server), and refuses bad flags in Chinese without writing a file', async () => {
    const root = path.resolve(__dirname, '../..');
    // asynchronous: the app of this file keeps serving while the command runs
    // the first run through npm run's entry (which compiles the server), the others straight from build/
    let entry = ['scripts/run.mjs', 'api/src/briefing/briefing.cli.ts'];
    const cli = (...args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [...entry, ...args], {
          cwd: root, env: { ...process.env, DATABASE_URL: db().url, LOG_LEVEL: 'silent' }, timeout: 240_000,
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c) => (stdout += c));
        child.stderr.on('data', (c) => (stderr += c));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
    const out = path.join(OUT, 'cli.pdf');
    fs.rmSync(out, { force: true });
    const ok = await cli('--round', String(roundId), '--scenario', String(scenarioId), '--out', out);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('已写出测算简报');
    entry = ['build/api/src/briefing/briefing.cli.js'];
    // the same document as the endpoint's: the same text on the same pages
    const http = path.join(OUT, 'http.pdf');
    fs.writeFileSync(http, Buffer.from(await (await apiFetch(base, `/api/rounds/${roundId}/briefing.pdf?scenario=${scenarioId}`)).arrayBuffer()));
    const text = run('pdftotext', ['-enc', 'UTF-8', out, '-']);
    expect(text).toBe(run('pdftotext', ['-enc', 'UTF-8', http, '-']));
    const s = (await call('GET', `/api/scenarios/${scenarioId}/impact`)).body.summary;
    expect(text).toContain(money(s.netFen));

    const bad = path.join(OUT, 'bad.pdf');
    for (const [args, message, code] of [
      [['--round', 'abc', '--scenario', String(scenarioId), '--out', bad], '参数 --round 须为正整数编号', 2],
      [['--round', String(roundId), '--out', bad], '缺少参数 --scenario', 2],
      [['--round', String(roundId), '--scenario', String(scenarioId), '--out', path.join(OUT, 'no-such-folder', 'x.pdf')], '参数 --out 的目录不存在', 2],
      [['--round', String(otherRoundId), '--scenario', String(scenarioId), '--out', bad], `调价方案 ${scenarioId} 不属于调价轮次 ${otherRoundId}`, 2],
      [['--round', String(roundId), '--scenario', '999999', '--out', bad], '调价方案 999999 不存在', 3],
    ] as [string[], string, number][]) {
      const r = await cli(...args);
      expect(r.status, args.join(' ')).toBe(code);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/at .+\.js:\d+/); // no stack trace
      expect(fs.existsSync(bad)).toBe(false);
    }
  }, 300_000);

  it('exports the 调价项目表 with Chinese headers, a frozen header row, number formats and the API\'s prices', async () => {
    const res = await apiFetch(base, `/api/scenarios/${scenarioId}/items.xlsx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const bytes = Buffer.from(await res.arrayBuffer());
    fs.writeFileSync(path.join(OUT, 'items.xlsx'), bytes);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe('调价项目表');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const headers = (ws.getRow(1).values as unknown[]).slice(1);
    expect(headers.slice(0, 11)).toEqual(['序号', '项目编码', '项目名称', '计价单位', '项目类别', '支付类别', '三级原价（元）', '三级新价（元）', '三级变动幅度', '三级基金支付比例', '三级个人自付比例']);
    expect(headers).toEqual(expect.arrayContaining(['二级新价（元）', '一级新价（元）', '年调价金额（万元）', '调价说明']));
    const col = (h: string) => headers.indexOf(h) + 1;
    expect(ws.getColumn(col('三级新价（元）')).numFmt).toBe('#,##0.00');
    expect(ws.getColumn(col('三级变动幅度')).numFmt).toBe('0.0%');
    expect(ws.getColumn(col('项目名称')).width).toBeGreaterThan(20);

    const rows: ItemRow[] = (await call('GET', `/api/scenarios/${scenarioId}/impact/items?scope=all`)).body;
    const changed = [...new Set(rows.filter((r) => r.changed).map((r) => r.itemCode))].sort();
    expect(ws.rowCount - 1).toBe(changed.length);
    for (let i = 0; i < changed.length; i += 7) {
      const row = ws.getRow(i + 2);
      expect(row.getCell(col('项目编码')).value).toBe(changed[i]);
      for (const r of rows.filter((x) => x.itemCode === changed[i])) {
        const z = { 3: '三级', 2: '二级', 1: '一级' }[r.level as 1 | 2 | 3];
        expect(Math.round(Number(row.getCell(col(`${z}原价（元）`)).value) * 100)).toBe(r.oldPriceFen);
        expect(Math.round(Number(row.getCell(col(`${z}新价（元）`)).value) * 100)).toBe(r.newPriceFen);
      }
    }
  });

  it('imports the exported list back without changing the scenario, an edited copy changes just the edit, a broken cell is refused with file:row:column', async () => {
    const snapshot = () => scenarioFingerprint(db().pool, scenarioId);
    const before = await snapshot();
    const scenario = (await call('GET', `/api/scenarios/${scenarioId}`)).body;
    expect(scenario.changes.some((c: { reason: string | null }) => c.reason)).toBe(true);
    const bytes = Buffer.from(await (await apiFetch(base, `/api/scenarios/${scenarioId}/items.xlsx`)).arrayBuffer());
    const upload = (buf: Buffer, name: string, version: number) => {
      const fd = new FormData();
      fd.append('file', new Blob([buf]), name);
      fd.append('version', String(version));
      return apiFetch(base, `/api/scenarios/${scenarioId}/import`, { method: 'POST', body: fd });
    };

    // the round trip: nothing written, every byte of the scenario and its changes as before
    const same = await upload(bytes, '调价项目表.xlsx', scenario.version);
    const sameBody = await json(same);
    expect(same.status, JSON.stringify(sameBody).slice(0, 400)).toBe(200);
    expect(sameBody.import).toMatchObject({ written: false, changes: scenario.changeCount });
    expect(await snapshot()).toEqual(before);

    // one cell edited in Excel: that change moves, every other stays
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const headers = (ws.getRow(1).values as unknown[]).slice(1);
    const newCol = headers.indexOf('三级新价（元）') + 1;
    const row = ws.getRow(2);
    const code = String(row.getCell(2).value);
    const old = Math.round(Number(row.getCell(newCol).value) * 100);
    row.getCell(newCol).value = (old + 1) / 100; // one fen: within the round's change cap whatever the price
    const edited = Buffer.from(await wb.xlsx.writeBuffer());
    const moved = await upload(edited, '调价项目表（修改）.xlsx', scenario.version);
    const movedBody = await json(moved);
    expect(moved.status, JSON.stringify(movedBody).slice(0, 400)).toBe(200);
    expect(movedBody.version).toBe(scenario.version + 1);
    const key = (c: { itemCode: string; level: number }) => `${c.itemCode}|${c.level}`;
    const after = new Map(movedBody.changes.map((c: { itemCode: string; level: number; newPriceFen: number }) => [key(c), c.newPriceFen]));
    for (const c of scenario.changes) {
      expect(after.get(key(c)), key(c)).toBe(c.itemCode === code && c.level === 3 ? old + 1 : c.newPriceFen);
    }
    expect(after.size).toBe(scenario.changes.length);

    // a broken cell: refused with file:row:column, nothing written
    const fingerprint = await snapshot();
    row.getCell(newCol).value = '12.3.4';
    const broken = await upload(Buffer.from(await wb.xlsx.writeBuffer()), '坏表.xlsx', scenario.version + 1);
    const brokenBody = await json(broken);
    expect(broken.status).toBe(400);
    expect(brokenBody.code).toBe('SCENARIO.IMPORT_INVALID');
    expect(brokenBody.details[0].path).toBe(`坏表.xlsx:2:${ws.getColumn(newCol).letter}`);
    expect(brokenBody.details[0].message).toMatch(/三级新价/);
    expect(await snapshot()).toEqual(fingerprint);
  });

  it('exports the impact tables with the API\'s figures', async () => {
    const res = await apiFetch(base, `/api/scenarios/${scenarioId}/impact.xlsx`);
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    fs.writeFileSync(path.join(OUT, 'impact.xlsx'), bytes);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '按项目类别', '按医院等级', '按医院', '按医院类型', '按支付类别', '检查结果', '项目价格明细', '说明']);
    const impact = (await call('GET', `/api/scenarios/${scenarioId}/impact`)).body;
    const summary = wb.getWorksheet('汇总')!;
    const figure = (label: string) => {
      let v: unknown;
      summary.eachRow((r) => {
        if (r.getCell(1).value === label) v = r.getCell(2).value;
      });
      return v;
    };
    expect(Math.round(Number(figure('净调价金额（万元）')) * 1_000_000)).toBe(impact.summary.netFen);
    expect(Math.round(Number(figure('医保基金支付变化（万元）')) * 1_000_000)).toBe(impact.summary.fundFen);
    expect(figure('调整项目价格数')).toBe(impact.summary.changedRowCount);
    const byLevel = wb.getWorksheet('按医院等级')!;
    expect(byLevel.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    let net = 0;
    byLevel.eachRow((r, i) => {
      if (i > 1) net += Math.round(Number(r.getCell(9).value) * 1_000_000);
    });
    expect(net).toBe(impact.summary.netFen);
    expect(wb.getWorksheet('项目价格明细')!.rowCount - 1).toBe(impact.summary.changedRowCount);
  });
});
