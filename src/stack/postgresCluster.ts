import { execFile } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, openSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { isRunning, stopProcess, tailLog, waitUntilHealthy } from './processes.js';
import { StackError } from './StackError.js';

const run = promisify(execFile);

export const POSTGRES_DATABASE = 'ledgerflow';
export const POSTGRES_USER = 'postgres';

export interface PostgresRecord {
  pid: number;
  port: number;
  logFile: string;
  dataDir: string;
  binDir: string;
  /** OS user the cluster runs as when the stack runs as root (initdb refuses root). */
  runAs: string | null;
}

/** PG_BIN, else the directory of `initdb` on PATH, else the newest /usr/lib/postgresql/N/bin. */
export function postgresBinDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PG_BIN && existsSync(join(env.PG_BIN, 'initdb'))) return env.PG_BIN;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const initdb = join(dir, 'initdb');
    if (dir && existsSync(initdb)) {
      const real = dirname(realpathSync(initdb));
      if (existsSync(join(real, 'pg_ctl'))) return real;
    }
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((x, y) => Number(y) - Number(x))[0];
  if (newest) return join(root, newest, 'bin');
  throw new StackError('PostgreSQL binaries not found', {
    context: { searched: `PG_BIN,PATH,${root}/*/bin` },
    fix: 'install PostgreSQL (`apt-get install -y postgresql`) or set PG_BIN to the directory holding initdb and pg_ctl',
  });
}

export function databaseUrl(port: number): string {
  return `postgres://${POSTGRES_USER}@127.0.0.1:${port}/${POSTGRES_DATABASE}`;
}

/**
 * Creates (first time) and starts a private cluster under `<dir>/postgres`, listening on
 * 127.0.0.1 only, tuned for throwaway data (fsync off), with a `ledgerflow` database.
 */
export async function startPostgres(options: { dir: string; port: number; binDir?: string }): Promise<PostgresRecord> {
  const binDir = options.binDir ?? postgresBinDir();
  const home = join(options.dir, 'postgres');
  const dataDir = join(home, 'data');
  const logDir = join(options.dir, 'logs');
  const logFile = join(logDir, 'postgres.log');
  await mkdir(home, { recursive: true });
  await mkdir(logDir, { recursive: true });
  closeSync(openSync(logFile, 'a'));
  const runAs = process.getuid?.() === 0 ? POSTGRES_USER : null;
  if (runAs) await handOver([options.dir, logDir], [home, logFile], runAs);

  const pgRun = (bin: string, args: string[]) => {
    const command = join(binDir, bin);
    return runAs ? run('runuser', ['-u', runAs, '--', command, ...args]) : run(command, args);
  };
  try {
    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      await pgRun('initdb', ['-D', dataDir, '-U', POSTGRES_USER, '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
    }
    const serverOptions = [
      `-p ${options.port}`, `-k ${home}`, '-c listen_addresses=127.0.0.1',
      '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=200',
    ].join(' ');
    await pgRun('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', serverOptions, 'start']);
  } catch (cause) {
    throw new StackError('PostgreSQL did not start', {
      context: { port: options.port, log: logFile, last_lines: tailLog(logFile), stderr: String((cause as { stderr?: string }).stderr ?? '').trim() },
      fix: `read ${logFile}`,
      cause,
    });
  }
  const pid = postmasterPid(dataDir);
  const record: PostgresRecord = { pid, port: options.port, logFile, dataDir, binDir, runAs };
  await waitUntilHealthy('PostgreSQL', () => query(options.port, 'postgres', 'SELECT 1').then(() => true), { pid, logFile, timeoutMs: 30_000 });
  const exists = await query(options.port, 'postgres', 'SELECT 1 FROM pg_database WHERE datname = $1', [POSTGRES_DATABASE]);
  if (exists.rowCount === 0) await query(options.port, 'postgres', `CREATE DATABASE ${POSTGRES_DATABASE}`);
  return record;
}

/** The unprivileged user must traverse the stack dir and own the cluster directory and its log. */
async function handOver(traverse: string[], own: string[], user: string): Promise<void> {
  const { stdout } = await run('id', ['-u', user]);
  const { stdout: gid } = await run('id', ['-g', user]);
  for (const dir of traverse) {
    const mode = statSync(dir).mode & 0o777;
    if ((mode & 0o001) === 0) chmodSync(dir, mode | 0o011);
  }
  for (const path of own) chownSync(path, Number(stdout.trim()), Number(gid.trim()));
}

function postmasterPid(dataDir: string): number {
  try {
    return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch (cause) {
    throw new StackError('PostgreSQL started but wrote no postmaster.pid', { context: { dataDir }, cause });
  }
}

async function query(port: number, database: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: POSTGRES_USER, database, connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

export async function postgresHealth(record: PostgresRecord): Promise<boolean> {
  if (!isRunning(record.pid, record.dataDir)) return false;
  try {
    await query(record.port, POSTGRES_DATABASE, 'SELECT 1');
    return true;
  } catch {
    return false;
  }
}

/** `pg_ctl stop -m fast` (clean shutdown), falling back to signals on the postmaster pid. */
export async function stopPostgres(record: PostgresRecord): Promise<void> {
  if (!isRunning(record.pid, record.dataDir)) return;
  const pgCtl = join(record.binDir, 'pg_ctl');
  const args = ['-D', record.dataDir, '-m', 'fast', '-w', '-t', '30', 'stop'];
  try {
    await (record.runAs ? run('runuser', ['-u', record.runAs, '--', pgCtl, ...args]) : run(pgCtl, args));
  } catch {
    await stopProcess(record.pid, record.dataDir);
  }
}
