import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { access, chmod, constants, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StackError } from './StackError.js';

/**
 * The dev key pair a local stack signs its day manifests with. Paths only: the key itself stays
 * in its file, so stack.json, `stack status` and logs never carry it.
 */
export interface SigningKeyRecord {
  /** PKCS#8 PEM of the ed25519 private key, mode 0600 (LEDGERFLOW_SIGNING_KEY). */
  privateKeyPath: string;
  /** SPKI PEM of its public key (LEDGERFLOW_TRUSTED_KEYS). */
  publicKeyPath: string;
  /** First 16 hex characters of the sha256 of the public key's SPKI DER. */
  keyId: string;
}

export const SIGNING_KEY_DIR = 'keys';
const PRIVATE_KEY_FILE = 'manifest-signing.key.pem';
const PUBLIC_KEY_FILE = 'manifest-signing.pub.pem';

/** The id manifests record for a key: `openssl pkey -pubin -outform DER | sha256sum | cut -c1-16`. */
export function signingKeyId(publicKey: KeyObject | string): string {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  return createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

export function signingKeyPaths(dir: string): Pick<SigningKeyRecord, 'privateKeyPath' | 'publicKeyPath'> {
  return { privateKeyPath: join(dir, SIGNING_KEY_DIR, PRIVATE_KEY_FILE), publicKeyPath: join(dir, SIGNING_KEY_DIR, PUBLIC_KEY_FILE) };
}

/**
 * Makes sure `<dir>/keys/` holds an ed25519 key pair and returns where. A private key that is
 * already there is kept (manifests sealed earlier must keep verifying), its mode is tightened back
 * to 0600, and the public file is rewritten from it if missing or different. Only when there is
 * no private key is a new pair generated. Callers hold the stack lock.
 */
export async function ensureSigningKey(dir: string): Promise<SigningKeyRecord & { created: boolean }> {
  const paths = signingKeyPaths(dir);
  await mkdir(join(dir, SIGNING_KEY_DIR), { recursive: true, mode: 0o700 });
  await chmod(join(dir, SIGNING_KEY_DIR), 0o700);

  const existing = await readFile(paths.privateKeyPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  let privateKey: KeyObject;
  if (existing === undefined) {
    const pair = generateKeyPairSync('ed25519');
    // Written under a temporary name with its final mode, then renamed: a crash never leaves a
    // half-written key, and the key is never readable by others, not even for a moment.
    const tmp = `${paths.privateKeyPath}.${process.pid}.tmp`;
    await rm(tmp, { force: true }); // a leftover would keep its old mode
    await writeFile(tmp, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    await rename(tmp, paths.privateKeyPath);
    privateKey = pair.privateKey;
  } else {
    privateKey = parsePrivateKey(existing, paths.privateKeyPath);
  }
  await chmod(paths.privateKeyPath, 0o600);

  const publicKey = createPublicKey(privateKey);
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' });
  const currentPublic = await readFile(paths.publicKeyPath, 'utf8').catch(() => undefined);
  if (currentPublic !== publicPem) await writeFile(paths.publicKeyPath, publicPem, { mode: 0o644 });

  return { ...paths, keyId: signingKeyId(publicKey), created: existing === undefined };
}

function parsePrivateKey(pem: string, path: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw unusableKey(path, `it is not a PEM private key (${(error as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw unusableKey(path, `it is a ${key.asymmetricKeyType ?? 'symmetric'} key, not ed25519`);
  return key;
}

function unusableKey(path: string, why: string): StackError {
  return new StackError(`The local stack's manifest signing key cannot be used: ${why}`, {
    context: { path },
    fix: `delete ${path} and run \`ledgerflow stack up\` for a new dev key (manifests signed with the old one will no longer verify)`,
  });
}

export interface SigningKeyStatus {
  keyId: string;
  privateKeyPath: string;
  publicKeyPath: string;
}

/**
 * The recorded key's id, recomputed from its public file; null when the stack has none yet or a
 * file of the pair is gone (the next `stack up` repairs both cases).
 */
export async function readSigningKeyStatus(record: SigningKeyRecord | undefined): Promise<SigningKeyStatus | null> {
  if (!record) return null;
  const publicPem = await readFile(record.publicKeyPath, 'utf8').catch(() => undefined);
  const privateReadable = await access(record.privateKeyPath, constants.R_OK).then(() => true, () => false);
  if (publicPem === undefined || !privateReadable) return null;
  let keyId: string;
  try {
    keyId = signingKeyId(publicPem);
  } catch {
    return null;
  }
  return { keyId, privateKeyPath: record.privateKeyPath, publicKeyPath: record.publicKeyPath };
}
