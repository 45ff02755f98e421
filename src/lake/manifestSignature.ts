import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigurationError } from '../errors/LedgerflowError.js';
import { canonicalJson } from './canonicalJson.js';
import type { LakeStoreDeps } from './lakeDeps.js';
import { manifestSignatureKey } from './objectKey.js';
import { readObjectIfPresent } from './readObject.js';

/** Signs a manifest's exact bytes. ed25519 is deterministic: the same bytes always give the same signature. */
export interface ManifestSigner {
  keyId: string;
  sign(bytes: Buffer): Buffer;
}

export interface TrustedKey {
  keyId: string;
  publicKey: KeyObject;
}

/** The detached signature object stored at `<manifest key>.sig`. */
export interface ManifestSignatureFile {
  algorithm: 'ed25519';
  keyId: string;
  /** sha256 of the signed manifest bytes, so a reader can tell which version a signature belongs to. */
  manifestSha256: string;
  /** Base64 of the 64-byte ed25519 signature over the manifest bytes. */
  signature: string;
}

export type SignatureStatus = 'valid' | 'invalid' | 'unsigned' | 'missing' | 'unknown-key';

/** First 16 hex characters of the sha256 of the public key's SPKI DER (`openssl pkey -pubin -outform DER | sha256sum`). */
export function manifestKeyId(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

/** The signer of LEDGERFLOW_SIGNING_KEY: an ed25519 private key as PEM text or the path of a PEM file. */
export function loadManifestSigner(keyOrPath: string): ManifestSigner {
  const pem = pemText(keyOrPath, 'LEDGERFLOW_SIGNING_KEY');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new ConfigurationError(`LEDGERFLOW_SIGNING_KEY is not a PEM private key${describeSource(keyOrPath)}`, {
      fix: 'set LEDGERFLOW_SIGNING_KEY to an ed25519 private key in PEM (`openssl genpkey -algorithm ed25519`) or the path of one',
    });
  }
  checkEd25519(privateKey, 'LEDGERFLOW_SIGNING_KEY', keyOrPath);
  const keyId = manifestKeyId(createPublicKey(privateKey));
  return { keyId, sign: (bytes) => sign(null, bytes, privateKey) };
}

/**
 * The public keys a verifier trusts (LEDGERFLOW_TRUSTED_KEYS): PEM texts or paths of public keys;
 * a private key is accepted too, and its public half used.
 */
export function loadTrustedKeys(list: readonly string[]): TrustedKey[] {
  const keys = new Map<string, TrustedKey>();
  for (const entry of list) {
    const pem = pemText(entry, 'LEDGERFLOW_TRUSTED_KEYS');
    let publicKey: KeyObject;
    try {
      publicKey = pem.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(pem)) : createPublicKey(pem);
    } catch {
      throw new ConfigurationError(`LEDGERFLOW_TRUSTED_KEYS has an entry that is not a PEM key${describeSource(entry)}`, {
        fix: 'list ed25519 public keys in PEM (`openssl pkey -pubout`), or their paths, separated by commas',
      });
    }
    checkEd25519(publicKey, 'LEDGERFLOW_TRUSTED_KEYS', entry);
    const keyId = manifestKeyId(publicKey);
    keys.set(keyId, { keyId, publicKey });
  }
  return [...keys.values()];
}

/** The bytes of the `.sig` object sealDay writes for manifest bytes signed by `signer`. */
export function signatureFileBytes(signer: ManifestSigner, manifestBytes: Buffer): Buffer {
  const file: ManifestSignatureFile = {
    algorithm: 'ed25519',
    keyId: signer.keyId,
    manifestSha256: createHash('sha256').update(manifestBytes).digest('hex'),
    signature: signer.sign(manifestBytes).toString('base64'),
  };
  return Buffer.from(canonicalJson(file), 'utf8');
}

/**
 * Checks the detached signature of a manifest's exact bytes against the trusted keys. 'unsigned':
 * the manifest says it was sealed without a key (or predates signing); 'missing': it names a key
 * but no signature object is stored; 'unknown-key': signed by a key not among `trusted`;
 * 'invalid': the signature does not match these bytes (or names another key than the manifest).
 */
export async function verifyManifestSignature(
  deps: LakeStoreDeps,
  found: { key: string; bytes: Buffer },
  trusted: readonly TrustedKey[],
): Promise<{ status: SignatureStatus; keyId?: string }> {
  const claimed = claimedKeyId(found.bytes);
  if (claimed === undefined) return { status: 'unsigned' };
  if (claimed === null) return { status: 'invalid' };
  const sigBytes = await readObjectIfPresent(deps, manifestSignatureKey(found.key), { fix: 'check that the credentials may read the bucket' });
  if (!sigBytes) return { status: 'missing', keyId: claimed };
  let file: Partial<ManifestSignatureFile>;
  try {
    file = JSON.parse(sigBytes.toString('utf8')) as Partial<ManifestSignatureFile>;
  } catch {
    return { status: 'invalid', keyId: claimed };
  }
  if (file.algorithm !== 'ed25519' || file.keyId !== claimed || typeof file.signature !== 'string') return { status: 'invalid', keyId: claimed };
  const key = trusted.find((candidate) => candidate.keyId === claimed);
  if (!key) return { status: 'unknown-key', keyId: claimed };
  const ok = verify(null, found.bytes, key.publicKey, Buffer.from(file.signature, 'base64'));
  return { status: ok ? 'valid' : 'invalid', keyId: claimed };
}

/** The key id the manifest bytes name; undefined when sealed unsigned or version 1, null when unreadable. */
function claimedKeyId(bytes: Buffer): string | undefined | null {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const manifest = value as { manifestVersion?: unknown; signing?: { algorithm?: unknown; keyId?: unknown; unsigned?: unknown } };
  if (manifest.manifestVersion === 1) return undefined;
  if (manifest.signing?.unsigned === true) return undefined;
  if (manifest.signing?.algorithm === 'ed25519' && typeof manifest.signing.keyId === 'string') return manifest.signing.keyId;
  return null;
}

function pemText(keyOrPath: string, setting: string): string {
  const text = keyOrPath.trim();
  if (text.startsWith('-----BEGIN')) return text;
  try {
    return readFileSync(text, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigurationError(`${setting} names a key file that cannot be read (${code}): ${text}`, {
      fix: `set ${setting} to PEM text or the path of a readable PEM file`,
    });
  }
}

/** Names the file a bad key came from; never echoes key material. */
function describeSource(keyOrPath: string): string {
  return keyOrPath.trim().startsWith('-----BEGIN') ? '' : ` (file ${keyOrPath.trim()})`;
}

function checkEd25519(key: KeyObject, setting: string, source: string): void {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new ConfigurationError(`${setting} holds a ${key.asymmetricKeyType ?? 'non-asymmetric'} key, not ed25519${describeSource(source)}`, {
      fix: 'generate an ed25519 key: `openssl genpkey -algorithm ed25519 -out manifest-signing.key.pem`',
    });
  }
}
