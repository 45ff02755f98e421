import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { encodedFailureConverterPath } from '../codec/dataConverter.js';
import { workflowsPath } from './workflowsPath.js';

/**
 * Bundles src/workflows once; production workers start from the file instead of bundling at boot.
 * The sandbox's failure converter is fixed at bundle time, so the bundle always encodes failure
 * messages and stack traces: with LEDGERFLOW_CODEC_KEYS they are encrypted, without it they stay
 * readable by every client (as "Encoded failure" in Temporal Web).
 */
export async function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: workflowsPath(), failureConverterPath: encodedFailureConverterPath(), logger: quietBundlerLogger });
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
