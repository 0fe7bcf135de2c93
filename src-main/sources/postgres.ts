import { readFileSync } from 'node:fs';
import type pg from 'pg';
import type { PgConnection, PostgresSource, SslMode } from '../../src-shared/analyze-options';
import { AppError } from '../../src-shared/errors';
import { pgColumnKind, postgresDialect, type PgColumnKind, type SqlDialect } from './dialect';
import type { SqlRow } from './duckdb';
import { streamStatement } from './pg-stream';

/**
 * Postgres as a source. The analysis runs where the data lives: the scan plans are compiled to
 * Postgres SQL with the analyst's query as a subquery, inside a read-only transaction with a
 * statement timeout, and only the aggregated result comes back. TLS follows libpq's sslmode
 * meanings, except that a certificate that fails verification is never answered by a plaintext
 * retry (see connectionAttempts).
 */

interface Target {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  database: string;
  sslMode: SslMode;
}

/** Reads postgres://user:password@host:port/database?sslmode=… (or postgresql://). */
export function parsePgUrl(c: PgConnection): Target {
  let url: URL;
  try {
    url = new URL(c.url);
  } catch {
    throw new AppError('BAD_ARGUMENT', `'${redact(c.url)}' is not a Postgres URL`, 'Write it as postgres://user@host:5432/database.');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new AppError(
      'BAD_ARGUMENT',
      `'${redact(c.url)}' is not a Postgres URL (it starts with ${url.protocol})`,
      'Write it as postgres://user@host:5432/database.',
    );
  }
  const params = url.searchParams;
  const urlMode = params.get('sslmode');
  if (urlMode !== null && !isSslMode(urlMode))
    throw new AppError(
      'BAD_ARGUMENT',
      `sslmode=${urlMode} in the URL is not one of disable, allow, prefer, require, verify-ca, verify-full`,
      'Fix sslmode= in the URL, or drop it and use --postgres-ssl-mode.',
    );
  const host = params.get('host') ?? decodeURIComponent(url.hostname.replace(/^\[|\]$/g, ''));
  return {
    host: host || 'localhost',
    port: Number(params.get('port') ?? (url.port || 5432)),
    user: decodeURIComponent(url.username) || process.env.PGUSER || process.env.USER || 'postgres',
    password: c.password ?? (url.password ? decodeURIComponent(url.password) : process.env.PGPASSWORD),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || decodeURIComponent(url.username) || 'postgres',
    sslMode: c.sslMode ?? (urlMode as SslMode | null) ?? 'prefer',
  };
}

const isSslMode = (m: string): m is SslMode => ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'].includes(m);

/** A URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@/]*@/, '$1:***@');
}

function readPem(file: string | null, what: string): string | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new AppError('FILE_NOT_FOUND', `cannot read the ${what} ${file}: ${(err as Error).message}`, `Check the path of the ${what}.`);
  }
}

type TlsOptions =
  | false
  | { rejectUnauthorized: boolean; ca?: string; cert?: string; key?: string; servername?: string; checkServerIdentity?: () => undefined };

/**
 * The connection attempts of an sslmode, in order. Like libpq: disable never uses TLS; allow
 * tries plaintext and then TLS; prefer tries TLS and then plaintext; require uses TLS (verifying
 * the chain when a CA file is given, as libpq does with a root certificate); verify-ca verifies
 * the chain; verify-full also the host name. Unlike the seed, a fallback happens only when the
 * server itself declines (TLS not offered, or plaintext refused), never after a failed check.
 */
function connectionAttempts(c: PgConnection, mode: SslMode): TlsOptions[] {
  const ca = readPem(c.caFile, 'CA file');
  const cert = readPem(c.certFile, 'client certificate');
  const key = readPem(c.keyFile, 'client key');
  if ((cert === undefined) !== (key === undefined))
    throw new AppError(
      'BAD_ARGUMENT',
      'a client certificate needs its key, and a key its certificate',
      'Give both --postgres-cert-file and --postgres-key-file, or neither.',
    );
  const client = { ...(cert ? { cert, key } : {}) };
  const verifyChain = { rejectUnauthorized: true, ...(ca ? { ca } : {}), ...client, checkServerIdentity: () => undefined };
  const noVerify = { rejectUnauthorized: false, ...client };
  switch (mode) {
    case 'disable':
      return [false];
    case 'allow':
      return [false, ca ? verifyChain : noVerify];
    case 'prefer':
      return [ca ? verifyChain : noVerify, false];
    case 'require':
      return [ca ? verifyChain : noVerify];
    case 'verify-ca':
      return [verifyChain];
    case 'verify-full':
      return [{ rejectUnauthorized: true, ...(ca ? { ca } : {}), ...client }];
  }
}

/** The server declined TLS (prefer may go on without it) or declined plaintext (allow may go on with TLS). */
const declinedTls = (err: unknown) => /does not support SSL/i.test((err as Error).message);
const declinedPlain = (err: unknown) =>
  (err as { code?: string }).code === '28000' && /no encryption|SSL off|hostssl/i.test((err as Error).message);

/** Opens a client with the sslmode's rules; errors are typed and say what to do. */
export async function connectPg(c: PgConnection, timeoutMs = 10_000): Promise<pg.Client> {
  // The driver is loaded on first use, so that file-only jobs never load it.
  const { default: driver } = await import('pg');
  const t = parsePgUrl(c);
  const attempts = connectionAttempts(c, t.sslMode);
  let last: unknown;
  for (let i = 0; i < attempts.length; i++) {
    const tls = attempts[i]!;
    const client = new driver.Client({
      host: t.host,
      port: t.port,
      user: t.user,
      password: t.password,
      database: t.database,
      ssl: tls === false ? false : { ...tls, ...(tls.servername === undefined && !t.host.startsWith('/') ? { servername: t.host } : {}) },
      connectionTimeoutMillis: timeoutMs,
      application_name: 'FactorLens Workbench',
    });
    client.on('error', () => {
      // A connection lost between queries surfaces on the next query; nothing to do here.
    });
    try {
      await client.connect();
      return client;
    } catch (err) {
      last = err;
      await client.end().catch(() => {});
      const more = i + 1 < attempts.length;
      if (more && ((tls !== false && declinedTls(err)) || (tls === false && declinedPlain(err)))) continue;
      throw pgError(err, t);
    }
  }
  throw pgError(last, t);
}

/** What to do about a query that would not stay one subquery. */
const oneSelect =
  'Give one SELECT: it runs as a subquery, so nothing may follow it (a ; or a comment at the very end is fine) and its parentheses must pair up.';

/** A driver or server error as a typed error that names the failure and what to do. */
export function pgError(err: unknown, t?: Pick<Target, 'host' | 'port' | 'user' | 'database' | 'sslMode'>): AppError {
  if (err instanceof AppError) return err;
  const e = err as Error & { code?: string; position?: string };
  const where = t ? `${t.host}:${t.port}` : 'the server';
  const msg = e.message ?? String(err);
  const code = e.code ?? '';
  if (code === 'ECONNREFUSED')
    return new AppError(
      'DB_UNREACHABLE',
      `the connection to ${where} was refused: no Postgres server listens there`,
      'Check the host and port, and that the server is running.',
    );
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new AppError('DB_UNREACHABLE', `the host ${t?.host ?? ''} is unknown`, 'Check the host name.');
  if (code === 'ETIMEDOUT' || /timeout expired|Connection terminated due to connection timeout/i.test(msg))
    return new AppError(
      'DB_UNREACHABLE',
      `no answer from ${where} in time`,
      'Check the host, the port and any firewall or VPN in between.',
    );
  if (code === '28P01' || code === '28000') {
    if (/no encryption|SSL off/i.test(msg))
      return new AppError(
        'DB_TLS_FAILED',
        `${where} accepts only TLS connections for this user (${msg})`,
        'Use --postgres-ssl-mode require, verify-ca or verify-full.',
      );
    return new AppError('DB_AUTH_FAILED', `the server refused user '${t?.user ?? ''}': ${msg}`, 'Check the user name and password.');
  }
  if (/client password must be a string|password authentication failed.*no password|no password (was )?supplied/i.test(msg)) {
    return new AppError(
      'DB_AUTH_FAILED',
      `the server asks user '${t?.user ?? ''}' for a password and none was given`,
      'Type the password (a password that was not remembered lasts until the app closes).',
    );
  }
  if (code === '3D000')
    return new AppError(
      'DB_NOT_FOUND',
      `the database '${t?.database ?? ''}' does not exist on ${where}`,
      'Check the database name at the end of the URL.',
    );
  if (/does not support SSL/i.test(msg))
    return new AppError(
      'DB_TLS_FAILED',
      `${where} does not offer TLS, and sslmode ${t?.sslMode ?? ''} requires it`,
      'Enable TLS on the server, or use --postgres-ssl-mode prefer or disable on a trusted network.',
    );
  if (
    /self[- ]signed|unable to verify|unable to get (local )?issuer|certificate|altnames|Hostname\/IP does not match|CERT_|ERR_TLS/i.test(
      msg + code,
    )
  ) {
    return new AppError(
      'DB_TLS_FAILED',
      `the server's TLS certificate did not pass verification (${msg}); no unencrypted retry was made`,
      'Give the CA that signed the server certificate with --postgres-ca-file, or connect with the host name the certificate names.',
    );
  }
  if (code === '25006')
    return new AppError(
      'DB_READ_ONLY',
      `the query tried to change data, and FactorLens runs queries read-only (${msg})`,
      'Write a SELECT; analyses never modify the database.',
    );
  if (code === '57014') {
    return /statement timeout/i.test(msg)
      ? new AppError(
          'DB_TIMEOUT',
          'the query ran longer than the statement timeout and the server stopped it',
          'Raise --statement-timeout, or narrow the query.',
        )
      : new AppError('CANCELLED', 'the query was cancelled on the server', 'Run it again when you are ready.');
  }
  if (code === '42P01')
    return new AppError(
      'DB_QUERY_FAILED',
      `${msg} (check the table name and its schema)`,
      'Check the table name; the schema browser lists the tables you can read.',
    );
  if (code === '42601' && /cannot insert multiple commands|syntax error at or near ";"/i.test(msg))
    return new AppError('DB_QUERY_FAILED', 'the query holds more than one statement', oneSelect);
  if (/^[0-9A-Z]{5}$/.test(code))
    return new AppError(
      'DB_QUERY_FAILED',
      `Postgres: ${msg}${e.position ? ` (at character ${e.position} of the generated query)` : ''}`,
      'Check the query in a SQL editor; it must be one SELECT.',
    );
  return new AppError('DB_UNREACHABLE', `cannot talk to ${where}: ${msg}`, 'Check the connection settings.');
}

const identifierChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_$\u0080-\uffff]/.test(c);
const DOLLAR_TAG = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

/** Where a quoted text or comment that starts at i ends (the index after it), or -1 when none starts there. */
function skipQuoted(query: string, i: number): number {
  const n = query.length;
  const c = query[i]!;
  const next = query[i + 1];
  if (c === '-' && next === '-') {
    const nl = query.indexOf('\n', i);
    return nl < 0 ? n : nl;
  }
  if (c === '/' && next === '*') {
    // Postgres block comments nest.
    let depth = 1;
    let j = i + 2;
    while (j < n && depth > 0) {
      if (query.startsWith('/*', j)) {
        depth += 1;
        j += 2;
      } else if (query.startsWith('*/', j)) {
        depth -= 1;
        j += 2;
      } else j += 1;
    }
    return j;
  }
  if (c === "'" || c === '"') {
    // E'…' takes backslash escapes; in every quoted text a doubled quote stands for itself.
    const escapes = c === "'" && /[Ee]/.test(query[i - 1] ?? '') && !identifierChar(query[i - 2]);
    let j = i + 1;
    while (j < n) {
      if (escapes && query[j] === '\\') j += 2;
      else if (query[j] === c) {
        if (query[j + 1] !== c) break;
        j += 2;
      } else j += 1;
    }
    return Math.min(j + 1, n);
  }
  if (c === '$' && !identifierChar(query[i - 1])) {
    const tag = DOLLAR_TAG.exec(query.slice(i, i + 200))?.[0];
    if (tag) {
      const close = query.indexOf(tag, i + tag.length);
      return close < 0 ? n : close + tag.length;
    }
  }
  return -1;
}

/**
 * The analyst's query as a subquery: trailing semicolons and trailing comments (line or block)
 * are dropped, found by a small scanner that skips quoted text ('…', E'…', "…", $tag$…$tag$) and
 * comments, so a semicolon or "--" inside a string stays. A semicolon before the end, or a
 * parenthesis that does not pair up, would end the subquery early and is refused here with a
 * clear message; the server refuses a second statement anyway (queries go with the extended
 * protocol, see oneStatement). The closing parenthesis goes on its own line.
 */
export function cleanQuery(query: string): string {
  let end = 0;
  let depth = 0;
  const semicolons: number[] = [];
  let i = 0;
  const n = query.length;
  while (i < n) {
    const c = query[i]!;
    const after = skipQuoted(query, i);
    if (after >= 0) {
      if (c !== '-' && c !== '/') end = after;
      i = after;
      continue;
    }
    if (c === ';') semicolons.push(i);
    else if (!/\s/.test(c)) end = i + 1;
    if (c === '(') depth += 1;
    if (c === ')' && --depth < 0)
      throw new AppError('DB_QUERY_FAILED', `the query closes a parenthesis it did not open (at character ${i + 1})`, oneSelect);
    i += 1;
  }
  const early = semicolons.find((at) => at < end);
  if (early !== undefined)
    throw new AppError(
      'DB_QUERY_FAILED',
      `the query holds more than one statement (a ';' at character ${early + 1} ends the first)`,
      oneSelect,
    );
  if (depth > 0)
    throw new AppError('DB_QUERY_FAILED', `the query leaves ${depth} ${depth === 1 ? 'parenthesis' : 'parentheses'} open`, oneSelect);
  const q = query.slice(0, end).trim();
  if (q === '') throw new AppError('BAD_ARGUMENT', 'the query is empty', 'Write a SELECT, e.g. SELECT * FROM sales.');
  return q;
}

export const pgRelation = (query: string) => `(\n${cleanQuery(query)}\n) AS fl_q`;

export interface PgTable {
  columns: string[];
  kinds: Record<string, PgColumnKind>;
  dialect: SqlDialect;
  /** The same, summing typed numbers without the per-value NaN/infinity check (see postgresDialect). */
  fastDialect: SqlDialect;
  relation: string;
}

/**
 * Sends one statement with the extended query protocol. The server parses the text as a single
 * prepared statement and refuses a second one ("cannot insert multiple commands into a prepared
 * statement"), so no query text can end the read-only transaction and run something after it.
 * Every query that holds the analyst's text, or SQL generated around it, goes this way.
 */
export function oneStatement(client: pg.Client, text: string): Promise<pg.QueryResult> {
  const config: pg.QueryConfig & { queryMode: 'extended' } = { text, values: [], queryMode: 'extended' };
  return client.query(config);
}

/**
 * Asks the server to check, every second while a statement runs, that this client is still
 * connected, and to stop the statement when it is not (an engine killed, a network lost), instead
 * of running it to the statement timeout. Postgres 14 and later, on Linux, macOS and the BSDs; an
 * older server (unknown setting) or another platform (value refused) just goes without.
 */
async function stopWhenClientGone(client: pg.Client): Promise<void> {
  try {
    await client.query("SET client_connection_check_interval = '1s'");
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== '42704' && code !== '22023') throw err;
  }
}

/**
 * A session for one analysis: a read-only transaction with the statement timeout, on a
 * connection whose statements stop when it is lost; cancel() asks the server to stop the running
 * statement (from a second connection, as psql's Ctrl-C does).
 */
export class PgSession {
  private constructor(
    private readonly client: pg.Client,
    private readonly source: PostgresSource,
    private readonly pid: number,
  ) {}

  static async open(source: PostgresSource): Promise<PgSession> {
    // A query that would not stay one subquery is refused before connecting.
    cleanQuery(source.query);
    const client = await connectPg(source.connection);
    try {
      await stopWhenClientGone(client);
      await client.query('BEGIN TRANSACTION READ ONLY');
      await client.query(`SET LOCAL statement_timeout = ${Math.floor(source.statementTimeoutMs)}`);
      const pid = Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
      return new PgSession(client, source, pid);
    } catch (err) {
      await client.end().catch(() => {});
      throw pgError(err, parsePgUrl(source.connection));
    }
  }

  /** Runs a statement; with onRows, the rows are counted as they arrive (the scan's progress). */
  async query(sql: string, onRows?: (rowsRead: number) => void): Promise<SqlRow[]> {
    try {
      if (onRows) return await streamStatement(this.client, sql, onRows);
      return (await oneStatement(this.client, sql)).rows as SqlRow[];
    } catch (err) {
      throw pgError(err, parsePgUrl(this.source.connection));
    }
  }

  /** The query's columns and how the scan plans read each (from the row description; no rows read). */
  async describe(): Promise<PgTable> {
    const relation = pgRelation(this.source.query);
    let fields: { name: string; dataTypeID: number }[];
    try {
      fields = (await oneStatement(this.client, `SELECT * FROM ${relation} LIMIT 0`)).fields;
    } catch (err) {
      throw pgError(err, parsePgUrl(this.source.connection));
    }
    const seen = new Set<string>();
    for (const f of fields) {
      if (seen.has(f.name))
        throw new AppError('DB_QUERY_FAILED', `the query returns two columns named '${f.name}'`, 'Give every column its own name with AS.');
      seen.add(f.name);
    }
    const kinds = Object.fromEntries(fields.map((f) => [f.name, pgColumnKind(f.dataTypeID)]));
    return {
      columns: fields.map((f) => f.name),
      kinds,
      dialect: postgresDialect(kinds),
      fastDialect: postgresDialect(kinds, { trustFinite: true }),
      relation,
    };
  }

  /** Stops the running statement on the server. */
  async cancel(): Promise<void> {
    const other = await connectPg(this.source.connection, 5000);
    try {
      await other.query('SELECT pg_cancel_backend($1)', [this.pid]);
    } finally {
      await other.end().catch(() => {});
    }
  }

  async close(): Promise<void> {
    await this.client.query('ROLLBACK').catch(() => {});
    await this.client.end().catch(() => {});
  }
}

/** The session in flight in this process, so that the engine can cancel it before it exits. */
let active: PgSession | null = null;

export async function withPgSession<T>(source: PostgresSource, fn: (s: PgSession) => Promise<T>): Promise<T> {
  const session = await PgSession.open(source);
  active = session;
  try {
    return await fn(session);
  } finally {
    active = null;
    await session.close();
  }
}

/** Cancels the statement this process is running on a server, if any (called on SIGTERM/SIGINT). */
export async function cancelActivePgQuery(): Promise<void> {
  if (active) await active.cancel().catch(() => {});
}

/** How a query source is named in artifacts: the server (no password) and the query's first line. */
export function pgSourceLabel(source: PostgresSource): string {
  const t = parsePgUrl(source.connection);
  const first = cleanQuery(source.query).split('\n')[0]!.replace(/\s+/g, ' ').trim();
  return `postgres://${t.user}@${t.host}:${t.port}/${t.database}: ${first.length > 80 ? `${first.slice(0, 79)}…` : first}`;
}
