import { caller } from './http';

/** One answer the API gave (or status 0: none, the connection failed), times in ms since the traffic started. */
export interface Answer {
  label: string;
  start: number;
  end: number;
  status: number;
  code?: string;
  retryAfter: string | null;
  error?: string;
}

type Call = ReturnType<typeof caller>;

/** The one answer besides 2xx that the API may give while its database misbehaves. */
export const UNAVAILABLE = 'DATABASE.UNAVAILABLE';

/**
 * Requests sent in loops by several concurrent clients until stopped, every answer kept: for tests that disturb the
 * database under the API and then look at what the clients were told.
 */
export class Traffic {
  readonly answers: Answer[] = [];
  private running = true;
  private readonly loops: Promise<void>[] = [];
  private readonly t0 = performance.now();

  constructor(private readonly call: Call) {}

  /** ms since the traffic started */
  now(): number {
    return performance.now() - this.t0;
  }

  /** One request, its answer recorded. */
  async send(label: string, method: string, path: string, body?: unknown): ReturnType<Call> {
    const start = this.now();
    try {
      const r = await this.call(method, path, body);
      this.answers.push({ label, start, end: this.now(), status: r.status, code: r.body?.code, retryAfter: r.headers.get('retry-after') });
      return r;
    } catch (e) {
      this.answers.push({ label, start, end: this.now(), status: 0, retryAfter: null, error: String(e) });
      return { status: 0, body: null, headers: new Headers() };
    }
  }

  /** Runs `step` over and over (one client) until stop(). */
  loop(step: () => Promise<unknown>): void {
    this.loops.push(
      (async () => {
        while (this.running) {
          await step();
          await new Promise((r) => setTimeout(r, 2));
        }
      })(),
    );
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Answers other than 2xx and 503 DATABASE.UNAVAILABLE with a Retry-After header. */
  unexpected(): Answer[] {
    return this.answers.filter((a) => !ok(a) && !(a.status === 503 && a.code === UNAVAILABLE && a.retryAfter));
  }

  /** Waits at least `minMs`, then until `done()` holds or `maxMs` have passed (a busy machine is slow to progress). */
  async settle(done: () => boolean, minMs: number, maxMs: number): Promise<void> {
    const t0 = this.now();
    await new Promise((r) => setTimeout(r, minMs));
    while (!done() && this.now() - t0 < maxMs) await new Promise((r) => setTimeout(r, 50));
  }

  count(f: (a: Answer) => boolean): number {
    return this.answers.filter(f).length;
  }

  /** ms from `at` until the first 2xx answer to a request sent at or after `at` (Infinity: none). */
  recoveryAfter(at: number): number {
    let best = Infinity;
    for (const a of this.answers) if (a.start >= at && ok(a)) best = Math.min(best, a.end - at);
    return best;
  }
}

export const ok = (a: Pick<Answer, 'status'>): boolean => a.status >= 200 && a.status < 300;

/** A short summary of answers for an assertion message. */
export function describeAnswers(answers: readonly Answer[]): string {
  const counts = new Map<string, number>();
  for (const a of answers) {
    const k = `${a.label} → ${a.status}${a.code ? ' ' + a.code : ''}${a.error ? ' ' + a.error : ''}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${n} × ${k}`).join('\n');
}
