import { describe, expect, it } from 'vitest';
import { groupConditions, groupValues, rowFilter } from './drill';

describe('the rows behind a segment', () => {
  it('turns a segment into a preview filter, an empty cell for "(blank)"', () => {
    expect(
      rowFilter([
        { dimension: 'region', value: 'US' },
        { dimension: 'channel', value: '(blank)' },
      ]),
    ).toEqual([
      { column: 'region', value: 'US' },
      { column: 'channel', value: '' },
    ]);
  });

  it('splits an analyze segment name back into its values only when it splits into one per column', () => {
    expect(groupValues('EU | Online', ['region', 'channel'])).toEqual(['EU', 'Online']);
    // A value holding " | " makes the name ambiguous: no drill-down rather than the wrong rows.
    expect(groupValues('A | B | Online', ['region', 'channel'])).toBeNull();
    expect(groupConditions(['region', 'channel'], ['EU', 'Online'])).toEqual([
      { dimension: 'region', value: 'EU' },
      { dimension: 'channel', value: 'Online' },
    ]);
  });
});
