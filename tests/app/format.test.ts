import { describe, expect, it } from 'vitest';
import { threshold } from '../../src/app/format';

describe('threshold', () => {
  it('shows two decimals, and the third when a link set one', () => {
    expect(threshold(0.9)).toBe('0.90');
    expect(threshold(0.96)).toBe('0.96');
    expect(threshold(0.992)).toBe('0.992');
    expect(threshold(1)).toBe('1.00');
    expect(threshold(0.9999)).toBe('0.9999');
  });
});
