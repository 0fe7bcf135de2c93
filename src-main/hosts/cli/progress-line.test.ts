import { describe, expect, it } from 'vitest';
import { progressLine } from './progress-line';

describe('the CLI progress line', () => {
  it('shows a bar, the percent, the stage and the time left', () => {
    expect(progressLine('Scanning rows', 45, 'about 12 s left')).toBe('[#########...........]  45% Scanning rows · about 12 s left');
  });
  it('shows rows read and no bar when the percent is not known', () => {
    expect(progressLine('Scanning rows', null, '1,200 rows read')).toBe('Scanning rows · 1,200 rows read');
  });
  it('is cut to the terminal width so it never wraps', () => {
    const line = progressLine('Scanning rows', 45, 'about 12 s left', 30);
    expect(line).toHaveLength(29);
    expect(line.endsWith('…')).toBe(true);
  });
});
