import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AnvilRecord } from './anvilNode.js';
import type { CodecKeyRecord } from './codecKey.js';
import type { CodecServerRecord } from './codecServerProcess.js';
import type { PostgresRecord } from './postgresCluster.js';
import type { S3Record } from './s3Server.js';
import type { SigningKeyRecord } from './signingKey.js';
import type { TemporalRecord } from './temporalServer.js';

export const SERVICE_NAMES = ['temporal', 'postgres', 's3', 'anvil', 'codec'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** What `stack up` started, persisted in `<dir>/stack.json` so `status`, `env` and `down` find it. */
export interface StackState {
  dir: string;
  temporal?: TemporalRecord;
  postgres?: PostgresRecord;
  s3?: S3Record;
  anvil?: AnvilRecord;
  /** The codec server Temporal Web and the `temporal` CLI decode payloads through. */
  codec?: CodecServerRecord;
  /** Absent in stacks created before signed manifests; `stack up` adds it. */
  signingKey?: SigningKeyRecord;
  /** Absent in stacks created before encrypted payloads; `stack up` adds it. */
  codecKey?: CodecKeyRecord;
}

export const DEFAULT_STACK_DIR = '.stack';

export function resolveStackDir(dir: string = process.env.LEDGERFLOW_STACK_DIR ?? DEFAULT_STACK_DIR): string {
  return resolve(dir);
}

function statePath(dir: string): string {
  return join(dir, 'stack.json');
}

export async function readStackState(dir: string): Promise<StackState> {
  try {
    return { ...(JSON.parse(await readFile(statePath(dir), 'utf8')) as StackState), dir };
  } catch {
    return { dir };
  }
}

export async function writeStackState(state: StackState): Promise<void> {
  await mkdir(state.dir, { recursive: true });
  const tmp = `${statePath(state.dir)}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(tmp, statePath(state.dir));
}
