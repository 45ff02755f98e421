import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { workflowsPath } from './workflowsPath.js';

/** Bundles src/workflows once; production workers start from the file instead of bundling at boot. */
export async function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietBundlerLogger });
}

export async function writeWorkflowBundle(outFile: string): Promise<{ path: string; bytes: number }> {
  const { code } = await bundleWorkflows();
  await mkdir(dirname(outFile), { recursive: true });
  await writeFile(outFile, code);
  return { path: outFile, bytes: Buffer.byteLength(code) };
}

// The bundler logs webpack progress at info level on stdout; keep stdout for command output.
const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string, meta?: Record<string, unknown>) => process.stderr.write(`${message} ${meta ? JSON.stringify(meta) : ''}\n`),
  error: (message: string, meta?: Record<string, unknown>) => process.stderr.write(`${message} ${meta ? JSON.stringify(meta) : ''}\n`),
};
