import { Injectable } from '@nestjs/common';
import type { Highs } from 'highs';
import { OPTIMISER_HIGHS_OPTIONS, type LpSolver } from '../domain/optimiser';

/**
 * The HiGHS LP solver (WASM), loaded once per process on first use and shared by every app instance. The loader
 * promise is kept at module level; a failed load is forgotten so the next call tries again.
 */
let loading: Promise<Highs> | null = null;

function loadHighs(): Promise<Highs> {
  if (!loading) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loader = require('highs') as (options?: unknown) => Promise<Highs>;
    loading = loader().catch((e: unknown) => {
      loading = null;
      throw e;
    });
  }
  return loading;
}

@Injectable()
export class HighsSolverProvider {
  /** `(lp) => highs.solve(lp, OPTIMISER_HIGHS_OPTIONS)` over the process-wide HiGHS instance. */
  async solver(): Promise<LpSolver> {
    const highs = await loadHighs();
    return (lp) => highs.solve(lp, OPTIMISER_HIGHS_OPTIONS);
  }
}
