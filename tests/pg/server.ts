import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A throwaway PostgreSQL cluster for the tests: initdb in a temp folder, TLS with certificates
 * generated here by openssl (a CA, a server certificate for "localhost" only, a client
 * certificate, and an unrelated CA), password (SCRAM) authentication, a free port on 127.0.0.1.
 * As root (CI containers) the server runs as the `postgres` system user, as Postgres requires.
 */
export interface TestServer {
  port: number;
  dir: string;
  /** Superuser password (user postgres). */
  password: string;
  ca: string;
  wrongCa: string;
  clientCert: string;
  clientKey: string;
  url(user?: string, database?: string, password?: string): string;
  stop(): void;
}

function binDir(): string {
  const roots = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of roots) if (existsSync(`/usr/lib/postgresql/${v}/bin/initdb`)) return `/usr/lib/postgresql/${v}/bin`;
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return path.dirname(which.stdout.trim());
  throw new Error(
    'PostgreSQL server binaries (initdb, pg_ctl) were not found. Install them: sudo apt-get install -y postgresql (Debian/Ubuntu), or put initdb on PATH.',
  );
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A CA, and certificates it signs: the server's names "localhost" only (so 127.0.0.1 is a host name mismatch). */
function makeCertificates(dir: string): void {
  const days = '2';
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      days,
      '-subj',
      '/CN=FactorLens Test CA',
    ],
    dir,
  );
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'wrong-ca.key',
      '-out',
      'wrong-ca.crt',
      '-days',
      days,
      '-subj',
      '/CN=Some Other CA',
    ],
    dir,
  );
  writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost'], dir);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.crt',
      '-days',
      days,
      '-extfile',
      'server.ext',
    ],
    dir,
  );
  writeFileSync(path.join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=certuser'], dir);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'client.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'client.crt',
      '-days',
      days,
      '-extfile',
      'client.ext',
    ],
    dir,
  );
  chmodSync(path.join(dir, 'server.key'), 0o600);
}

export async function startTestServer(): Promise<TestServer> {
  const bin = binDir();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-pg-'));
  const asRoot = process.getuid?.() === 0;
  makeCertificates(dir);
  const password = 'fl-test-secret';
  writeFileSync(path.join(dir, 'pw'), `${password}\n`);
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chmodSync(dir, 0o755);
    for (const f of readdirSync(dir)) chownSync(path.join(dir, f), uid, gid);
    chownSync(dir, uid, gid);
  }
  const run = (cmd: string, args: string[]) => {
    const full = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args]] : [path.join(bin, cmd), args];
    const r = spawnSync(full[0] as string, full[1] as string[], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
  };
  const data = path.join(dir, 'data');
  run('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--pwfile',
    path.join(dir, 'pw'),
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
  ]);
  const port = await freePort();
  writeFileSync(
    path.join(data, 'postgresql.auto.conf'),
    [
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${dir}'`,
      'ssl = on',
      `ssl_cert_file = '${path.join(dir, 'server.crt')}'`,
      `ssl_key_file = '${path.join(dir, 'server.key')}'`,
      `ssl_ca_file = '${path.join(dir, 'ca.crt')}'`,
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      "shared_buffers = '128MB'",
      "work_mem = '64MB'",
      'max_connections = 40',
      '',
    ].join('\n'),
  );
  // tlsonly may connect with TLS only; certuser with a client certificate only; everyone else with a password.
  writeFileSync(
    path.join(data, 'pg_hba.conf'),
    [
      'local all all trust',
      'hostnossl all tlsonly 127.0.0.1/32 reject',
      'hostssl all certuser 127.0.0.1/32 cert',
      'host all all 127.0.0.1/32 scram-sha-256',
      '',
    ].join('\n'),
  );
  if (asRoot)
    for (const f of ['postgresql.auto.conf', 'pg_hba.conf'])
      chownSync(
        path.join(data, f),
        Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
        Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
      );
  run('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  const stop = () => {
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return {
    port,
    dir,
    password,
    ca: path.join(dir, 'ca.crt'),
    wrongCa: path.join(dir, 'wrong-ca.crt'),
    clientCert: path.join(dir, 'client.crt'),
    clientKey: path.join(dir, 'client.key'),
    url: (user = 'postgres', database = 'postgres', pw = password) =>
      `postgres://${encodeURIComponent(user)}${pw ? `:${encodeURIComponent(pw)}` : ''}@localhost:${port}/${database}`,
    stop,
  };
}
