import type { InvestigationArtifact } from '../../../src-shared/artifacts/investigation';

type Graph = InvestigationArtifact['branch_graph'];
type GraphNode = Graph['nodes'][number];
type GraphEdge = Graph['edges'][number];

/** The sizes the drawing uses, in SVG units. */
export interface BranchLayoutSize {
  nodeWidth: number;
  nodeHeight: number;
  /** Room between two depths, where the edge labels go. */
  columnGap: number;
  /** Room between two nodes of one depth. */
  rowGap: number;
  margin: number;
}

export const BRANCH_LAYOUT: BranchLayoutSize = { nodeWidth: 220, nodeHeight: 68, columnGap: 150, rowGap: 16, margin: 12 };

export interface PlacedNode {
  node: GraphNode;
  /** The top left corner of its box. */
  x: number;
  y: number;
}

export interface PlacedEdge {
  edge: GraphEdge;
  /** From the right side of the parent's box to the left side of the child's. */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** Where its label ends: just before the child, on the side of its line the curve does not come from. */
  labelX: number;
  labelY: number;
}

export interface BranchLayout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

/**
 * The branch graph drawn left to right: one column per depth, each leaf on its own row, a parent
 * centred on its children. Children keep the order of the artifact's edges (the planner's order).
 * A node no edge reaches (the first step, or a step whose parent is missing) starts a tree of its own.
 */
export function layoutBranchGraph(graph: Graph, size: BranchLayoutSize = BRANCH_LAYOUT): BranchLayout {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const children = new Map<string, GraphEdge[]>();
  const reached = new Set<string>();
  for (const e of graph.edges) {
    if (!byId.has(e.from) || !byId.has(e.to) || reached.has(e.to)) continue;
    reached.add(e.to);
    children.set(e.from, [...(children.get(e.from) ?? []), e]);
  }
  const roots = graph.nodes.filter((n) => !reached.has(n.id));

  const placed = new Map<string, PlacedNode>();
  const rowHeight = size.nodeHeight + size.rowGap;
  let nextRow = 0;
  // Depth-first: a leaf takes the next row, a parent the middle of its children's rows.
  const place = (n: GraphNode, column: number, seen: Set<string>): number => {
    const kids = (children.get(n.id) ?? []).filter((e) => !seen.has(e.to));
    let row: number;
    if (kids.length === 0) row = nextRow++;
    else {
      const rows = kids.map((e) => place(byId.get(e.to)!, column + 1, new Set([...seen, e.to])));
      row = (rows[0]! + rows[rows.length - 1]!) / 2;
    }
    placed.set(n.id, {
      node: n,
      x: size.margin + column * (size.nodeWidth + size.columnGap),
      y: size.margin + row * rowHeight,
    });
    return row;
  };
  for (const r of roots) place(r, 0, new Set([r.id]));
  // A loop of edges has no root: its first node starts it.
  for (const n of graph.nodes) if (!placed.has(n.id)) place(n, 0, new Set([n.id]));

  const edges: PlacedEdge[] = [];
  for (const list of children.values())
    for (const e of list) {
      const from = placed.get(e.from);
      const to = placed.get(e.to);
      if (!from || !to) continue;
      const y1 = from.y + size.nodeHeight / 2;
      const y2 = to.y + size.nodeHeight / 2;
      edges.push({
        edge: e,
        x1: from.x + size.nodeWidth,
        y1,
        x2: to.x,
        y2,
        labelX: to.x - 12,
        labelY: y2 > y1 ? y2 + 15 : y2 - 6,
      });
    }

  const nodes = graph.nodes.map((n) => placed.get(n.id)).filter((p): p is PlacedNode => p !== undefined);
  const right = Math.max(0, ...nodes.map((p) => p.x + size.nodeWidth));
  const bottom = Math.max(0, ...nodes.map((p) => p.y + size.nodeHeight));
  return { nodes, edges, width: right + size.margin, height: bottom + size.margin };
}
