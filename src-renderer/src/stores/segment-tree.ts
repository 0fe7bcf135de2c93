import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SegmentCondition } from '../../../src-shared/artifacts/segments';
import type { ErrorInfo } from '../../../src-shared/errors';
import type { SegmentSplit } from '../../../src-shared/segment-split';
import { api } from '../api/client';
import { act } from './act';

/** One column of the tree: a node split by a dimension, and the part drilled into (if any). */
export interface TreeColumn {
  node: SegmentCondition[];
  /** The dimension the analyst picked; null: the one that explains most. */
  asked: string | null;
  split: SegmentSplit | null;
  loading: boolean;
  error: ErrorInfo | null;
  /** The value of the part drilled into, shown split in the next column. */
  selected: string | null;
}

/**
 * The decomposition trees of segments runs and investigations: per run, the path drilled so far (one column per
 * level), kept while the workbench is open so that going to the rows and back finds it as left.
 */
export const useSegmentTree = defineStore('segment-tree', () => {
  const trees = ref<Record<string, TreeColumn[]>>({});

  const columnsOf = (runId: string): TreeColumn[] => trees.value[runId] ?? [];

  async function load(runId: string, level: number): Promise<void> {
    const col = trees.value[runId]?.[level];
    if (!col) return;
    col.loading = true;
    col.error = null;
    const split = await act(
      () => api.call('segments.split', { runId, node: col.node, ...(col.asked ? { dimension: col.asked } : {}) }),
      (e) => (col.error = e),
    );
    // The path may have changed while the answer was on its way: keep it only where it was asked.
    const now = trees.value[runId]?.[level];
    if (now !== col) return;
    col.loading = false;
    if (split) col.split = split;
  }

  const column = (node: SegmentCondition[], asked: string | null = null): TreeColumn => ({
    node,
    asked,
    split: null,
    loading: true,
    error: null,
    selected: null,
  });

  /** Opens the first level (the whole change split by the dimension that explains most); again: closes the tree. */
  async function toggleRoot(runId: string): Promise<void> {
    if (columnsOf(runId).length > 0) {
      trees.value[runId] = [];
      return;
    }
    trees.value[runId] = [column([])];
    await load(runId, 0);
  }

  /** Splits a level's node by another dimension; the levels after it close. */
  async function splitBy(runId: string, level: number, dimension: string): Promise<void> {
    const cols = columnsOf(runId);
    const col = cols[level];
    if (!col) return;
    trees.value[runId] = [...cols.slice(0, level), column(col.node, dimension)];
    await load(runId, level);
  }

  /** Drills into a part of a level: the next level splits it (by the dimension that explains most). Again: closes it. */
  async function drill(runId: string, level: number, value: string): Promise<void> {
    const cols = columnsOf(runId);
    const col = cols[level];
    if (!col?.split?.dimension) return;
    const kept = cols.slice(0, level + 1);
    if (col.selected === value) {
      col.selected = null;
      trees.value[runId] = kept;
      return;
    }
    col.selected = value;
    const node = [...col.node, { dimension: col.split.dimension, value }];
    // A part with every dimension fixed has nothing left to split.
    const left = col.split.ranked.length > 1;
    trees.value[runId] = left ? [...kept, column(node)] : kept;
    if (left) await load(runId, level + 1);
  }

  /**
   * Opens the tree drilled along a path: level i splits the path's first i pairs by the dimension
   * of pair i, that pair's part selected; the last level splits the whole path by `then` (null: by
   * the dimension that explains most). The levels are asked for at once.
   */
  async function openAt(runId: string, path: readonly SegmentCondition[], then: string | null): Promise<void> {
    const cols = path.map((c, i) => ({ ...column(path.slice(0, i), c.dimension), selected: c.value }));
    trees.value[runId] = [...cols, column([...path], then)];
    await Promise.all(trees.value[runId]!.map((_, level) => load(runId, level)));
  }

  /** Closes a level and those after it. */
  function close(runId: string, level: number): void {
    const cols = columnsOf(runId).slice(0, level);
    const last = cols[cols.length - 1];
    if (last) last.selected = null;
    trees.value[runId] = cols;
  }

  return { trees, columnsOf, toggleRoot, splitBy, drill, openAt, close, retry: load };
});
