import type { Loader } from '../loader';
import { loadVolumes, removeVolumes } from '../volumes/load';
import { VOLUME_COLUMNS, VolumeKey } from '../volumes/rows';

/**
 * 服务量: volumes per region, institution, item, year and month (etl/README.md, layout 5), CSV or Arrow IPC.
 * Each batch is one partition of `volume`; the rollups volume_annual_institution and volume_annual_level follow.
 * How it works: etl/src/volumes/load.ts.
 */
export const volumesLoader: Loader<VolumeKey> = {
  kind: 'volumes',
  columns: VOLUME_COLUMNS,
  headerRows: 1,
  remove: removeVolumes,
  load: loadVolumes,
};
