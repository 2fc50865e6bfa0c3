import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { AppError } from '../common/errors';
import { readUpload, type UploadJob, type UploadOutcome } from './scenarios.import';

/** How many uploads are read at once, how many wait, and what one worker may take. */
export interface ImportRunnerLimits {
  /** uploads read at the same time (each in its own worker thread) */
  concurrency: number;
  /** uploads waiting for a free slot; one more is refused with 503 SCENARIO.IMPORT_BUSY */
  queue: number;
  /** heap of a worker (resourceLimits.maxOldGenerationSizeMb): a 100,000-row sheet needs about 250 MB */
  maxOldGenerationSizeMb: number;
  /** a worker still reading after this long is stopped (a 100,000-row sheet takes some 10 s on one core) */
  timeoutMs: number;
}

/**
 * Two uploads at a time, one where the machine has two cores or fewer (a core is left to the event loop: reading a
 * sheet keeps its thread busy for seconds). Each worker stays below some 500 MB (its heap, the file and its parts).
 */
export const IMPORT_RUNNER_LIMITS: Readonly<ImportRunnerLimits> = {
  concurrency: Math.max(1, Math.min(2, os.availableParallelism() - 1)),
  queue: 8,
  maxOldGenerationSizeMb: 384,
  timeoutMs: 60_000,
};

/**
 * Reads uploaded 调价项目表 files (readUpload) off the event loop: each upload in a worker thread of its own
 * (import.worker.js next to this file) with a heap limit and a time limit, at most `concurrency` at a time and
 * `queue` more waiting. A worker that runs out of memory answers 413 SCENARIO.IMPORT_TOO_LARGE, one that takes too
 * long 422 SCENARIO.IMPORT_TIMEOUT, one that fails otherwise 422 SCENARIO.IMPORT_FAILED; the API goes on either way.
 * When the TypeScript sources run directly (tests) there is no compiled worker and the upload is read in this thread,
 * within the same slots, unless `workerFile` is set.
 */
@Injectable()
export class ImportRunner implements OnModuleDestroy {
  limits: ImportRunnerLimits = { ...IMPORT_RUNNER_LIMITS };
  /** The compiled worker, or null to read in this thread. */
  workerFile: string | null = ImportRunner.workerFile();
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly workers = new Set<Worker>();

  /** The compiled worker's file, or null when this module runs from its TypeScript source. */
  static workerFile(dir = __dirname, self = __filename): string | null {
    if (!self.endsWith('.js')) return null;
    const f = path.join(dir, 'import.worker.js');
    return fs.existsSync(f) ? f : null;
  }

  /** Uploads being read and waiting. */
  get load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }

  async run(job: UploadJob): Promise<UploadOutcome> {
    await this.acquire();
    try {
      return this.workerFile ? await this.inWorker(job, this.workerFile) : await readUpload(job);
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.limits.concurrency) {
      this.active++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.limits.queue) {
      throw new AppError(
        'SCENARIO.IMPORT_BUSY',
        `正在读取的调价项目表已达上限（同时 ${this.limits.concurrency} 个、等待 ${this.limits.queue} 个），请稍后重试；未导入任何数据 ` +
          `(too many imports at once: ${this.limits.concurrency} read and ${this.limits.queue} waiting; try again shortly; nothing was imported)`,
        503,
        { concurrency: this.limits.concurrency, queue: this.limits.queue },
      );
    }
    // the slot passes from the upload that finishes to the first waiting one (release)
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  private inWorker(job: UploadJob, file: string): Promise<UploadOutcome> {
    const { maxOldGenerationSizeMb, timeoutMs } = this.limits;
    return new Promise<UploadOutcome>((resolve, reject) => {
      const w = new Worker(file, { workerData: job, resourceLimits: { maxOldGenerationSizeMb } });
      this.workers.add(w);
      let done = false;
      const timer = setTimeout(() => finish(() => reject(timedOut(timeoutMs))), timeoutMs);
      const finish = (f: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        f();
        void w.terminate();
      };
      w.on('message', (m: { outcome?: UploadOutcome; error?: string }) =>
        finish(() => (m.outcome ? resolve(m.outcome) : reject(failed()))),
      );
      w.on('error', (e: Error & { code?: string }) =>
        finish(() =>
          reject(
            e.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? new AppError(
                  'SCENARIO.IMPORT_TOO_LARGE',
                  `读取调价项目表所需内存超过 ${maxOldGenerationSizeMb} MB，未导入任何数据 (reading the file needs more than ${maxOldGenerationSizeMb} MB of memory; nothing was imported)`,
                  413,
                  { limitMemoryMb: maxOldGenerationSizeMb },
                )
              : failed(),
          ),
        ),
      );
      w.on('exit', (code) => {
        this.workers.delete(w);
        finish(() => reject(failed(code)));
      });
    });
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.workers].map((w) => w.terminate()));
  }
}

function timedOut(ms: number): AppError {
  return new AppError(
    'SCENARIO.IMPORT_TIMEOUT',
    `调价项目表未能在 ${ms / 1000} 秒内读完，未导入任何数据 (reading the file took longer than ${ms / 1000} s; nothing was imported)`,
    422,
    { limitSeconds: ms / 1000 },
  );
}

/** A worker that failed without a refusal; what it threw stays out of the answer (it may name temporary files). */
function failed(exitCode?: number): AppError {
  return new AppError('SCENARIO.IMPORT_FAILED', '读取调价项目表失败，未导入任何数据 (reading the file failed; nothing was imported)', 422,
    exitCode === undefined ? undefined : { exitCode });
}
