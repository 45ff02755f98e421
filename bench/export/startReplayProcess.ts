import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface ReplayProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts replayProcess.ts as a child and waits for the URL it prints once recording is done.
 * With `served` above `blocks`, the chain is extended past the recorded blocks (tiledChain.ts).
 */
export async function startReplayProcess(anvilUrl: string, blocks: number, served = blocks): Promise<ReplayProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'replayProcess.ts'), anvilUrl, String(blocks), String(served)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`replay process exited with ${code} before serving`)));
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
