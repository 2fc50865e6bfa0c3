import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/config';

/**
 * Loads the demo dataset (data/demo) through the ETL loaders on the first start, when no file has been loaded yet.
 * Until the loaders exist this leaves the schema empty.
 */
export async function seedDemoData(ds: DataSource, _config: AppConfig, logger: Logger): Promise<void> {
  const rows: { n: number }[] = await ds.query('select count(*)::int as n from load_batch');
  if (rows[0].n > 0) return;
  logger.info('demo dataset: no loaders yet, schema left empty');
}
