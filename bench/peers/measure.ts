import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Step {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
}

export interface StepCost {
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMb: number;
}

/**
 * Runs one step as a child process under `/usr/bin/time`, so every tool, whatever its language, is
 * measured by the kernel the same way: wall time, user + system CPU of the process and its
 * children, and the peak resident set (ru_maxrss of the largest process). Output goes to `logFile`;
 * a failed step throws with the log's tail.
 */
export async function measureStep(step: Step, logFile: string): Promise<StepCost> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'ledgerflow-peers-time-'));
  const timeFile = path.join(scratch, 'time');
  const log = openSync(logFile, 'a');
  try {
    const child = spawn('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, step.command, ...step.args], {
      stdio: ['ignore', log, log],
      env: { ...process.env, ...step.env },
      ...(step.cwd ? { cwd: step.cwd } : {}),
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0) {
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
      throw new Error(`${path.basename(step.command)} ${step.args.slice(0, 3).join(' ')} exited with ${code} (log ${logFile}):\n${tail}`);
    }
    // time's last line holds the figures (a line above it reports a non-zero exit, if any).
    const fields = readFileSync(timeFile, 'utf8').trim().split('\n').pop()?.split(' ').map(Number) ?? [];
    const [wall, user, sys, rssKb] = fields as [number, number, number, number];
    return { wallSeconds: wall, cpuSeconds: user + sys, peakRssMb: rssKb / 1024 };
  } finally {
    closeSync(log);
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Steps of one tool run back to back: times add up, the peak is the largest step's. */
export async function measureSteps(steps: Step[], logFile: string): Promise<StepCost> {
  const total: StepCost = { wallSeconds: 0, cpuSeconds: 0, peakRssMb: 0 };
  for (const step of steps) {
    const cost = await measureStep(step, logFile);
    total.wallSeconds += cost.wallSeconds;
    total.cpuSeconds += cost.cpuSeconds;
    total.peakRssMb = Math.max(total.peakRssMb, cost.peakRssMb);
  }
  return total;
}
