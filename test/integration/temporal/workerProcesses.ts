import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../../bin/ledgerflow.js', import.meta.url));

export interface WorkerKill {
  slot: number;
  pid: number;
  /** The Temporal identity the killed process polled with (the SDK default `<pid>@<host>`). */
  identity: string;
  at: number;
  /** Seconds the killed process had been polling. */
  upFor: number;
}

/**
 * A fixed number of `ledgerflow worker` processes ("slots"), each one replaceable: kill() SIGKILLs
 * the slot's process and starts a new one in its place at once, like a pod restarted by its
 * controller. Every process's stdout and stderr (pino JSON) are appended to `<logDir>/<name>-worker-<slot>.log`,
 * so a failing run can show what the workers said, across restarts. A slot counts as ready once
 * its process logged "workers started", i.e. it polls every task queue.
 */
export class WorkerProcesses {
  private readonly children: (ChildProcess | undefined)[];
  private readonly readyAt: (number | undefined)[];
  readonly kills: WorkerKill[] = [];
  readonly starts: Array<{ slot: number; pid: number; at: number }> = [];
  /** Processes that exited without being killed or stopped here: a worker crash. */
  readonly crashes: Array<{ slot: number; pid: number; code: number | null; signal: NodeJS.Signals | null; at: number }> = [];
  private readonly stopping = new Set<ChildProcess>();

  constructor(
    private readonly env: Record<string, string>,
    readonly logDir: string,
    readonly count: number,
    readonly name: string,
  ) {
    this.children = Array.from({ length: count }, () => undefined);
    this.readyAt = Array.from({ length: count }, () => undefined);
  }

  pid(slot: number): number | undefined {
    return this.children[slot]?.pid;
  }

  /** When the slot's current process started polling, or undefined while it is still starting. */
  ready(slot: number): number | undefined {
    return this.readyAt[slot];
  }

  logFile(slot: number): string {
    return join(this.logDir, `${this.name}-worker-${slot}.log`);
  }

  startAll(): void {
    for (let slot = 0; slot < this.count; slot++) this.start(slot);
  }

  private start(slot: number): void {
    const child = spawn(process.execPath, [bin, 'worker'], { env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = child.pid;
    if (pid === undefined) throw new Error(`worker slot ${slot} did not start`);
    const file = this.logFile(slot);
    appendFileSync(file, `=== slot ${slot}: pid ${pid} started at ${new Date().toISOString()}\n`);
    this.children[slot] = child;
    this.readyAt[slot] = undefined;
    this.starts.push({ slot, pid, at: Date.now() });
    child.once('exit', (code, signal) => {
      if (!this.stopping.has(child)) this.crashes.push({ slot, pid, code, signal, at: Date.now() });
    });
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        appendFileSync(file, `${line}\n`);
        if (this.children[slot] === child && this.readyAt[slot] === undefined && line.includes('"msg":"workers started"')) this.readyAt[slot] = Date.now();
      });
    }
  }

  /** SIGKILL, then a fresh process in the same slot; returns what was killed. */
  async kill(slot: number): Promise<WorkerKill | undefined> {
    const child = this.children[slot];
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) {
      this.start(slot);
      return undefined;
    }
    const exited = once(child, 'exit');
    const at = Date.now();
    this.stopping.add(child);
    child.kill('SIGKILL');
    await exited;
    const kill: WorkerKill = { slot, pid: child.pid, identity: `${child.pid}@${hostname()}`, at, upFor: (at - (this.readyAt[slot] ?? at)) / 1000 };
    this.kills.push(kill);
    this.start(slot);
    return kill;
  }

  /** SIGTERM (the workers drain within LEDGERFLOW_SHUTDOWN_GRACE), SIGKILL after `graceMs`. */
  async stopAll(graceMs = 10_000): Promise<void> {
    await Promise.all(
      this.children.map(async (child) => {
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, 'exit');
        this.stopping.add(child);
        child.kill('SIGTERM');
        const timedOut = await Promise.race([exited.then(() => false), sleep(graceMs).then(() => true)]);
        if (timedOut) {
          child.kill('SIGKILL');
          await exited;
        }
      }),
    );
  }

  /** The last `lines` warnings and errors (pino level >= 40) and non-JSON lines of every slot's log. */
  tails(lines = 25): string {
    return Array.from({ length: this.count }, (_, slot) => {
      let text = '';
      try {
        text = readFileSync(this.logFile(slot), 'utf8');
      } catch {
        return `--- ${this.logFile(slot)}: (no log)`;
      }
      const interesting = text.split('\n').filter((line) => {
        if (line.trim() === '') return false;
        const level = /^\{"level":(\d+)/.exec(line)?.[1];
        return level === undefined || Number(level) >= 40;
      });
      return [`--- ${this.logFile(slot)} (last ${lines} warnings/errors/other lines)`, ...interesting.slice(-lines).map((line) => line.slice(0, 600))].join('\n');
    }).join('\n');
  }
}
