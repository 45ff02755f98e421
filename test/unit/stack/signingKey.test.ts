import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureSigningKey, readSigningKeyStatus, signingKeyId, signingKeyPaths } from '../../../src/stack/signingKey.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ledgerflow-signing-'));
  dirs.push(dir);
  return dir;
}

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

function opensslAvailable(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('ensureSigningKey', () => {
  it('generates an ed25519 pair once: PKCS#8 private key readable by the owner only, SPKI public key', async () => {
    const dir = await freshDir();
    const key = await ensureSigningKey(dir);
    expect(key.created).toBe(true);
    expect(key.privateKeyPath).toBe(join(dir, 'keys', 'manifest-signing.key.pem'));
    expect(await modeOf(key.privateKeyPath)).toBe(0o600);
    expect(await modeOf(join(dir, 'keys'))).toBe(0o700);

    const privatePem = await readFile(key.privateKeyPath, 'utf8');
    const publicPem = await readFile(key.publicKeyPath, 'utf8');
    expect(privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(createPrivateKey(privatePem).asymmetricKeyType).toBe('ed25519');

    // The files are one pair: what the private key signs, the public key verifies.
    const message = Buffer.from('{"date":"2024-01-01"}');
    const signature = sign(null, message, createPrivateKey(privatePem));
    expect(verify(null, message, createPublicKey(publicPem), signature)).toBe(true);
    expect(verify(null, Buffer.from('{"date":"2024-01-02"}'), createPublicKey(publicPem), signature)).toBe(false);
  });

  it('keeps the pair across calls, as across stack restarts', async () => {
    const dir = await freshDir();
    const first = await ensureSigningKey(dir);
    const pem = await readFile(first.privateKeyPath, 'utf8');
    const second = await ensureSigningKey(dir);
    expect(second).toEqual({ ...first, created: false });
    expect(await readFile(second.privateKeyPath, 'utf8')).toBe(pem);
  });

  it('repairs a loosened private key mode and a lost public key from the private key', async () => {
    const dir = await freshDir();
    const first = await ensureSigningKey(dir);
    const publicPem = await readFile(first.publicKeyPath, 'utf8');
    await chmod(first.privateKeyPath, 0o644);
    await unlink(first.publicKeyPath);
    const again = await ensureSigningKey(dir);
    expect(again.keyId).toBe(first.keyId);
    expect(await modeOf(again.privateKeyPath)).toBe(0o600);
    expect(await readFile(again.publicKeyPath, 'utf8')).toBe(publicPem);
  });

  it('refuses a private key file that is not an ed25519 key, naming the file and the way out', async () => {
    const dir = await freshDir();
    await ensureSigningKey(dir);
    const { privateKeyPath } = signingKeyPaths(dir);
    await writeFile(privateKeyPath, 'not a key\n');
    await expect(ensureSigningKey(dir)).rejects.toThrow(/cannot be used: it is not a PEM private key.*Fix: delete .*manifest-signing\.key\.pem and run `ledgerflow stack up`/);
    expect(await readFile(privateKeyPath, 'utf8')).toBe('not a key\n');
  });
});

describe('signingKeyId', () => {
  it('is the first 16 hex characters of the sha256 of the SPKI DER, the same as openssl computes', async () => {
    const dir = await freshDir();
    const key = await ensureSigningKey(dir);
    expect(key.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(signingKeyId(await readFile(key.publicKeyPath, 'utf8'))).toBe(key.keyId);
    if (!opensslAvailable()) {
      console.warn('openssl not found: key id not cross-checked');
      return;
    }
    const der = execFileSync('openssl', ['pkey', '-pubin', '-in', key.publicKeyPath, '-outform', 'DER']);
    const digest = execFileSync('sha256sum', { input: der, encoding: 'utf8' });
    expect(digest.slice(0, 16)).toBe(key.keyId);
  });

  it('differs between two generated keys', async () => {
    const [a, b] = await Promise.all([freshDir(), freshDir()]);
    expect((await ensureSigningKey(a)).keyId).not.toBe((await ensureSigningKey(b)).keyId);
  });
});

describe('readSigningKeyStatus', () => {
  it('reports id and paths, and nothing when the stack has no key or a file is gone', async () => {
    const dir = await freshDir();
    const { created: _created, ...record } = await ensureSigningKey(dir);
    const status = await readSigningKeyStatus(record);
    expect(status).toEqual({ keyId: record.keyId, privateKeyPath: record.privateKeyPath, publicKeyPath: record.publicKeyPath });
    expect(JSON.stringify(status)).not.toMatch(/BEGIN|PRIVATE KEY/);
    expect(await readSigningKeyStatus(undefined)).toBeNull();
    await unlink(record.privateKeyPath);
    expect(await readSigningKeyStatus(record)).toBeNull();
  });
});
