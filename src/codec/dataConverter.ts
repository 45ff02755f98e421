import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import { AesGcmPayloadCodec } from './aesGcmCodec.js';
import { codecKeyringFromEnv } from './codecSettings.js';
import { ENCODED_FAILURES_MARKER } from './encodedFailureConverter.js';

type Env = Record<string, string | undefined>;

/** What workers and clients pass to Temporal, and what to say about it in a log line. */
export interface CodecConverter {
  /** For Worker.create, new Client and bundleWorkflowCode; `{}` (the SDK defaults) when plaintext. */
  dataConverter: DataConverter;
  /** Id of the key new payloads are encrypted with; undefined when payloads are plaintext. */
  encryptKeyId: string | undefined;
  /** Every key id this process can decrypt. */
  keyIds: string[];
}

/**
 * The one data converter of workers and clients. With LEDGERFLOW_CODEC_KEYS set: AES-256-GCM on
 * every payload, and failure messages and stack traces moved into an encoded (so encrypted)
 * attribute. Unset: the SDK defaults, payloads in plaintext. A malformed value throws a
 * ConfigurationError naming the variable, at start-up.
 */
export function codecConverterFromEnv(env: Env = process.env): CodecConverter {
  const keyring = codecKeyringFromEnv(env);
  if (!keyring) return { dataConverter: {}, encryptKeyId: undefined, keyIds: [] };
  return {
    dataConverter: { payloadCodecs: [new AesGcmPayloadCodec(keyring)], failureConverterPath: encodedFailureConverterPath() },
    encryptKeyId: keyring.encryptKeyId,
    keyIds: [...keyring.keys.keys()],
  };
}

let typeScriptRequire = false;

/**
 * The failure converter module's path, which the SDK loads with require() on the worker and
 * client side and the bundler aliases into the workflow sandbox: the compiled .js in dist/, or the
 * .ts source when running from source (then tsx's require hook is installed, once, so Node's
 * require can load it under the CLI, vitest and plain `node --import tsx` alike).
 */
export function encodedFailureConverterPath(): string {
  const js = fileURLToPath(new URL('./encodedFailureConverter.js', import.meta.url));
  if (existsSync(js)) return js;
  const ts = fileURLToPath(new URL('./encodedFailureConverter.ts', import.meta.url));
  if (!typeScriptRequire) {
    typeScriptRequire = true;
    const require = createRequire(import.meta.url);
    (require('tsx/cjs/api') as { register(): void }).register();
  }
  return ts;
}

/** Whether a workflow bundle's sandbox encodes failure messages (built with this converter). */
export function bundleEncodesFailures(code: string): boolean {
  return code.includes(ENCODED_FAILURES_MARKER);
}
