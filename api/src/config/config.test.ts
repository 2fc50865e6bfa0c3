import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactUrl } from './config';

describe('loadConfig', () => {
  it('defaults to port 3000 and the embedded database in .pgdata of the project', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.database.mode).toBe('embedded');
    if (c.database.mode === 'embedded') {
      expect(c.database.dir).toBe(path.join(c.projectRoot, '.pgdata'));
      expect(c.database.database).toBe('mspr');
    }
    expect(c.demoData).toBe(true);
  });

  it('uses DATABASE_URL, else the PG* variables, for a server', () => {
    const a = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/x' });
    expect(a.database).toEqual({ mode: 'server', url: 'postgres://u:p@db:5432/x', poolSize: 10 });
    const b = loadConfig({ PGHOST: '127.0.0.1', PGUSER: 'postgres', PGDATABASE: 'mspr' });
    expect(b.database).toMatchObject({ mode: 'server', url: 'postgres://postgres@127.0.0.1:5432/mspr' });
  });

  it('rejects bad values naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: '70000', DATABASE_URL: 'mysql://x' });
    } catch (e) {
      const paths = (e as ConfigError).issues.map((i) => i.path).sort();
      expect(paths).toEqual(['DATABASE_URL', 'PORT']);
      expect((e as Error).message).toContain('配置错误');
    }
    expect.assertions(3);
  });

  it('takes UPLOAD_MEMORY_MB, the memory budget of an upload\'s load (default 256 MB), and names it when invalid', () => {
    expect(loadConfig({}).upload.memoryMB).toBe(256);
    expect(loadConfig({ UPLOAD_MEMORY_MB: '64' }).upload.memoryMB).toBe(64);
    // the same floor as the command line's --memory-mb: 1 MB (a small budget sends even small volume files to large-file mode)
    expect(loadConfig({ UPLOAD_MEMORY_MB: '1' }).upload.memoryMB).toBe(1);
    for (const bad of ['lots', '0', '12.5', '-1']) {
      try {
        loadConfig({ UPLOAD_MEMORY_MB: bad });
        expect.unreachable(`UPLOAD_MEMORY_MB=${bad} was accepted`);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        expect((e as ConfigError).issues.map((i) => i.path)).toEqual(['UPLOAD_MEMORY_MB']);
        expect((e as Error).message).toContain('UPLOAD_MEMORY_MB');
      }
    }
  });

  it('masks passwords in URLs for logs', () => {
    expect(redactUrl('postgres://postgres:secret@127.0.0.1:5432/mspr')).toBe('postgres://postgres:***@127.0.0.1:5432/mspr');
  });
});
