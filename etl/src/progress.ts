import { SingleBar } from 'cli-progress';
import type { LoadOptions } from './loader';
import { LOAD_PHASES, type LoadPhase } from './phases';

export interface ProgressReporter {
  onProgress: NonNullable<LoadOptions['onProgress']>;
  onPhase: NonNullable<LoadOptions['onPhase']>;
  /** the last file is done: stops the bar and the timers */
  done(): void;
}

/** A phase that lasts this long gets a line of its own (plain output), so that fast phases of small files stay quiet. */
const PHASE_LINE_AFTER_MS = 2000;
/** and then a line this often while it lasts */
const PHASE_LINE_EVERY_MS = 15_000;

const secs = (ms: number) => Math.round(ms / 1000);

/**
 * Progress of `npm run etl -- load` on stderr. While the rows are read: rows, rows/s and the time left — on a terminal
 * a bar, elsewhere a line every 2 s. Before and after the reading, where no row count moves (the checksum; the checks
 * and rollups in the database of a large volume file, the commit, the statistics): the phase that runs and for how
 * long — on a terminal in the bar's line, every second; elsewhere a line once the phase has lasted 2 s, again every
 * 15 s, and its time when it ends (fast phases print nothing).
 */
export function progressReporter(o: { tty: boolean; write: (s: string) => void; now?: () => number; stream?: NodeJS.WritableStream }): ProgressReporter {
  const now = o.now ?? Date.now;
  let phase: LoadPhase | null = null;
  let phaseStart = 0;
  let phaseLines = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let fileStart = 0;
  let readStart = now();
  let lastLine = 0;
  let bar: SingleBar | null = null;
  let barRows = 0;
  let barTotal = 0;

  const phaseText = () => `正在${LOAD_PHASES[phase!].zh}… 已用 ${secs(now() - phaseStart)} 秒`;
  const waiting = () => phase !== null && phase !== 'read';
  const schedule = (ms: number) => {
    timer = setTimeout(tick, ms);
    timer.unref?.();
  };
  function tick(): void {
    if (!waiting()) return;
    if (bar) {
      bar.update(barRows, { status: phaseText() });
      schedule(1000);
    } else {
      o.write(`  ${phaseText()}\n`);
      phaseLines++;
      schedule(PHASE_LINE_EVERY_MS);
    }
  }
  const endPhase = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (waiting() && phaseLines > 0) o.write(`  ${LOAD_PHASES[phase!].zh}完成，用时 ${secs(now() - phaseStart)} 秒\n`);
    phaseLines = 0;
  };
  /** the load of a file is over: the bar keeps its last line, with the file's time */
  const endFile = () => {
    endPhase();
    if (bar) {
      bar.update(barRows, { status: `完成，用时 ${secs(now() - fileStart)} 秒` });
      bar.stop();
    }
    bar = null;
    phase = null;
    lastLine = 0;
  };

  return {
    onPhase: (p) => {
      if (p === null) return endFile();
      endPhase();
      if (phase === null) fileStart = now();
      if (p === 'read') readStart = now();
      phase = p;
      phaseStart = now();
      if (!waiting()) return;
      bar?.update(barRows, { status: phaseText() });
      schedule(bar ? 1000 : PHASE_LINE_AFTER_MS);
    },
    onProgress: (rows, total) => {
      const t = now();
      const rate = rows / Math.max(0.001, (t - readStart) / 1000);
      if (o.tty) {
        if (!bar) {
          bar = new SingleBar({ format: '  {bar} {percentage}% | {value} 行 | {status}', stream: o.stream ?? process.stderr, hideCursor: true });
          barTotal = total ?? rows;
          bar.start(barTotal, 0, { status: '' });
        }
        if (total && total !== barTotal) {
          barTotal = total;
          bar.setTotal(total);
        }
        barRows = rows;
        const eta = total && rate > 0 ? ` | 剩余 ${Math.round((total - rows) / rate)} 秒` : '';
        bar.update(rows, { status: waiting() ? phaseText() : `${Math.round(rate)} 行/秒${eta}` });
        return;
      }
      if (t - lastLine < 2000) return;
      lastLine = t;
      const eta = total ? ` 剩余约 ${Math.round((total - rows) / Math.max(rate, 1))} 秒` : '';
      o.write(`  已处理 ${rows} 行，${Math.round(rate)} 行/秒${total ? `，共 ${total} 行` : ''}${eta}\n`);
    },
    done: endFile,
  };
}
