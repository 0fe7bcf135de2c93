import type { InvestigationArtifact } from '../../src-shared/artifacts/investigation';
import { formatSigned } from '../../src-shared/format';
import { escapeHtml } from './render-html';

type Graph = InvestigationArtifact['branch_graph'];
type GraphNode = Graph['nodes'][number];

const BOX_W = 200;
const BOX_H = 58;
const GAP_X = 24;
const GAP_Y = 56;
const MARGIN = 12;

const clip = (text: string, n: number) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

/**
 * The branch graph drawn top-down as inline SVG (boxes and arrows, no script): one row per depth,
 * each leaf in its own column, a parent centred over its children, children in the order of the
 * artifact's edges. A node no edge reaches starts a tree of its own.
 */
export function branchGraphSvg(graph: Graph, scoreText: (score: number) => string): string {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const children = new Map<string, Graph['edges']>();
  const reached = new Set<string>();
  for (const e of graph.edges) {
    if (!byId.has(e.from) || !byId.has(e.to) || reached.has(e.to) || e.from === e.to) continue;
    reached.add(e.to);
    children.set(e.from, [...(children.get(e.from) ?? []), e]);
  }
  const at = new Map<string, { x: number; y: number }>();
  let nextColumn = 0;
  const place = (n: GraphNode, row: number, path: Set<string>): number => {
    const kids = (children.get(n.id) ?? []).filter((e) => !path.has(e.to));
    const column =
      kids.length === 0
        ? nextColumn++
        : (() => {
            const cols = kids.map((e) => place(byId.get(e.to)!, row + 1, new Set([...path, e.to])));
            return (cols[0]! + cols.at(-1)!) / 2;
          })();
    at.set(n.id, { x: MARGIN + column * (BOX_W + GAP_X), y: MARGIN + row * (BOX_H + GAP_Y) });
    return column;
  };
  for (const n of graph.nodes) if (!reached.has(n.id) && !at.has(n.id)) place(n, 0, new Set([n.id]));
  if (at.size === 0) return '<p>No step to draw.</p>';

  const width = Math.max(...[...at.values()].map((p) => p.x)) + BOX_W + MARGIN;
  const height = Math.max(...[...at.values()].map((p) => p.y)) + BOX_H + MARGIN;
  const arrows = [...children.values()].flat().map((e) => {
    const from = at.get(e.from)!;
    const to = at.get(e.to)!;
    const [x1, y1, x2, y2] = [from.x + BOX_W / 2, from.y + BOX_H, to.x + BOX_W / 2, to.y - 2];
    const label = clip(`${e.via.value} (${formatSigned(e.score_improvement, 2)})`, 30);
    return (
      `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#7d8797" stroke-width="1.4" marker-end="url(#arrow)"/>` +
      `<text x="${(x1 + x2) / 2 + 4}" y="${(y1 + y2) / 2 + 4}" class="edge"><title>${escapeHtml(`${e.via.dimension} = ${e.via.value}, score improvement ${formatSigned(e.score_improvement, 2)}`)}</title>${escapeHtml(label)}</text>`
    );
  });
  const boxes = graph.nodes
    .filter((n) => at.has(n.id))
    .map((n) => {
      const { x, y } = at.get(n.id)!;
      const where = n.scope.length === 0 ? 'all rows' : `${n.scope.at(-1)!.dimension} = ${n.scope.at(-1)!.value}`;
      const best = n.top_segment === null ? 'no mover' : `top: ${n.top_segment}`;
      return (
        `<g class="node"><title>${escapeHtml(n.id)}</title>` +
        `<rect x="${x}" y="${y}" width="${BOX_W}" height="${BOX_H}" rx="6" fill="${n.depth === 0 ? '#e8effc' : '#f6f8fb'}" stroke="#3b6fd8"/>` +
        `<text x="${x + 8}" y="${y + 17}" font-weight="600">${escapeHtml(clip(`${where} by ${n.dimension}`, 32))}</text>` +
        `<text x="${x + 8}" y="${y + 34}">${escapeHtml(clip(best, 32))}</text>` +
        `<text x="${x + 8}" y="${y + 50}" class="v">${escapeHtml(n.top_score === null ? '' : clip(scoreText(n.top_score), 34))}</text></g>`
      );
    });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Drill-down graph" class="branch-graph" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="12">` +
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#7d8797"/></marker></defs>' +
    '<style>.edge{fill:#5b6577;font-size:11px}.v{fill:#444}</style>' +
    arrows.join('') +
    boxes.join('') +
    '</svg>'
  );
}
