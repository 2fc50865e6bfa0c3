import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { progressReporter } from './progress';

describe('the command line\'s progress in a log (no terminal)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('prints rows, then the phase that runs while no row count moves, with its time; fast phases print nothing', () => {
    const lines: string[] = [];
    const p = progressReporter({ tty: false, write: (s) => lines.push(s) });
    p.onPhase('checksum');
    vi.advanceTimersByTime(500); // a fast checksum: no line
    p.onPhase('read');
    vi.advanceTimersByTime(2000);
    p.onProgress(200_000, 1_000_000); // 2 s after the reading began: 100,000 rows/s, 8 s left
    vi.advanceTimersByTime(1000);
    p.onProgress(300_000, 1_000_000); // within 2 s of the last line: none
    vi.advanceTimersByTime(7000);
    p.onProgress(1_000_000, 1_000_000);
    expect(lines).toEqual([
      '  已处理 200000 行，100000 行/秒，共 1000000 行 剩余约 8 秒\n',
      '  已处理 1000000 行，100000 行/秒，共 1000000 行 剩余约 0 秒\n',
    ]);
    lines.length = 0;
    p.onPhase('aggregate');
    vi.advanceTimersByTime(1999);
    expect(lines).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(lines).toEqual(['  正在汇总（数据库中）… 已用 2 秒\n']);
    vi.advanceTimersByTime(15_000);
    expect(lines).toEqual(['  正在汇总（数据库中）… 已用 2 秒\n', '  正在汇总（数据库中）… 已用 17 秒\n']);
    vi.advanceTimersByTime(3000);
    p.onPhase('overlap');
    expect(lines.at(-1)).toBe('  汇总（数据库中）完成，用时 20 秒\n');
    lines.length = 0;
    vi.advanceTimersByTime(300);
    p.onPhase('write');
    vi.advanceTimersByTime(1500);
    p.onPhase('commit');
    vi.advanceTimersByTime(100);
    p.onPhase('analyze');
    vi.advanceTimersByTime(2500);
    expect(lines).toEqual(['  正在分析统计… 已用 2 秒\n']);
    p.onPhase(null); // the file is done
    expect(lines).toEqual(['  正在分析统计… 已用 2 秒\n', '  分析统计完成，用时 3 秒\n']);
    vi.advanceTimersByTime(60_000); // nothing runs after the end of the file
    expect(lines).toHaveLength(2);
    p.done();
  });

  it('counts the rows per second of the next file of a folder from its own start', () => {
    const lines: string[] = [];
    const p = progressReporter({ tty: false, write: (s) => lines.push(s) });
    p.onPhase('read');
    vi.advanceTimersByTime(10_000);
    p.onProgress(10_000, null);
    p.onPhase(null);
    vi.advanceTimersByTime(5000);
    p.onPhase('read');
    vi.advanceTimersByTime(2000);
    p.onProgress(50_000, null);
    expect(lines).toEqual(['  已处理 10000 行，1000 行/秒\n', '  已处理 50000 行，25000 行/秒\n']);
    p.done();
  });
});
