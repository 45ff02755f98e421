import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { readStackState, stackDown, stackEnvOf, stackStatus, stackUp, type StackEnv } from '../../src/stack/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackEnv;
  }
}

/**
 * Global setup of the `integration` project: the real local stack (Temporal, PostgreSQL, s3rver,
 * seeded anvil) on free loopback ports in a fresh temp dir, torn down after the run. Tests read it
 * with `inject('stack')`. With LEDGERFLOW_STACK_DIR pointing at a healthy stack (`ledgerflow stack
 * up`), that stack is reused and left running, for quick local iteration.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Test files get the stack through inject(); the SDK's default credential chain (used by the
  // lake's S3 client, as in production) reads the environment, as after `eval "$(stack env)"`.
  // Set before the test workers fork, so they inherit it; only s3rver's fake pair, never real keys.
  const exportCredentials = (env: StackEnv) => {
    process.env.AWS_ACCESS_KEY_ID = env.AWS_ACCESS_KEY_ID;
    process.env.AWS_SECRET_ACCESS_KEY = env.AWS_SECRET_ACCESS_KEY;
    process.env.AWS_REGION ??= env.S3_REGION;
  };
  const reuse = process.env.LEDGERFLOW_STACK_DIR;
  if (reuse) {
    const statuses = await stackStatus({ dir: reuse });
    if (statuses.every((s) => s.healthy)) {
      const env = stackEnvOf(await readStackState(reuse));
      exportCredentials(env);
      project.provide('stack', env);
      return async () => undefined;
    }
    process.stderr.write(`globalStack: LEDGERFLOW_STACK_DIR=${reuse} is not a healthy stack; starting a fresh one\n`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'ledgerflow-stack-'));
  try {
    const env = await stackUp({ dir });
    exportCredentials(env);
    project.provide('stack', env);
  } catch (error) {
    await stackDown({ dir, purge: true });
    throw error;
  }
  return async () => {
    await stackDown({ dir, purge: true });
  };
}
