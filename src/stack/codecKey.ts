import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CODEC_ENV, codecKeyringFromEnv, codecTokenFromEnv, formatCodecKey } from '../codec/codecSettings.js';
import { SIGNING_KEY_DIR } from './signingKey.js';
import { StackError } from './StackError.js';

/**
 * The local stack's payload codec key and codec server token. Paths and the key id only: the
 * secrets stay in their 0600 files, so stack.json, `stack status` and logs never carry them;
 * `stack env` reads them to export LEDGERFLOW_CODEC_KEYS and LEDGERFLOW_CODEC_TOKEN.
 */
export interface CodecKeyRecord {
  /** One `id=base64` line, the LEDGERFLOW_CODEC_KEYS value; mode 0600. */
  keysPath: string;
  /** The codec server's bearer token; mode 0600. */
  tokenPath: string;
  /** Id of the encrypting key (payloads carry it in their metadata). */
  keyId: string;
}

const KEYS_FILE = 'payload-codec.keys';
const TOKEN_FILE = 'codec-server.token';

export function codecKeyPaths(dir: string): Pick<CodecKeyRecord, 'keysPath' | 'tokenPath'> {
  return { keysPath: join(dir, SIGNING_KEY_DIR, KEYS_FILE), tokenPath: join(dir, SIGNING_KEY_DIR, TOKEN_FILE) };
}

/**
 * Makes sure `<dir>/keys/` holds a codec key and a token, and returns where. Existing files are
 * kept (histories encrypted earlier must stay readable) and their mode tightened back to 0600;
 * only a missing file is generated. Callers hold the stack lock.
 */
export async function ensureCodecKey(dir: string): Promise<CodecKeyRecord & { created: boolean }> {
  const paths = codecKeyPaths(dir);
  await mkdir(join(dir, SIGNING_KEY_DIR), { recursive: true, mode: 0o700 });
  await chmod(join(dir, SIGNING_KEY_DIR), 0o700);
  let created = false;
  let keys = await readIfPresent(paths.keysPath);
  if (keys === undefined) {
    const key = randomBytes(32);
    // The id names the key without revealing it: a prefix of its digest.
    keys = formatCodecKey(`local-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`, key);
    await writeSecret(paths.keysPath, `${keys}\n`);
    created = true;
  }
  if ((await readIfPresent(paths.tokenPath)) === undefined) {
    await writeSecret(paths.tokenPath, `${randomBytes(32).toString('hex')}\n`);
    created = true;
  }
  await chmod(paths.keysPath, 0o600);
  await chmod(paths.tokenPath, 0o600);
  const record = { ...paths, keyId: '' };
  record.keyId = readCodecSecrets(record).keyId;
  return { ...record, created };
}

/**
 * The key line and token from their files, checked; a StackError naming the file (never its
 * contents) when one is missing or unusable.
 */
export function readCodecSecrets(record: Pick<CodecKeyRecord, 'keysPath' | 'tokenPath'>): { keys: string; token: string; keyId: string } {
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8').trim();
    } catch (cause) {
      throw unusable(path, `it cannot be read (${(cause as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  };
  const keys = read(record.keysPath);
  const token = read(record.tokenPath);
  let keyId: string;
  try {
    keyId = codecKeyringFromEnv({ [CODEC_ENV.keys]: keys })?.encryptKeyId ?? '';
    codecTokenFromEnv({ [CODEC_ENV.token]: token });
  } catch (cause) {
    throw unusable(record.keysPath, (cause as Error).message.split(' Fix: ')[0] ?? 'it is malformed', cause);
  }
  if (!keyId) throw unusable(record.keysPath, 'it is empty');
  return { keys, token, keyId };
}

function unusable(path: string, why: string, cause?: unknown): StackError {
  return new StackError(`The local stack's payload codec key or token cannot be used: ${why}`, {
    context: { path },
    fix: 'run `ledgerflow stack up` (it regenerates a missing file); delete a corrupt file first (histories encrypted with the old key can then no longer be decoded)',
    cause,
  });
}

async function readIfPresent(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}

/** Written under a temporary name with its final mode, then renamed: never half-written, never readable by others. */
async function writeSecret(path: string, content: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await rm(tmp, { force: true });
  await writeFile(tmp, content, { mode: 0o600 });
  await rename(tmp, path);
}
