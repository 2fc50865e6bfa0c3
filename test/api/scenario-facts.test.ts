import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFacts, LiveImpact, recompute } from '../../web/src/scenario/facts';
import { startTestApp } from '../support/app';
import { useTestDatabase } from '../support/db';
import { caller, apiFetch } from '../support/http';

/**
 * The scenario editor recomputes the impact in the browser from the round's facts (an Arrow stream) with the
 * domain's functions; its summary must equal the server's impact to the fen, field by field.
 */
describe('scenario facts for the browser recompute (苏州, demo dataset)', () => {
  const db = useTestDatabase({ demo: true });
  let app: INestApplication;
  let base = '';
  const call = caller(() => base);

  beforeAll(async () => {
    ({ app, base } = await startTestApp(db().url));
  });
  afterAll(async () => {
    await app?.close();
  });

  async function facts(id: number) {
    const res = await apiFetch(base, `/api/scenarios/${id}/facts`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/vnd.apache.arrow.stream');
    return decodeFacts(new Uint8Array(await res.arrayBuffer()));
  }

  it('recomputes the server\'s impact summary exactly, before and after an edit', async () => {
    const round = await call('POST', '/api/rounds', {
      regionCode: '320500', year: 2025, name: '浏览器重算', effectiveDate: '2025-01-01', params: { changeCap: 0.6, itemShareFloor: 0.01 },
    });
    expect(round.status).toBe(201);
    const sc = (await call('POST', `/api/rounds/${round.body.id}/scenarios`, { name: '重算方案' })).body;
    const f0 = await facts(sc.id);
    expect(f0.meta).toMatchObject({ roundId: round.body.id, regionCode: '320500', priceDate: '2024-12-31', extraCount: 0 });

    // raises on labour items at every level they are priced at, cuts on equipment items, one raise over the cap: +50%,
    // written under a cap of 60%, which is then lowered to 30%
    const labour = f0.rows.filter((r) => r.family === 'labour' && r.quantity > 0).slice(0, 12);
    const equipment = f0.rows.filter((r) => r.family === 'equipment' && r.quantity > 0).slice(0, 8);
    const changes = [
      ...labour.map((r, i) => ({ itemCode: r.itemCode, level: r.level, newPriceFen: Math.round(r.oldPriceFen * (i === 0 ? 1.5 : 1.12)) })),
      ...equipment.map((r) => ({ itemCode: r.itemCode, level: r.level, newPriceFen: Math.round(r.oldPriceFen * 0.9) })),
    ];
    const put = await call('PUT', `/api/scenarios/${sc.id}/changes`, { version: 1, changes });
    expect(put.status, JSON.stringify(put.body).slice(0, 300)).toBe(200);
    const lowered = await call('PATCH', `/api/rounds/${round.body.id}`, { version: round.body.version, params: { changeCap: 0.3 } });
    expect(lowered.status, JSON.stringify(lowered.body)).toBe(200);

    const server = (await call('GET', `/api/scenarios/${sc.id}/impact`)).body;
    const f = await facts(sc.id);
    expect(f.rows.length).toBe(server.summary.rowCount);
    const local = recompute(f, put.body.changes);
    expect(local.summary).toEqual(server.summary);
    expect(local.summary.checks.map((c) => c.code)).toContain('SCENARIO.ITEM_OVER_CAP');
    expect(local.serviceRevenueShare?.before).toBe(server.serviceRevenueShare.before);
    expect(local.serviceRevenueShare?.after).toBe(server.serviceRevenueShare.after);

    // an edit in the browser: one more cut; after saving, the server agrees with the panel
    const extra = f.rows.filter((r) => r.family === 'equipment' && r.quantity > 0).slice(equipment.length).find((r) => r.oldPriceFen >= 400);
    expect(extra).toBeDefined();
    const edited = [...put.body.changes, { itemCode: extra!.itemCode, level: extra!.level, oldPriceFen: extra!.oldPriceFen, newPriceFen: extra!.oldPriceFen - 100, reason: null }];
    const panel = recompute(f, edited);
    // kept edit by edit, the same figures
    const live = new LiveImpact(f, put.body.changes);
    expect(live.compute().summary).toEqual(local.summary);
    live.set(f.index.get(`${extra!.itemCode}|${extra!.level}`)!, extra!.oldPriceFen - 100);
    expect(live.compute()).toEqual(panel);
    // saved as the editor saves: the edited row only (the raise over the lowered cap stays as it is)
    const saved = await call('PATCH', `/api/scenarios/${sc.id}/changes`, {
      version: 2,
      set: [{ itemCode: extra!.itemCode, level: extra!.level, newPriceFen: extra!.oldPriceFen - 100 }],
    });
    expect(saved.status).toBe(200);
    const after = (await call('GET', `/api/scenarios/${sc.id}/impact`)).body;
    expect(panel.summary).toEqual(after.summary);
    expect(panel.summary.netFen).toBe(local.summary.netFen - 100 * extra!.quantity);
  });

  it('answers 404 for an unknown scenario', async () => {
    const res = await apiFetch(base, `/api/scenarios/999999/facts`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: string }).code).toBe('SCENARIO.NOT_FOUND');
  });
});
