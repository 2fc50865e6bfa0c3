import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OptimiserItem, OptimiserSettings } from '../../api/src/domain/optimiser';
import { HighsSolverProvider } from '../../api/src/scenarios/optimise.highs';
import { OptimiserRunner } from '../../api/src/scenarios/optimise.runner';
// @ts-expect-error an ES module of plain JavaScript (the build script npm start uses)
import { buildServer } from '../../scripts/build-server.mjs';

/**
 * The optimiser off the event loop: the compiled server solves in a worker thread (optimise.worker.js). The same
 * proposal as a solve in this thread, and timers keep running while the worker solves.
 */
describe('optimiser worker thread', () => {
  const runner = new OptimiserRunner(new HighsSolverProvider());
  let workerFile: string;

  beforeAll(() => {
    (buildServer as (o: { quiet: boolean }) => void)({ quiet: true });
    workerFile = path.resolve('build/api/src/scenarios/optimise.worker.js');
  }, 300_000);
  afterAll(() => runner.onModuleDestroy());

  const families = ['labour', 'equipment', 'mixed'] as const;
  const items: OptimiserItem[] = Array.from({ length: 3000 }, (_, i) => {
    const family = families[i % 3];
    const price = 500 + ((i * 7919) % 20_000);
    return {
      itemCode: `T${String(i).padStart(5, '0')}`, name: `项目${i}`, level: ((i % 3) + 1) as 1 | 2 | 3, categoryCode: family === 'equipment' ? 'lab' : 'surgery', family,
      oldPriceFen: price, quantity: 1 + ((i * 131) % 4000), unitCostFen: Math.round(price * (family === 'labour' ? 1.3 : family === 'equipment' ? 0.8 : 1.05)),
      labourShare: family === 'labour' ? 0.7 : family === 'equipment' ? 0.2 : 0.45,
    };
  });
  const base = items.reduce((s, r) => s + r.oldPriceFen * r.quantity, 0);
  const settings: OptimiserSettings = {
    totalFen: Math.round(base * 0.01), changeCap: 0.15, itemShareFloor: 0.1, labourRuleShare: 0.6, labourItemThreshold: 0.6, targetRecovery: 1, minNetFen: null,
  };

  it('finds the compiled worker next to the compiled runner only', () => {
    expect(fs.existsSync(workerFile)).toBe(true);
    expect(OptimiserRunner.workerFile(path.dirname(workerFile), path.join(path.dirname(workerFile), 'optimise.runner.js'))).toBe(workerFile);
    // from the TypeScript sources (these tests) there is no worker: the solve runs in this thread
    expect(OptimiserRunner.workerFile()).toBeNull();
  });

  it('gives the same proposal as a solve in this thread, while timers keep running', async () => {
    const here = await runner.run(items, settings, null);
    expect(here.status).toBe('optimal');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const t0 = performance.now();
    const there = await runner.run(items, settings, workerFile);
    const ms = performance.now() - t0;
    clearInterval(timer);
    expect(there).toEqual(here);
    // the event loop ran while the worker solved: at least a third of the 5 ms ticks the solve's time allows
    expect(ticks).toBeGreaterThanOrEqual(Math.floor(ms / 5 / 3));
    // a second request reuses the worker
    expect(await runner.run(items, settings, workerFile)).toEqual(here);
  }, 120_000);
});
