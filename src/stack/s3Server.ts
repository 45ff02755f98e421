import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { isRunning, spawnDetached, stopProcess, waitUntilHealthy } from './processes.js';

export const S3_BUCKET = 'ledgerflow-lake';
/** s3rver accepts any credentials; clients still need a pair to sign with. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3Record {
  pid: number;
  port: number;
  logFile: string;
  directory: string;
}

export function s3Endpoint(port: number): string {
  return `http://127.0.0.1:${port}`;
}

function s3rverCli(): string {
  const pkg = createRequire(import.meta.url).resolve('s3rver/package.json');
  return join(dirname(pkg), 'bin', 's3rver.js');
}

/**
 * Runs s3rver in its own node process (so it outlives `stack up`) with the lake bucket. The legacy
 * OpenSSL provider is needed for its DES-encrypted ListObjectsV2 continuation tokens.
 */
export async function startS3(options: { dir: string; port: number }): Promise<S3Record> {
  const directory = join(options.dir, 's3');
  const logDir = join(options.dir, 'logs');
  await mkdir(directory, { recursive: true });
  await mkdir(logDir, { recursive: true });
  const logFile = join(logDir, 's3rver.log');
  const args = [
    '--openssl-legacy-provider', s3rverCli(),
    '--directory', directory,
    '--address', '127.0.0.1',
    '--port', String(options.port),
    '--silent',
    '--configure-bucket', S3_BUCKET,
  ];
  const pid = await spawnDetached({ command: process.execPath, args, logFile });
  const record: S3Record = { pid, port: options.port, logFile, directory };
  try {
    await waitUntilHealthy('s3rver', () => s3Health(record), { pid, logFile, timeoutMs: 30_000 });
  } catch (error) {
    await stopProcess(pid);
    throw error;
  }
  return record;
}

/** Healthy when the lake bucket lists (s3rver skips signature checks on anonymous GETs). */
export async function s3Health(record: S3Record): Promise<boolean> {
  if (!isRunning(record.pid, `--port ${record.port}`)) return false;
  try {
    const response = await fetch(`${s3Endpoint(record.port)}/${S3_BUCKET}?list-type=2&max-keys=1`, { signal: AbortSignal.timeout(2_000) });
    return response.ok;
  } catch {
    return false;
  }
}

export async function stopS3(record: Pick<S3Record, 'pid' | 'port'>): Promise<void> {
  await stopProcess(record.pid, `--port ${record.port}`);
}
