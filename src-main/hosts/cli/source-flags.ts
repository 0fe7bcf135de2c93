import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SSL_MODES, type SslMode, type Source } from '../../../src-shared/analyze-options';
import { AppError } from '../../../src-shared/errors';

/** The input flags of the commands that read a table: a file, or a Postgres query (the seed's flags, plus client certificates). */
export interface SourceFlags {
  input?: string;
  postgresUrl?: string;
  query?: string;
  queryFile?: string;
  postgresSslMode?: SslMode;
  postgresCaFile?: string;
  postgresCertFile?: string;
  postgresKeyFile?: string;
  statementTimeout: string;
}

export function addSourceFlags(cmd: Command, inputHelp = 'CSV or TSV file to analyse'): Command {
  return cmd
    .option('--input <file>', inputHelp)
    .option('--postgres-url <url>', 'Postgres source: postgres://user@host:5432/db (or the DATABASE_URL environment variable)')
    .option('--query <sql>', 'the SELECT to analyse (runs in the database, read-only)')
    .option('--query-file <file>', 'a file holding the SELECT')
    .addOption(
      new Option('--postgres-ssl-mode <mode>', "TLS, with libpq's meanings (default: the URL's sslmode, else prefer)").choices([
        ...SSL_MODES,
      ]),
    )
    .option('--postgres-ca-file <pem>', 'CA certificate(s) that sign the server certificate')
    .option('--postgres-cert-file <pem>', 'client certificate (with --postgres-key-file)')
    .option('--postgres-key-file <pem>', 'client private key')
    .option('--statement-timeout <seconds>', 'the server stops the query after this long (0: never)', '300');
}

const PG_FLAGS = ['postgresUrl', 'query', 'queryFile', 'postgresSslMode', 'postgresCaFile', 'postgresCertFile', 'postgresKeyFile'] as const;

/** Exactly one source: --input, or a Postgres URL (flag or DATABASE_URL) with one of --query/--query-file. */
export function sourceFromFlags(f: SourceFlags): Source {
  const pgGiven = PG_FLAGS.filter((k) => f[k] !== undefined);
  if (f.input !== undefined) {
    if (pgGiven.length > 0)
      throw new AppError(
        'BAD_ARGUMENT',
        'choose exactly one input source: --input, or --postgres-url with --query or --query-file',
        `Drop --input or the Postgres flags (${pgGiven.map(flagName).join(', ')}).`,
      );
    return { kind: 'file', path: f.input };
  }
  if (f.query === undefined && f.queryFile === undefined) {
    throw new AppError(
      'BAD_ARGUMENT',
      pgGiven.length > 0
        ? 'a Postgres source needs --query or --query-file'
        : 'no input: give --input <file>, or --postgres-url with --query',
      'For example: --input data/sales.csv, or --postgres-url postgres://me@localhost/shop --query "SELECT * FROM orders".',
    );
  }
  if (f.query !== undefined && f.queryFile !== undefined)
    throw new AppError(
      'BAD_ARGUMENT',
      'give --query or --query-file, not both',
      'Keep one: the SQL inline with --query, or in a file with --query-file.',
    );
  const url = f.postgresUrl ?? process.env.DATABASE_URL;
  if (!url)
    throw new AppError(
      'BAD_ARGUMENT',
      '--query/--query-file require --postgres-url (or DATABASE_URL env var)',
      'Add --postgres-url postgres://user@host:5432/db, or set DATABASE_URL.',
    );
  let query = f.query ?? '';
  if (f.queryFile !== undefined) {
    try {
      query = readFileSync(f.queryFile, 'utf8');
    } catch (err) {
      throw new AppError(
        'FILE_NOT_FOUND',
        `cannot read the query file ${f.queryFile}: ${(err as Error).message}`,
        'Check the --query-file path.',
      );
    }
  }
  const seconds = Number(f.statementTimeout);
  if (!Number.isFinite(seconds) || seconds < 0)
    throw new AppError(
      'BAD_ARGUMENT',
      `--statement-timeout must be a number of seconds (0: none), got '${f.statementTimeout}'`,
      'Give seconds as a number, e.g. --statement-timeout 60 (0 for no limit).',
    );
  return {
    kind: 'postgres',
    connection: {
      url,
      password: null,
      sslMode: f.postgresSslMode ?? null,
      caFile: f.postgresCaFile ?? null,
      certFile: f.postgresCertFile ?? null,
      keyFile: f.postgresKeyFile ?? null,
    },
    query,
    statementTimeoutMs: Math.round(seconds * 1000),
  };
}

const flagName = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** The stem of default output names: the file's name, or "query" (the query file's name if any). */
export function sourceStem(source: Source, f: SourceFlags): string {
  if (source.kind === 'file') return path.parse(source.path).name;
  return f.queryFile ? path.parse(f.queryFile).name : 'query';
}
