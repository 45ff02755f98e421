import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../src/errors/LedgerflowError.js';
import { canonicalJson } from '../../../src/lake/canonicalJson.js';
import { buildDayManifest } from '../../../src/lake/buildDayManifest.js';
import { loadManifestSigner, loadTrustedKeys, signatureFileBytes, type ManifestSignatureFile } from '../../../src/lake/manifestSignature.js';
import { ed25519Pems, syntheticDay } from './custodyFixtures.js';

const run = promisify(execFile);
let dir: string;
const keys = ed25519Pems();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ledgerflow-sig-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadManifestSigner and loadTrustedKeys', () => {
  it('loads PEM text or a path to the same key id, and signs deterministically', async () => {
    const path = join(dir, 'signing.key.pem');
    await writeFile(path, keys.privatePem, { mode: 0o600 });
    const fromText = loadManifestSigner(keys.privatePem);
    const fromPath = loadManifestSigner(path);
    expect(fromText.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(fromPath.keyId).toBe(fromText.keyId);
    const bytes = Buffer.from('{"a":1}\n');
    expect(fromText.sign(bytes).equals(fromPath.sign(bytes))).toBe(true);
    expect(loadTrustedKeys([keys.publicPem, keys.privatePem]).map((k) => k.keyId)).toEqual([fromText.keyId]);
  });

  it('refuses a malformed or non-ed25519 key in one line naming the setting and never echoing key material', () => {
    const garbage = '-----BEGIN PRIVATE KEY-----\nc2VjcmV0LXNlY3JldA==\n-----END PRIVATE KEY-----\n';
    const error = (() => {
      try {
        loadManifestSigner(garbage);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/^LEDGERFLOW_SIGNING_KEY is not a PEM private key Fix: /);
    expect((error as Error).message).not.toContain('c2VjcmV0');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => loadManifestSigner(rsa)).toThrow(/LEDGERFLOW_SIGNING_KEY holds a rsa key, not ed25519/);
    expect(() => loadManifestSigner(join(dir, 'absent.pem'))).toThrow(/LEDGERFLOW_SIGNING_KEY names a key file that cannot be read \(ENOENT\)/);
    expect(() => loadTrustedKeys(['-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----'])).toThrow(/LEDGERFLOW_TRUSTED_KEYS has an entry that is not a PEM key/);
  });
});

describe('the signature as a shell verifies it (docs/lake.md, Custody)', () => {
  it('openssl verifies the manifest bytes with the public key, derives the same key id, and rejects a changed byte', async () => {
    const signer = loadManifestSigner(keys.privatePem);
    const body = buildDayManifest(syntheticDay({ prefix: 'p', date: '2024-03-01', start: 100 }));
    const manifest = Buffer.from(canonicalJson({ ...body, manifestVersion: 2, previous: null, signing: { algorithm: 'ed25519', keyId: signer.keyId } }));
    const sigFile = JSON.parse(signatureFileBytes(signer, manifest).toString('utf8')) as ManifestSignatureFile;
    const files = { manifest: join(dir, 'manifest.json'), sig: join(dir, 'manifest.sig.bin'), pub: join(dir, 'signing.pub.pem'), bad: join(dir, 'bad.json') };
    await writeFile(files.manifest, manifest);
    await writeFile(files.sig, Buffer.from(sigFile.signature, 'base64'));
    await writeFile(files.pub, keys.publicPem);
    await writeFile(files.bad, Buffer.concat([manifest.subarray(0, 10), Buffer.from('X'), manifest.subarray(11)]));

    const ok = await run('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', files.pub, '-rawin', '-in', files.manifest, '-sigfile', files.sig]);
    expect(ok.stdout).toContain('Signature Verified Successfully');
    const bad = await run('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', files.pub, '-rawin', '-in', files.bad, '-sigfile', files.sig]).catch((e: { stdout: string }) => e);
    expect(bad.stdout).toContain('Signature Verification Failure');

    const keyId = await run('sh', ['-c', `openssl pkey -pubin -in '${files.pub}' -outform DER | sha256sum | cut -c1-16`]);
    expect(keyId.stdout.trim()).toBe(signer.keyId);
    const sha = await run('sha256sum', [files.manifest]);
    expect(sha.stdout.split(' ')[0]).toBe(sigFile.manifestSha256);
  });
});
