import { Float64, Int32, Int64, Table, tableToIPC, vectorFromArray, type Vector } from 'apache-arrow';
import type { ForecastResult } from '../domain/forecast';
import type { ForecastResponse } from './forecast.schemas';

export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';
/** Schema metadata key holding the JSON of the assumptions, the static figures and the limits. */
export const DRAWS_META_KEY = 'mspr';

/**
 * The forecast's draws as an Arrow IPC stream, one row per draw: `draw`, the elasticity drawn for each category
 * (`elasticity_<category>`, Float64), the recognition reduction (`recognition`), the net, fund, out-of-pocket and
 * freed-spending figures of the forecast year (`netFen`, `fundFen`, `outOfPocketFen`, `recognitionSavingsFen`, Int64,
 * whole fen) and the net per hospital level (`netFen_level3` …). The schema metadata holds the assumptions.
 */
export function drawsToArrow(r: ForecastResult, response: ForecastResponse): Uint8Array {
  const d = r.draws;
  const int64 = (xs: Float64Array) => vectorFromArray(Array.from(xs, (x) => BigInt(x)), new Int64());
  const cols: Record<string, Vector> = {
    draw: vectorFromArray(Array.from({ length: d.count }, (_, i) => i + 1), new Int32()),
  };
  for (const [cat, xs] of Object.entries(d.elasticity)) cols[`elasticity_${cat}`] = vectorFromArray(Array.from(xs), new Float64());
  cols.recognition = vectorFromArray(Array.from(d.recognition), new Float64());
  cols.netFen = int64(d.netFen);
  cols.fundFen = int64(d.fundFen);
  cols.outOfPocketFen = int64(d.outOfPocketFen);
  cols.recognitionSavingsFen = int64(d.savingsFen);
  for (const [level, xs] of Object.entries(d.byLevelNetFen)) cols[`netFen_level${level}`] = int64(xs);
  const table = new Table(cols);
  table.schema.metadata.set(
    DRAWS_META_KEY,
    JSON.stringify({
      scenarioId: response.scenario.id,
      year: response.year,
      baseYear: response.baseYear,
      assumptions: response.assumptions.values,
      recognitionWeight: response.assumptions.recognitionWeight,
      static: response.total.static,
      limits: response.limits,
    }),
  );
  return tableToIPC(table, 'stream');
}
