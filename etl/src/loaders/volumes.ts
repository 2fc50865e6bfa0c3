import type { Loader } from '../loader';
import { loadVolumes, partitionName, removeVolumes } from '../volumes/load';
import { VOLUME_COLUMNS, VolumeKey } from '../volumes/rows';

/**
 * 服务量: volumes per region, institution, item, year and month (etl/README.md, layout 5), CSV or Arrow IPC.
 * Each batch is one partition of `volume`, with its rows of volume_coverage (the months held per institution and
 * year) and the level rollup volume_annual_level of the (region, year) pairs it touches.
 * How it works: etl/src/volumes/load.ts.
 */
export const volumesLoader: Loader<VolumeKey> = {
  kind: 'volumes',
  // the batch's own partition (the parent's statistics follow from its partitions'), and the rollups
  analyze: (batchId) => [partitionName(batchId), 'volume_coverage', 'volume_annual_level'],
  columns: VOLUME_COLUMNS,
  headerRows: 1,
  checksumWhileLoading: true,
  remove: removeVolumes,
  load: loadVolumes,
};
