import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { optimisePrices, type OptimiserItem, type OptimiserResult, type OptimiserSettings } from '../domain/optimiser';
import { HighsSolverProvider } from './optimise.highs';

/**
 * Runs the optimiser: in a worker thread (optimise.worker.js next to this file) when the server runs compiled, so a
 * solve of seconds on 10,000 rows leaves the event loop to other requests; in this thread when the TypeScript
 * sources run directly (tests), where no compiled worker exists. One worker, created on first use, solves one
 * request at a time; a worker that dies fails the requests it held and the next request starts a new one.
 */
@Injectable()
export class OptimiserRunner implements OnModuleDestroy {
  private worker: Worker | null = null;
  private next = 1;
  private readonly pending = new Map<number, { resolve: (r: OptimiserResult) => void; reject: (e: Error) => void }>();

  constructor(private readonly highs: HighsSolverProvider) {}

  /** The compiled worker's file, or null when this module runs from its TypeScript source. */
  static workerFile(dir = __dirname, self = __filename): string | null {
    if (!self.endsWith('.js')) return null;
    const f = path.join(dir, 'optimise.worker.js');
    return fs.existsSync(f) ? f : null;
  }

  async run(items: readonly OptimiserItem[], settings: OptimiserSettings, workerFile = OptimiserRunner.workerFile()): Promise<OptimiserResult> {
    if (!workerFile) return optimisePrices(items, settings, await this.highs.solver());
    const w = this.start(workerFile);
    const id = this.next++;
    return new Promise<OptimiserResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ id, items, settings });
    });
  }

  private start(file: string): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(file);
    w.unref();
    w.on('message', (m: { id: number; result?: OptimiserResult; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.result!);
    });
    const fail = (e: Error) => {
      if (this.worker === w) this.worker = null;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`optimiser worker exited with code ${code}`)));
    this.worker = w;
    return w;
  }

  async onModuleDestroy(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    await w?.terminate();
  }
}
