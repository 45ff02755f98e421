import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODEC_ENV } from '../codec/codecSettings.js';
import { isRunning, spawnDetached, stopProcess, waitUntilHealthy } from './processes.js';

export interface CodecServerRecord {
  pid: number;
  port: number;
  logFile: string;
  /** The browser origin it allows (Temporal Web's); a new UI port means a restart. */
  corsOrigin: string | undefined;
  /** The key id it was started with. */
  keyId: string;
}

export function codecServerUrl(port: number): string {
  return `http://127.0.0.1:${port}`;
}

const bin = fileURLToPath(new URL('../../bin/ledgerflow.js', import.meta.url));

/**
 * Runs `ledgerflow codec-server` as a stack process on loopback. The key and token reach it
 * through its environment (readable by its owner only), never its command line.
 */
export async function startCodecServerProcess(options: { dir: string; port: number; keys: string; token: string; keyId: string; corsOrigin: string | undefined }): Promise<CodecServerRecord> {
  const logDir = join(options.dir, 'logs');
  await mkdir(logDir, { recursive: true });
  const logFile = join(logDir, 'codec-server.log');
  const env: NodeJS.ProcessEnv = { ...process.env, [CODEC_ENV.keys]: options.keys, [CODEC_ENV.token]: options.token };
  if (options.corsOrigin) env[CODEC_ENV.corsOrigin] = options.corsOrigin;
  else delete env[CODEC_ENV.corsOrigin];
  delete env.TEMPORAL_UI_URL;
  // The dev server's Web UI has no sign-in, so it never sends the token: its origin decodes without one.
  const web = options.corsOrigin ? ['--web-without-token'] : [];
  const pid = await spawnDetached({ command: process.execPath, args: [bin, 'codec-server', '--host', '127.0.0.1', '--port', String(options.port), ...web], logFile, env });
  const record: CodecServerRecord = { pid, port: options.port, logFile, corsOrigin: options.corsOrigin, keyId: options.keyId };
  try {
    await waitUntilHealthy('codec server', () => codecServerHealth(record), { pid, logFile, timeoutMs: 60_000 });
  } catch (error) {
    await stopProcess(pid);
    throw error;
  }
  return record;
}

/** Healthy when its process runs and GET /health answers (no token, no data). */
export async function codecServerHealth(record: Pick<CodecServerRecord, 'pid' | 'port'>): Promise<boolean> {
  if (!isRunning(record.pid, `--port ${record.port}`)) return false;
  try {
    const response = await fetch(`${codecServerUrl(record.port)}/health`, { signal: AbortSignal.timeout(2_000) });
    return response.ok;
  } catch {
    return false;
  }
}

export async function stopCodecServer(record: Pick<CodecServerRecord, 'pid' | 'port'>): Promise<void> {
  await stopProcess(record.pid, `--port ${record.port}`);
}
