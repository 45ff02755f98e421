import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { StackError } from './StackError.js';

export interface SpawnDetachedOptions {
  command: string;
  args: readonly string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * Starts a service in its own process group with stdout and stderr appended to `logFile`, and
 * lets it outlive this process (the `stack up` command exits while the services keep running).
 */
export function spawnDetached(options: SpawnDetachedOptions): Promise<number> {
  const fd = openSync(options.logFile, 'a');
  try {
    const child = spawn(options.command, options.args, {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: options.env ?? process.env,
      cwd: options.cwd,
    });
    return new Promise((resolve, reject) => {
      child.once('error', (cause) =>
        reject(new StackError(`Cannot start ${options.command}: ${cause.message}`, { context: { log: options.logFile }, cause })),
      );
      child.once('spawn', () => {
        child.unref();
        resolve(child.pid as number);
      });
    });
  } finally {
    closeSync(fd);
  }
}

/**
 * True when `pid` is a live (not zombie) process whose command line contains `marker`. The marker
 * (a port or data directory) guards against a recycled pid from a stale state file.
 */
export function isRunning(pid: number, marker?: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/\) [ZX] /.test(stat)) return false;
    if (marker === undefined) return true;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').includes(marker);
  } catch {
    return false;
  }
}

/** SIGTERM to the process group, SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopProcess(pid: number, marker?: string, graceMs = 10_000): Promise<void> {
  if (!isRunning(pid, marker)) return;
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isRunning(pid) && Date.now() < deadline) await sleep(50);
  if (isRunning(pid)) {
    signalGroup(pid, 'SIGKILL');
    while (isRunning(pid)) await sleep(50);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    // Services were started as group leaders: the negative pid reaches their children too.
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/** Last lines of a log file, for error messages about a service that did not start. */
export function tailLog(logFile: string, lines = 5): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join(' | ');
  } catch {
    return '(no log)';
  }
}

/**
 * Polls `probe` until it returns true. Fails early, naming the log file, if the process died,
 * and after `timeoutMs` otherwise.
 */
export async function waitUntilHealthy(
  service: string,
  probe: () => Promise<boolean>,
  options: { pid?: number; logFile: string; timeoutMs: number },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (options.pid !== undefined && !isRunning(options.pid)) {
      throw new StackError(`${service} exited during start-up`, {
        context: { pid: options.pid, log: options.logFile, last_lines: tailLog(options.logFile) },
        fix: `read ${options.logFile}`,
      });
    }
    if (Date.now() > deadline) {
      throw new StackError(`${service} did not answer within ${Math.round(options.timeoutMs / 1000)} s`, {
        context: { pid: options.pid, log: options.logFile, last_lines: tailLog(options.logFile) },
        fix: `read ${options.logFile}; \`ledgerflow stack down\` stops what did start`,
      });
    }
    await sleep(100);
  }
}
