import { AppConfig } from '../config/config';
import { EmbeddedServer, startEmbedded } from './embedded';

/** Where the product's database is: a server given by the configuration, or the embedded one started here. */
export interface DatabaseHandle {
  url: string;
  mode: 'server' | 'embedded';
  embedded?: EmbeddedServer;
  close(): Promise<void>;
}

export async function openDatabase(config: AppConfig, log: (m: string) => void = () => undefined): Promise<DatabaseHandle> {
  const db = config.database;
  if (db.mode === 'server') return { url: db.url, mode: 'server', close: async () => undefined };
  const embedded = await startEmbedded({ dir: db.dir, port: db.port, database: db.database, log });
  return { url: embedded.url, mode: 'embedded', embedded, close: () => embedded.stop() };
}
