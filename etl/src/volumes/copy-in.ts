import { finished } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

type CopyStream = ReturnType<typeof copyFrom>;

/**
 * A COPY … FROM STDIN fed chunk by chunk. `write` returns as soon as the bytes are handed to the socket, so the
 * caller prepares the next chunk while the server parses this one; it waits only when the socket is full.
 */
export class CopyIn {
  /** the server's error, once COPY has failed */
  error: (Error & { where?: string; code?: string }) | null = null;
  private readonly stream: CopyStream;
  private pending: Promise<void> | null = null;
  private closed = false;

  constructor(db: PoolClient, sql: string) {
    this.stream = db.query(copyFrom(sql));
    this.stream.on('error', (e: Error) => {
      this.error ??= e;
    });
    this.stream.on('close', () => {
      this.closed = true;
    });
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.stream.off('drain', done);
        this.stream.off('close', done);
        this.stream.off('error', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('close', done);
      this.stream.on('error', done);
    });
  }

  /** Queues the pieces; waits while the previous chunk is still stuck in a full socket. Throws COPY's error. */
  async write(pieces: readonly Buffer[]): Promise<void> {
    if (this.pending) {
      await this.pending;
      this.pending = null;
    }
    if (this.error) throw this.error;
    let ok = true;
    for (const p of pieces) if (p.length > 0) ok = this.stream.write(p);
    if (!ok) this.pending = this.drained();
  }

  /** Ends the data; resolves with the number of rows COPY stored. Throws COPY's error. */
  async end(): Promise<number> {
    if (this.pending) await this.pending;
    if (this.error) throw this.error;
    this.stream.end();
    try {
      await finished(this.stream);
    } catch (e) {
      throw this.error ?? e;
    }
    if (this.error) throw this.error;
    return this.stream.rowCount;
  }

  /** Cancels the COPY (CopyFail); the transaction (or savepoint) is then aborted and must be rolled back. */
  async abort(): Promise<void> {
    if (this.pending) await this.pending;
    if (!this.closed && !this.error) {
      const done = finished(this.stream).catch(() => undefined);
      this.stream.destroy(new Error('volumes load: validation failed, COPY cancelled'));
      await done;
    }
  }
}

/** `line 12, column quantity` from the context PostgreSQL gives a COPY error. */
export function copyErrorPlace(e: { where?: string }): { line: number; column: string | null } | null {
  const m = /COPY [^,]+, line (\d+)(?:, column ([^:\s]+))?/.exec(e.where ?? '');
  return m ? { line: Number(m[1]), column: m[2] ?? null } : null;
}
