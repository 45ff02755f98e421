import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../workflows/names.js';
import { isRunning, spawnDetached, stopProcess, waitUntilHealthy } from './processes.js';
import { StackError } from './StackError.js';

const run = promisify(execFile);

export const TEMPORAL_CLI_VERSION = 'v1.5.1';
// Later tags carry a `replace` directive in go.mod, which `go install` refuses.
export const TEMPORAL_GO_PACKAGE = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;

export interface TemporalRecord {
  pid: number;
  port: number;
  uiPort: number;
  logFile: string;
  binary: string;
  /** The codec server Temporal Web decodes payloads through (`--ui-codec-endpoint`), if any. */
  uiCodecEndpoint?: string;
}

/**
 * Finds the Temporal CLI: TEMPORAL_CLI, PATH, $(go env GOPATH)/bin, ~/go/bin. Throws a
 * TemporalCliMissing error (with `go` set when a Go toolchain exists to build it).
 */
export function temporalBinary(options: { env?: NodeJS.ProcessEnv } = {}): string {
  const env = options.env ?? process.env;
  if (env.TEMPORAL_CLI) {
    if (!existsSync(env.TEMPORAL_CLI)) {
      throw new StackError('TEMPORAL_CLI points at a missing file', { context: { TEMPORAL_CLI: env.TEMPORAL_CLI }, fix: 'unset it or point it at a temporal binary' });
    }
    return env.TEMPORAL_CLI;
  }
  const onPath = findOnPath('temporal', env);
  if (onPath) return onPath;
  const { go, bins } = goBinDirs(env);
  for (const dir of bins) {
    const candidate = join(dir, 'temporal');
    if (existsSync(candidate)) return candidate;
  }
  throw new TemporalCliMissing(go, bins);
}

export class TemporalCliMissing extends StackError {
  constructor(readonly go: string | undefined, searched: string[]) {
    super('Temporal CLI not found', {
      context: { searched: ['TEMPORAL_CLI', 'PATH', ...searched].join(',') },
      fix: `set TEMPORAL_CLI=/path/to/temporal, or install Go >= 1.25 and run \`go install ${TEMPORAL_GO_PACKAGE}\``,
    });
  }
}

/**
 * temporalBinary, or else `go install` where Go exists: minutes on a first run, asynchronous so
 * the other services keep starting meanwhile.
 */
export async function ensureTemporalBinary(options: { env?: NodeJS.ProcessEnv; log?: (line: string) => void } = {}): Promise<string> {
  const env = options.env ?? process.env;
  try {
    return temporalBinary({ env });
  } catch (error) {
    if (!(error instanceof TemporalCliMissing) || !error.go) throw error;
    options.log?.(`building the Temporal CLI with \`go install ${TEMPORAL_GO_PACKAGE}\` (several minutes, once)`);
    try {
      await run(error.go, ['install', TEMPORAL_GO_PACKAGE], { env: { ...env, CGO_ENABLED: '0' }, maxBuffer: 64 * 1024 * 1024 });
    } catch (cause) {
      throw new StackError('go install of the Temporal CLI failed', {
        context: { package: TEMPORAL_GO_PACKAGE, stderr: String((cause as { stderr?: string }).stderr ?? '').trim().split('\n').slice(-2).join(' | ') },
        fix: 'it needs Go >= 1.25 and the Go module proxy; or set TEMPORAL_CLI to a temporal binary',
        cause,
      });
    }
    return temporalBinary({ env });
  }
}

function goBinDirs(env: NodeJS.ProcessEnv): { go: string | undefined; bins: string[] } {
  const go = findOnPath('go', env) ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  const bins = [join(homedir(), 'go', 'bin')];
  if (go) {
    try {
      const gopath = execFileSync(go, ['env', 'GOPATH'], { encoding: 'utf8', env }).trim().split(delimiter)[0];
      if (gopath && !bins.includes(join(gopath, 'bin'))) bins.unshift(join(gopath, 'bin'));
    } catch {
      // A broken Go install: keep the default GOPATH guess.
    }
  }
  return { go, bins };
}

function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

export function temporalArgs(dir: string, port: number, uiPort: number, uiCodecEndpoint?: string): string[] {
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(port),
    '--ui-port', String(uiPort),
    '--db-filename', join(dir, 'temporal.db'),
    '--log-level', 'warn',
  ];
  for (const attribute of Object.values(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${attribute.name}=${attribute.type}`);
  if (uiCodecEndpoint) args.push('--ui-codec-endpoint', uiCodecEndpoint);
  return args;
}

export async function startTemporal(options: { dir: string; port: number; uiPort: number; binary: string; uiCodecEndpoint?: string }): Promise<TemporalRecord> {
  const logDir = join(options.dir, 'logs');
  await mkdir(logDir, { recursive: true });
  const logFile = join(logDir, 'temporal.log');
  const pid = await spawnDetached({ command: options.binary, args: temporalArgs(options.dir, options.port, options.uiPort, options.uiCodecEndpoint), logFile });
  const record: TemporalRecord = { pid, port: options.port, uiPort: options.uiPort, logFile, binary: options.binary, ...(options.uiCodecEndpoint ? { uiCodecEndpoint: options.uiCodecEndpoint } : {}) };
  try {
    await waitUntilHealthy('Temporal dev server', () => temporalHealth(record), { pid, logFile, timeoutMs: 90_000 });
  } catch (error) {
    await stopProcess(pid);
    throw error;
  }
  return record;
}

/** Healthy when the frontend answers GetSystemInfo and the Web UI serves its page. */
export async function temporalHealth(record: TemporalRecord): Promise<boolean> {
  if (!isRunning(record.pid, `--port ${record.port}`)) return false;
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address: `127.0.0.1:${record.port}`, connectTimeout: 2_000 });
    await connection.workflowService.getSystemInfo({});
    const ui = await fetch(`http://127.0.0.1:${record.uiPort}/`, { signal: AbortSignal.timeout(2_000) });
    return ui.ok;
  } catch {
    return false;
  } finally {
    await connection?.close();
  }
}

export async function stopTemporal(record: Pick<TemporalRecord, 'pid' | 'port'>): Promise<void> {
  await stopProcess(record.pid, `--port ${record.port}`);
}
