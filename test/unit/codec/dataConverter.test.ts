import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { decodeFailure, encodeErrorToFailure, encodeToPayload, decodeOptionalSinglePayload } from '@temporalio/common/lib/internal-non-workflow/codec-helpers.js';
import { loadDataConverter } from '@temporalio/common/lib/internal-non-workflow/data-converter-helpers.js';
import { bundleWorkflowCode } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleEncodesFailures, codecConverterFromEnv } from '../../../src/codec/dataConverter.js';
import { configFromEnv } from '../../../src/config.js';
import { ConfigurationError } from '../../../src/errors/LedgerflowError.js';
import { createLogger } from '../../../src/log.js';
import { createMetricsRegistry } from '../../../src/metrics/createMetricsRegistry.js';
import { bundleWorkflows } from '../../../src/workers/bundleWorkflows.js';
import { startWorkers } from '../../../src/workers/main.js';
import { workerSettingsFromEnv } from '../../../src/workers/workerSettings.js';
import { workflowsPath } from '../../../src/workers/workflowsPath.js';

const KEYS = `k1=${randomBytes(32).toString('base64')}`;

describe('codecConverterFromEnv', () => {
  it('without LEDGERFLOW_CODEC_KEYS gives the SDK defaults: plaintext, as before', () => {
    expect(codecConverterFromEnv({})).toEqual({ dataConverter: {}, encryptKeyId: undefined, keyIds: [] });
  });

  it('with keys, the SDK loads it: payloads are encrypted and failure messages and stack traces travel encrypted', async () => {
    const converter = loadDataConverter(codecConverterFromEnv({ LEDGERFLOW_CODEC_KEYS: KEYS }).dataConverter);
    const payload = await encodeToPayload(converter, { lakeKey: 'proprietary-lake-key' });
    expect(Buffer.from(payload.metadata!.encoding!).toString()).toBe('binary/encrypted');
    expect(await decodeOptionalSinglePayload(converter, payload)).toEqual({ lakeKey: 'proprietary-lake-key' });

    const failure = await encodeErrorToFailure(converter, ApplicationFailure.nonRetryable('node https://rpc.example/secret-path refused', 'RpcError'));
    expect(failure.message).toBe('Encoded failure');
    expect(failure.stackTrace).toBe('');
    expect(JSON.stringify(failure)).not.toContain('secret-path');
    expect(Buffer.from(failure.encodedAttributes!.metadata!.encoding!).toString()).toBe('binary/encrypted');
    const decoded = await decodeFailure(converter.payloadCodecs, failure);
    const error = converter.failureConverter.failureToError(decoded, converter.payloadConverter);
    expect(error.message).toBe('node https://rpc.example/secret-path refused');
  });

  it('a malformed value stops start-up with the variable named', () => {
    expect(() => codecConverterFromEnv({ LEDGERFLOW_CODEC_KEYS: 'k1=c2hvcnQ=' })).toThrow(/^LEDGERFLOW_CODEC_KEYS is malformed: key k1 is 5 bytes/);
  });
});

describe('workflow bundles and encrypted failures', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ledgerflow-bundle-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('`bundle-workflows` builds the encoded failure converter into the sandbox; a default bundle lacks it', { timeout: 60_000 }, async () => {
    expect(bundleEncodesFailures((await bundleWorkflows()).code)).toBe(true);
    const plain = await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } });
    expect(bundleEncodesFailures(plain.code)).toBe(false);
    await writeFile(join(dir, 'plain-bundle.js'), plain.code);
  });

  it('a worker with keys refuses a prebuilt bundle that would write failure messages in plaintext', async () => {
    const env = { LEDGERFLOW_ROLES: 'workflows', LEDGERFLOW_WORKFLOW_BUNDLE: join(dir, 'plain-bundle.js'), TEMPORAL_ADDRESS: '127.0.0.1:1' };
    const config = configFromEnv({ ...env, RPC_URL: 'http://127.0.0.1:1', S3_BUCKET: 'bucket', DATABASE_URL: 'postgres://x@127.0.0.1:1/x' });
    const started = startWorkers({
      config,
      settings: workerSettingsFromEnv(env),
      logger: createLogger('silent'),
      registry: createMetricsRegistry(),
      serveMetrics: false,
      codec: codecConverterFromEnv({ LEDGERFLOW_CODEC_KEYS: KEYS }),
    });
    await expect(started).rejects.toThrow(ConfigurationError);
    await expect(started).rejects.toThrow(/writes failure messages in plaintext, and LEDGERFLOW_CODEC_KEYS asks for encryption .*Fix: rebuild it with `ledgerflow bundle-workflows/);
  });
});
