/**
 * The optimiser's worker thread: solves one request at a time (optimisePrices with HiGHS) off the API's event loop,
 * so a solve of seconds never stalls health or a light read. Started by OptimiserRunner from the compiled server.
 */
import { parentPort } from 'node:worker_threads';
import { optimisePrices, type OptimiserItem, type OptimiserSettings } from '../domain/optimiser';
import { HighsSolverProvider } from './optimise.highs';

export interface OptimiseJob {
  id: number;
  items: readonly OptimiserItem[];
  settings: OptimiserSettings;
}

const provider = new HighsSolverProvider();
parentPort?.on('message', (job: OptimiseJob) => {
  provider.solver().then(
    (solver) => {
      try {
        parentPort!.postMessage({ id: job.id, result: optimisePrices(job.items, job.settings, solver) });
      } catch (e) {
        parentPort!.postMessage({ id: job.id, error: e instanceof Error ? e.message : String(e) });
      }
    },
    (e: unknown) => parentPort!.postMessage({ id: job.id, error: e instanceof Error ? e.message : String(e) }),
  );
});
