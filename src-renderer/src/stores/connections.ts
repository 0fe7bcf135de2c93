import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { CallResponse, Connection, ConnectionInput, SchemaTable } from '../../../src-shared/contract';
import type { ErrorInfo } from '../../../src-shared/errors';
import { api } from '../api/client';
import { act } from './act';
import { useNotifications } from './notifications';
import { useSelection } from './selection';

type SecretStore = CallResponse<'connections.list'>['secretStore'];
type Tested = CallResponse<'connections.test'>;
type QueryPreview = CallResponse<'connections.preview'>;

/** Names usable bare in SQL stay bare; others are double-quoted. */
const quote = (name: string) => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`);

/**
 * Postgres connections of the workspace, and the work on the open one: the last test of the
 * editor's settings, its schema, the query being written and its preview.
 */
export const useConnections = defineStore('connections', () => {
  const list = ref<Connection[]>([]);
  /** Where remembered passwords go on this host (the OS secret store, or this session only). */
  const secretStore = ref<SecretStore | null>(null);
  const testing = ref(false);
  const tested = ref<Tested | null>(null);
  const testError = ref<ErrorInfo | null>(null);
  const schema = ref<SchemaTable[] | null>(null);
  const schemaLoading = ref(false);
  const schemaError = ref<ErrorInfo | null>(null);
  /** The query being written and the name its dataset will get. */
  const query = ref({ sql: '', datasetName: '' });
  const preview = ref<QueryPreview | null>(null);
  const previewing = ref(false);
  const previewError = ref<ErrorInfo | null>(null);
  const nav = useSelection();
  const notes = useNotifications();

  async function load(): Promise<void> {
    const r = await act(() => api.call('connections.list', {}));
    if (r) {
      list.value = r.connections;
      secretStore.value = r.secretStore;
    }
  }

  /** Forgets what was found for the connection open before. */
  function clearResults(): void {
    tested.value = null;
    testError.value = null;
    schema.value = null;
    schemaError.value = null;
    preview.value = null;
    previewError.value = null;
  }

  async function test(input: ConnectionInput): Promise<void> {
    testing.value = true;
    tested.value = null;
    testError.value = null;
    tested.value =
      (await act(
        () => api.call('connections.test', input),
        (e) => (testError.value = e),
      )) ?? null;
    testing.value = false;
  }

  async function save(input: ConnectionInput): Promise<Connection | null> {
    const saved = await act(() => api.call('connections.save', input));
    if (!saved) return null;
    await load();
    notes.notice(`Connection '${saved.name}' saved.`);
    return saved;
  }

  async function remove(id: string): Promise<boolean> {
    if (!(await act(() => api.call('connections.remove', { id })))) return false;
    await load();
    if (nav.current.kind === 'databases') nav.current = { kind: 'databases' };
    return true;
  }

  async function loadSchema(id: string): Promise<void> {
    schemaLoading.value = true;
    schemaError.value = null;
    schema.value =
      (await act(
        async () => (await api.call('connections.schema', { id })).tables,
        (e) => (schemaError.value = e),
      )) ?? null;
    schemaLoading.value = false;
  }

  async function runPreview(id: string): Promise<void> {
    if (!query.value.sql.trim()) return;
    previewing.value = true;
    previewError.value = null;
    preview.value =
      (await act(
        () => api.call('connections.preview', { id, sql: query.value.sql, limit: 50 }),
        (e) => (previewError.value = e),
      )) ?? null;
    previewing.value = false;
  }

  /** Starts a query of a whole table (named after it) and previews it. */
  async function queryTable(id: string, t: SchemaTable): Promise<void> {
    query.value = { sql: `SELECT *\nFROM ${t.schema === 'public' ? '' : `${quote(t.schema)}.`}${quote(t.name)}`, datasetName: t.name };
    await runPreview(id);
  }

  return {
    list,
    secretStore,
    testing,
    tested,
    testError,
    schema,
    schemaLoading,
    schemaError,
    query,
    preview,
    previewing,
    previewError,
    load,
    clearResults,
    test,
    save,
    remove,
    loadSchema,
    runPreview,
    queryTable,
  };
});
