import { describe, expect, it } from 'vitest';
import { fileSize, seconds } from './dataFormat';

describe('数据管理 formats', () => {
  it('writes sizes in binary units', () => {
    expect(fileSize(512)).toBe('512 B');
    expect(fileSize(1536)).toBe('1.5 KB');
    expect(fileSize(2 * 1024 ** 3)).toBe('2 GB');
    expect(fileSize(150 * 1024 ** 2)).toBe('150 MB');
  });
  it('writes durations in 秒, 分 and 小时', () => {
    expect(seconds(0.4)).toBe('0 秒');
    expect(seconds(59)).toBe('59 秒');
    expect(seconds(125)).toBe('2 分 5 秒');
    expect(seconds(3 * 3600 + 61)).toBe('3 小时 1 分');
    expect(seconds(125, 'en')).toBe('2 min 5 s');
  });
});
