import { describe, expect, it } from 'vitest';
import { rootCauseMatcher, segmentKey } from './segment-key';

describe('root causes in the decomposition tree', () => {
  const isCause = rootCauseMatcher([
    {
      segment: [
        { dimension: 'bitrate', value: '2000' },
        { dimension: 'p2p', value: '1' },
      ],
    },
  ]);

  it('marks a part whatever order its pairs were drilled in, and only that part', () => {
    expect(
      isCause([
        { dimension: 'p2p', value: '1' },
        { dimension: 'bitrate', value: '2000' },
      ]),
    ).toBe(true);
    // Its parent, its child and a look-alike value are not the cause.
    expect(isCause([{ dimension: 'bitrate', value: '2000' }])).toBe(false);
    expect(
      isCause([
        { dimension: 'bitrate', value: '2000' },
        { dimension: 'p2p', value: '1' },
        { dimension: 'device', value: 'tv' },
      ]),
    ).toBe(false);
    expect(
      isCause([
        { dimension: 'bitrate', value: '2000.0' },
        { dimension: 'p2p', value: '1' },
      ]),
    ).toBe(false);
    expect(isCause(null)).toBe(false);
  });

  it('keeps values with any character apart', () => {
    expect(segmentKey([{ dimension: 'a', value: 'x","b' }])).not.toBe(
      segmentKey([
        { dimension: 'a', value: 'x' },
        { dimension: 'b', value: '' },
      ]),
    );
  });
});
