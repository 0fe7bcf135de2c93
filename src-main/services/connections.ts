import { randomUUID } from 'node:crypto';
import type { PgConnection, PostgresSource } from '../../src-shared/analyze-options';
import type { CallParsed, Connection, SchemaTable } from '../../src-shared/contract';
import { AppError } from '../../src-shared/errors';
import { connectPg, oneStatement, pgError, PgSession } from '../sources/postgres';
import type { SecretStore } from './secrets';
import type { ProjectStore } from './store/project-store';

type ConnectionInput = CallParsed<'connections.save'>;

/**
 * Saved Postgres connections of a workspace. Settings live in the workspace file; a password is
 * either encrypted by the OS secret store (and only the ciphertext is stored) or kept in memory
 * for this session. Every database call goes through connectPg, so TLS rules are the CLI's.
 */
export class Connections {
  private readonly sessionPasswords = new Map<string, string>();

  constructor(
    private readonly store: ProjectStore,
    private readonly secrets: SecretStore,
  ) {}

  list(): { connections: Connection[]; secretStore: { kind: 'os' | 'session'; label: string } } {
    const secretStore = { kind: this.secrets.persistent ? ('os' as const) : ('session' as const), label: this.secrets.description };
    return { connections: this.store.listConnections().map((c) => c.connection), secretStore };
  }

  save(input: ConnectionInput): Connection {
    const id = input.id ?? randomUUID();
    const previous = input.id ? this.store.getConnection(input.id) : null;
    const remember = input.rememberPassword && this.secrets.persistent;
    let cipher: Buffer | null | undefined;
    if (input.password !== null) {
      this.sessionPasswords.set(id, input.password);
      cipher = remember && input.password !== '' ? this.secrets.encrypt(input.password) : null;
    } else {
      cipher = remember ? undefined : null;
    }
    const passwordSaved = cipher === undefined ? previous?.cipher !== null && previous?.cipher !== undefined : cipher !== null;
    const connection: Connection = {
      id,
      name: input.name,
      host: input.host,
      port: input.port,
      database: input.database,
      user: input.user,
      sslMode: input.sslMode,
      caFile: input.caFile,
      certFile: input.certFile,
      keyFile: input.keyFile,
      passwordSaved,
    };
    this.store.saveConnection(connection, cipher);
    return connection;
  }

  remove(id: string): boolean {
    this.sessionPasswords.delete(id);
    return this.store.removeConnection(id);
  }

  /** The connection as the Postgres source needs it, with its password (typed now, of this session, or saved). */
  pgConnection(id: string): PgConnection {
    const { connection, cipher } = this.store.getConnection(id);
    let password = this.sessionPasswords.get(id) ?? null;
    if (password === null && cipher) {
      try {
        password = this.secrets.decrypt(cipher);
      } catch {
        throw new AppError(
          'DB_AUTH_FAILED',
          `the saved password of '${connection.name}' cannot be read on this computer`,
          'Open the connection, type the password again and save.',
        );
      }
    }
    return toPg(connection, password);
  }

  source(id: string, sql: string, statementTimeoutMs = 300_000): PostgresSource {
    return { kind: 'postgres', connection: this.pgConnection(id), query: sql, statementTimeoutMs };
  }

  /** Tries a connection as edited (the saved or session password when none is typed). */
  async test(input: ConnectionInput): Promise<{ serverVersion: string; tls: boolean; user: string; database: string }> {
    let password = input.password;
    if (password === null && input.id) password = this.pgConnection(input.id).password;
    const pg = toPg({ ...input, id: input.id ?? '', passwordSaved: false }, password);
    const client = await connectPg(pg);
    try {
      const { rows } = await oneStatement(
        client,
        "SELECT current_setting('server_version') AS v, current_user AS u, current_database() AS d, coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false) AS tls",
      );
      return { serverVersion: String(rows[0].v), tls: rows[0].tls === true, user: String(rows[0].u), database: String(rows[0].d) };
    } catch (err) {
      throw pgError(err);
    } finally {
      await client.end().catch(() => {});
    }
  }

  /** Schemas, tables and views the user may read, with their columns and types. */
  async schema(id: string): Promise<SchemaTable[]> {
    const client = await connectPg(this.pgConnection(id));
    try {
      const { rows } = await oneStatement(
        client,
        `SELECT c.table_schema AS s, c.table_name AS t, tb.table_type AS k, c.column_name AS c, c.data_type AS ty
           FROM information_schema.columns c
           JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
          WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema') AND c.table_schema NOT LIKE 'pg_toast%'
          ORDER BY c.table_schema, c.table_name, c.ordinal_position
          LIMIT 20000`,
      );
      const tables = new Map<string, SchemaTable>();
      for (const r of rows as { s: string; t: string; k: string; c: string; ty: string }[]) {
        const key = `${r.s}.${r.t}`;
        if (!tables.has(key)) tables.set(key, { schema: r.s, name: r.t, kind: r.k === 'VIEW' ? 'view' : 'table', columns: [] });
        tables.get(key)!.columns.push({ name: r.c, type: r.ty });
      }
      return [...tables.values()];
    } catch (err) {
      throw pgError(err);
    } finally {
      await client.end().catch(() => {});
    }
  }

  /** The first rows of a query (read-only, 30 s at most), every value as text. */
  async preview(id: string, sql: string, limit: number): Promise<{ columns: { name: string; type: string }[]; rows: (string | null)[][] }> {
    const session = await PgSession.open(this.source(id, sql, 30_000));
    try {
      const t = await session.describe();
      const list = t.columns.map((c, i) => `${t.dialect.text(c)} AS c${i}`).join(', ');
      const rows = await session.query(`SELECT ${list || '1 AS c0'} FROM ${t.relation} LIMIT ${limit}`);
      return {
        columns: t.columns.map((name) => ({ name, type: t.kinds[name] === 'text' ? 'text' : t.kinds[name]! })),
        rows: rows.map((r) => t.columns.map((_, i) => (r[`c${i}`] === null ? null : String(r[`c${i}`])))),
      };
    } finally {
      await session.close();
    }
  }
}

function toPg(c: Connection, password: string | null): PgConnection {
  const url = `postgres://${encodeURIComponent(c.user)}@${c.host.includes(':') ? `[${c.host}]` : c.host}:${c.port}/${encodeURIComponent(c.database)}`;
  return { url, password, sslMode: c.sslMode, caFile: c.caFile, certFile: c.certFile, keyFile: c.keyFile };
}
