import { describe, expect, it } from 'vitest';
import type { InvestigationArtifact } from '../../../src-shared/artifacts/investigation';
import { BRANCH_LAYOUT, layoutBranchGraph } from './branch-layout';
import { scopeFilter, scopeText, scoreText } from './investigation-text';

type Graph = InvestigationArtifact['branch_graph'];
const node = (id: string, depth: number, dimension: string, scope: { dimension: string; value: string }[]) => ({
  id,
  dimension,
  scope,
  depth,
  top_segment: 'x',
  top_score: 1,
});

// The demo's shape: region over the whole table, its two largest movers drilled by channel, APAC's Partner by product line.
const graph: Graph = {
  nodes: [
    node('d0:region:all', 0, 'region', []),
    node('d1:channel:region=APAC', 1, 'channel', [{ dimension: 'region', value: 'APAC' }]),
    node('d1:channel:region=EU', 1, 'channel', [{ dimension: 'region', value: 'EU' }]),
    node('d2:product_line:region=APAC|channel=Partner', 2, 'product_line', [
      { dimension: 'region', value: 'APAC' },
      { dimension: 'channel', value: 'Partner' },
    ]),
  ],
  edges: [
    { from: 'd0:region:all', to: 'd1:channel:region=APAC', via: { dimension: 'region', value: 'APAC' }, score_improvement: 2 },
    { from: 'd0:region:all', to: 'd1:channel:region=EU', via: { dimension: 'region', value: 'EU' }, score_improvement: 1 },
    {
      from: 'd1:channel:region=APAC',
      to: 'd2:product_line:region=APAC|channel=Partner',
      via: { dimension: 'channel', value: 'Partner' },
      score_improvement: 0.5,
    },
  ],
};

describe('the branch graph layout', () => {
  const { nodeWidth: w, nodeHeight: h, columnGap: gap, rowGap, margin: m } = BRANCH_LAYOUT;
  const at = (l: ReturnType<typeof layoutBranchGraph>, id: string) => l.nodes.find((p) => p.node.id === id)!;

  it('puts each depth in its own column, each leaf on its own row, a parent centred on its children', () => {
    const l = layoutBranchGraph(graph);
    const row = h + rowGap;
    // Leaves: APAC's product-line step (row 0), EU's channel step (row 1); APAC's channel step sits on its one child.
    expect(at(l, 'd2:product_line:region=APAC|channel=Partner')).toMatchObject({ x: m + 2 * (w + gap), y: m });
    expect(at(l, 'd1:channel:region=EU')).toMatchObject({ x: m + w + gap, y: m + row });
    expect(at(l, 'd1:channel:region=APAC')).toMatchObject({ x: m + w + gap, y: m });
    expect(at(l, 'd0:region:all')).toMatchObject({ x: m, y: m + row / 2 });
    expect(l.width).toBe(m + 3 * w + 2 * gap + m);
    expect(l.height).toBe(m + row + h + m);
  });

  it('draws an edge from the right of the parent to the left of the child, its label off the curve', () => {
    const l = layoutBranchGraph(graph);
    expect(l.edges).toHaveLength(3);
    const eu = l.edges.find((e) => e.edge.to === 'd1:channel:region=EU')!;
    // EU's step is below the region step: its curve comes down from above, its label sits under the line.
    expect(eu).toMatchObject({ x1: m + w, x2: m + w + gap, labelX: m + w + gap - 12, labelY: eu.y2 + 15 });
    expect(eu.y2 - eu.y1).toBe((h + rowGap) / 2);
    const apac = l.edges.find((e) => e.edge.to === 'd1:channel:region=APAC')!;
    expect(apac.labelY).toBe(apac.y2 - 6);
  });

  it('draws a step whose parent is missing as a tree of its own, and keeps one parent per step', () => {
    const l = layoutBranchGraph({
      nodes: [...graph.nodes, node('d1:plan_tier:region=US', 1, 'plan_tier', [{ dimension: 'region', value: 'US' }])],
      edges: [
        ...graph.edges,
        { from: 'gone', to: 'd1:plan_tier:region=US', via: { dimension: 'region', value: 'US' }, score_improvement: 0 },
        // A second parent for EU's step is ignored: the first edge placed it.
        { from: 'd1:channel:region=APAC', to: 'd1:channel:region=EU', via: { dimension: 'channel', value: 'x' }, score_improvement: 0 },
      ],
    });
    expect(l.nodes).toHaveLength(5);
    expect(l.edges).toHaveLength(3);
    expect(at(l, 'd1:plan_tier:region=US')).toMatchObject({ x: m, y: m + 2 * (h + rowGap) });
  });

  it('names scopes and scores on their own scale, and turns a scope into the preview filter', () => {
    expect(scopeText([])).toBe('whole table');
    expect(scopeText(graph.nodes[3]!.scope)).toBe('in region = APAC, channel = Partner');
    expect(scoreText(47.94, 'pct_of_total_change')).toBe('47.9% of change');
    expect(scoreText(3.25, 'share_pp')).toBe('3.3 pp');
    expect(scoreText(null, 'share_pp')).toBe('–');
    expect(scopeFilter([{ dimension: 'channel', value: '(blank)' }])).toEqual([{ column: 'channel', value: '' }]);
  });
});
