import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api } from '../api/client';
import { useNotifications } from './notifications';
import { useRuns } from './runs';
import { useSelection } from './selection';
import { useWorkspace } from './workspace';

/** How long a deleted run or dataset can be brought back. */
export const UNDO_MS = 6000;
/** Removals not yet sent when the page went away, per workspace: sent at the next start. */
const STORAGE_KEY = 'factorlens.pendingRemovals';

type Kind = 'run' | 'dataset';
interface Pending {
  kind: Kind;
  id: string;
  timer: ReturnType<typeof setTimeout>;
  /** Puts the item back where it was in its list. */
  restore: () => void;
}
interface Stored {
  workspace: string;
  kind: Kind;
  id: string;
}

/**
 * Deleting with Undo: the run or dataset leaves its list at once, and the delete reaches the
 * workspace only when the undo notice has expired (or the page goes away), so Undo loses nothing:
 * a run keeps its result, a dataset keeps the link of its runs.
 */
export const usePendingRemovals = defineStore('pendingRemovals', () => {
  const pending = ref(new Map<string, Pending>());
  const runs = useRuns();
  const ws = useWorkspace();
  const nav = useSelection();
  const notes = useNotifications();

  const keyOf = (kind: Kind, id: string) => `${kind}:${id}`;

  function isPending(kind: Kind, id: string): boolean {
    return pending.value.has(keyOf(kind, id));
  }

  function removeRun(id: string): void {
    const index = runs.history.findIndex((r) => r.id === id);
    const summary = runs.history[index];
    if (!summary || isPending('run', id)) return;
    runs.history.splice(index, 1);
    if (nav.current.kind === 'run' && nav.current.id === id) nav.current = { kind: 'none' };
    schedule('run', id, `Deleted run “${summary.title}”`, () => {
      runs.history.splice(Math.min(index, runs.history.length), 0, summary);
    });
  }

  function removeDataset(id: string): void {
    const index = ws.datasets.findIndex((d) => d.id === id);
    const dataset = ws.datasets[index];
    if (!dataset || isPending('dataset', id)) return;
    ws.datasets.splice(index, 1);
    if (nav.current.kind === 'dataset' && nav.current.id === id) nav.current = { kind: 'none' };
    schedule('dataset', id, `Removed ${dataset.name} from the workspace (its runs stay in the history)`, () => {
      ws.datasets.splice(Math.min(index, ws.datasets.length), 0, dataset);
    });
  }

  function schedule(kind: Kind, id: string, text: string, restore: () => void): void {
    const key = keyOf(kind, id);
    const timer = setTimeout(() => void commit(key), UNDO_MS);
    pending.value.set(key, { kind, id, timer, restore });
    remember({ workspace: ws.path, kind, id });
    notes.offerUndo({ text, ms: UNDO_MS, undo: () => undo(key) });
  }

  function undo(key: string): void {
    const p = pending.value.get(key);
    if (!p) return;
    clearTimeout(p.timer);
    pending.value.delete(key);
    forget(p.kind, p.id);
    p.restore();
  }

  /** Sends one removal to the workspace; if it fails, the item comes back and the error shows. */
  async function commit(key: string): Promise<void> {
    const p = pending.value.get(key);
    if (!p) return;
    clearTimeout(p.timer);
    pending.value.delete(key);
    try {
      await send(p.kind, p.id);
      forget(p.kind, p.id);
    } catch (err) {
      forget(p.kind, p.id);
      p.restore();
      notes.report(err);
    }
  }

  async function send(kind: Kind, id: string): Promise<void> {
    if (kind === 'run') {
      await api.call('runs.remove', { id });
      return;
    }
    await api.call('datasets.remove', { id });
    // The dataset's runs stay in the history, no longer linked to it (Run again needs the file added again).
    runs.history = runs.history.map((r) => (r.datasetId === id ? { ...r, datasetId: null } : r));
  }

  /** Sends every waiting removal now: the page is going away (window closed, reload). */
  function flush(): void {
    for (const key of [...pending.value.keys()]) void commit(key);
  }

  /**
   * At start: removals confirmed in an earlier session whose send may not have arrived (the page
   * closed during the undo time) are sent now, and their items leave the lists just loaded.
   */
  async function resumeLeftovers(): Promise<void> {
    const left = stored().filter((s) => s.workspace === ws.path);
    if (left.length === 0) return;
    runs.history = runs.history.filter((r) => !left.some((s) => s.kind === 'run' && s.id === r.id));
    ws.datasets = ws.datasets.filter((d) => !left.some((s) => s.kind === 'dataset' && s.id === d.id));
    for (const s of left) {
      try {
        await send(s.kind, s.id);
      } catch (err) {
        notes.report(err);
      }
      forget(s.kind, s.id);
    }
  }

  return { isPending, removeRun, removeDataset, undo, flush, resumeLeftovers };
});

function stored(): Stored[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]') as unknown;
    return Array.isArray(parsed) ? (parsed as Stored[]) : [];
  } catch {
    return [];
  }
}

function save(list: Stored[]): void {
  try {
    if (list.length === 0) localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, JSON.stringify(list));
  } catch {
    // No storage: the removal is still sent when the notice expires or the page goes away.
  }
}

function remember(entry: Stored): void {
  save([...stored().filter((s) => !(s.kind === entry.kind && s.id === entry.id)), entry]);
}

function forget(kind: Kind, id: string): void {
  save(stored().filter((s) => !(s.kind === kind && s.id === id)));
}
