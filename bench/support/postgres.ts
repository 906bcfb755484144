/**
 * A PostgreSQL 15 server for benchmarks: BENCH_DATABASE_URL if set, otherwise a throwaway cluster
 * started from Debian's binaries (as the postgres user when run as root, since Postgres refuses root).
 */
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';

const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface BenchPostgres {
  /** Creates a fresh database and returns its URL. */
  freshDatabase(name: string): Promise<string>;
  stop(): void;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * `durable: false` (the default) turns fsync and synchronous_commit off in the throwaway cluster;
 * `durable: true` keeps PostgreSQL's defaults, so every commit is flushed as in production.
 */
export async function startBenchPostgres(options: { durable?: boolean } = {}): Promise<BenchPostgres> {
  let adminUrl = process.env.BENCH_DATABASE_URL;
  let stop = () => {};
  if (!adminUrl) {
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-pg-'));
    const port = await freePort();
    const asPostgres = (cmd: string, args: string[]) =>
      process.getuid?.() === 0 ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(PG_BIN, cmd), ...args], { stdio: 'pipe' }) : execFileSync(path.join(PG_BIN, cmd), args, { stdio: 'pipe' });
    if (process.getuid?.() === 0) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
      chownSync(dir, uid, gid);
    }
    asPostgres('initdb', ['-D', `${dir}/data`, '-U', 'app', '--auth=trust']);
    asPostgres('pg_ctl', ['-D', `${dir}/data`, '-l', `${dir}/log`, '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c max_connections=300${options.durable ? '' : ' -c fsync=off -c synchronous_commit=off'}`, '-w', 'start']);
    adminUrl = `postgres://app@127.0.0.1:${port}/postgres`;
    stop = () => {
      asPostgres('pg_ctl', ['-D', `${dir}/data`, '-m', 'fast', 'stop']);
    };
  }
  const admin = adminUrl;
  return {
    async freshDatabase(name) {
      const sql = postgres(admin, { max: 1, onnotice: () => {} });
      await sql.unsafe(`drop database if exists ${name} with (force)`);
      await sql.unsafe(`create database ${name}`);
      await sql.end();
      const url = new URL(admin);
      url.pathname = `/${name}`;
      return url.toString();
    },
    stop,
  };
}
