import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { WorkflowFailedError, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { temporalBinary } from '../../../src/stack/temporalServer.js';
import type { RunningWorkers } from '../../../src/workers/main.js';
import { dailyEtl, type DailyEtlInput } from '../../../src/workflows/dailyEtl.js';
import { dailyWorkflowId, TASK_QUEUES } from '../../../src/workflows/names.js';
import { chainIdKey, dateKey } from '../../../src/workflows/searchAttributes.js';
import { openTemporalTestStack, startInProcessWorkers, type TemporalTestStack } from './temporalStack.js';

const run = promisify(execFile);
const stack = inject('stack');
let t: TemporalTestStack;
let workers: RunningWorkers;

beforeAll(async () => {
  t = await openTemporalTestStack(stack, 'codec');
  workers = await startInProcessWorkers(t);
});
afterAll(async () => {
  await workers?.shutdown();
  await t?.close();
});

/** `temporal workflow show -o json` from the real CLI, with the stack's codec server or without. */
async function show(workflowId: string, codec?: { endpoint: string; auth: string }): Promise<string> {
  const cli = process.env.TEMPORAL_CLI ?? temporalBinary();
  const args = ['workflow', 'show', '-w', workflowId, '--address', stack.TEMPORAL_ADDRESS, '--namespace', 'default', '-o', 'json'];
  if (codec) args.push('--codec-endpoint', codec.endpoint, '--codec-auth', codec.auth);
  const { stdout } = await run(cli, args, { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

interface ShownPayload {
  /** Where in the history JSON, e.g. events.0.workflowExecutionStartedEventAttributes.input.payloads.0 */
  path: string;
  encoding: string;
  /** The payload's data, base64-decoded (ciphertext stays gibberish). */
  text: string;
}

/** Every payload in a `workflow show -o json` history, metadata and data decoded from base64. */
function payloadsOf(history: string): ShownPayload[] {
  const found: ShownPayload[] = [];
  const visit = (node: unknown, path: string): void => {
    if (Array.isArray(node)) return node.forEach((item, i) => visit(item, `${path}.${i}`));
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const metadata = record.metadata as Record<string, string> | undefined;
    if (metadata && typeof metadata === 'object' && typeof metadata.encoding === 'string') {
      found.push({ path, encoding: Buffer.from(metadata.encoding, 'base64').toString(), text: Buffer.from(String(record.data ?? ''), 'base64').toString('latin1') });
      return;
    }
    for (const [key, value] of Object.entries(record)) visit(value, path ? `${path}.${key}` : key);
  };
  visit(JSON.parse(history), '');
  return found;
}

/**
 * Payloads that stay plaintext by design: search attributes (the server indexes them) and the patch
 * markers the SDK core writes itself (patch ids, names from the code). Every other one is checked.
 */
const dataPayloads = (history: string) => payloadsOf(history).filter((p) => !p.path.includes('searchAttributes') && !p.path.includes('markerRecordedEventAttributes.details.patch-data'));
/** Everything a reader of the history sees: the JSON itself and every payload's decoded data. */
const readable = (history: string) => [history, ...payloadsOf(history).map((p) => p.text)].join('\n');

/** A day's run with an input field and a memo the workflow ignores: strings found nowhere else in history. */
async function startMarkedDay(input: DailyEtlInput & { date: string; chainId: number }, marker: string) {
  return t.client.workflow.start(dailyEtl, {
    taskQueue: TASK_QUEUES.workflows,
    workflowId: dailyWorkflowId(input.chainId, input.date),
    args: [Object.assign({ ...input }, { requestedBy: `input-${marker}` })],
    memo: { ticket: `memo-${marker}` },
    // A run of this day left open by an earlier test file (its workers gone) must not be joined:
    // this test needs its own input and memo in the history.
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.TERMINATE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    typedSearchAttributes: [
      { key: chainIdKey, value: input.chainId },
      { key: dateKey, value: input.date },
    ],
  });
}

describe('payload encryption on the local stack', () => {
  it('the stack runs encrypted by default, and Temporal Web is pointed at its codec server', async () => {
    expect(stack.LEDGERFLOW_CODEC_KEYS).toMatch(/^local-[0-9a-f]{8}=/);
    expect(stack.LEDGERFLOW_CODEC_TOKEN).toMatch(/^[0-9a-f]{64}$/);
    const settings = (await (await fetch(`${stack.TEMPORAL_UI_URL}/api/v1/settings`)).json()) as { Codec?: { Endpoint?: string } };
    expect(settings.Codec?.Endpoint).toBe(stack.LEDGERFLOW_CODEC_ENDPOINT);
  });

  it('history read without the codec server shows binary/encrypted payloads; with it, the input, memo and result', async () => {
    const marker = randomBytes(6).toString('hex');
    const date = t.days[0]!;
    const handle = await startMarkedDay({ date, chainId: t.chainId }, marker);
    const summary = await handle.result();
    expect(summary.manifestKey).toContain(t.config.s3Prefix);

    const encrypted = await show(handle.workflowId);
    const sealed = dataPayloads(encrypted);
    expect(sealed.length).toBeGreaterThan(10); // input, memo, activity inputs and results, the result
    expect(sealed.filter((p) => p.encoding !== 'binary/encrypted')).toEqual([]);
    expect(sealed.some((p) => p.path.endsWith('workflowExecutionStartedEventAttributes.input.payloads.0'))).toBe(true);
    expect(sealed.some((p) => p.path.includes('memo.fields.ticket'))).toBe(true);
    const seen = readable(encrypted);
    expect(seen).not.toContain(`input-${marker}`);
    expect(seen).not.toContain(`memo-${marker}`);
    // The lake prefix appears in activity inputs and results and the run's result only: all encrypted.
    expect(seen).not.toContain(t.config.s3Prefix);

    const decoded = await show(handle.workflowId, { endpoint: stack.LEDGERFLOW_CODEC_ENDPOINT!, auth: `Bearer ${stack.LEDGERFLOW_CODEC_TOKEN}` });
    const opened = dataPayloads(decoded);
    expect(opened.filter((p) => p.encoding === 'binary/encrypted')).toEqual([]);
    const input = opened.find((p) => p.path.endsWith('workflowExecutionStartedEventAttributes.input.payloads.0'));
    expect(input?.encoding).toBe('json/plain');
    expect(JSON.parse(input!.text)).toEqual({ date, chainId: t.chainId, requestedBy: `input-${marker}` });
    expect(readable(decoded)).toContain(`memo-${marker}`);
    expect(readable(decoded)).toContain(summary.manifestKey);
  });

  it('failure messages and stack traces are encrypted too, and the client reads them back', async () => {
    const marker = randomBytes(6).toString('hex');
    const wrongChain = 900_000 + Math.floor(Math.random() * 1000);
    const handle = await startMarkedDay({ date: t.days[0]!, chainId: wrongChain }, marker);
    const failure = await handle.result().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const messages: string[] = [];
    for (let e: unknown = failure; e instanceof Error; e = e.cause) messages.push(e.message);
    expect(messages.join(' | ')).toContain('The RPC node serves a different chain than the run asked for');

    const encrypted = await show(handle.workflowId);
    const failures = JSON.parse(encrypted).events.flatMap((event: Record<string, { failure?: { message: string; stackTrace?: string } }>) =>
      Object.values(event).flatMap((attributes) => (attributes && typeof attributes === 'object' && attributes.failure ? [attributes.failure] : [])),
    ) as { message: string; stackTrace?: string }[];
    expect(failures.length).toBeGreaterThanOrEqual(2); // the activity's and the run's
    for (const f of failures) expect([f.message, f.stackTrace ?? '']).toEqual(['Encoded failure', '']);
    expect(dataPayloads(encrypted).filter((p) => p.encoding !== 'binary/encrypted')).toEqual([]);
    const seen = readable(encrypted);
    expect(seen).not.toContain('serves a different chain');
    expect(seen).not.toMatch(/resolve\.ts|dailyEtl\.ts|at async/);

    const decoded = await show(handle.workflowId, { endpoint: stack.LEDGERFLOW_CODEC_ENDPOINT!, auth: `Bearer ${stack.LEDGERFLOW_CODEC_TOKEN}` });
    const attributes = dataPayloads(decoded).filter((p) => p.path.endsWith('encodedAttributes'));
    expect(attributes.length).toBeGreaterThanOrEqual(2);
    expect(attributes.map((p) => (JSON.parse(p.text) as { message: string }).message).join(' | ')).toContain('The RPC node serves a different chain than the run asked for');
  });

  it('the codec server refuses a wrong token with 401 and sends CORS headers to Temporal Web only', async () => {
    const endpoint = stack.LEDGERFLOW_CODEC_ENDPOINT!;
    const body = JSON.stringify({ payloads: [] });
    const wrong = await fetch(`${endpoint}/decode`, { method: 'POST', headers: { Authorization: `Bearer ${'0'.repeat(64)}`, 'Content-Type': 'application/json' }, body });
    expect(wrong.status).toBe(401);
    // The CLI gives up on a codec server that refuses it (after its own timeout, without a status in the message).
    await expect(show(`ledgerflow/${t.chainId}/${t.days[0]}`, { endpoint, auth: 'Bearer not-the-token' })).rejects.toThrow(/Command failed/);

    const web = new URL(stack.TEMPORAL_UI_URL).origin;
    const preflight = await fetch(`${endpoint}/default/decode`, { method: 'OPTIONS', headers: { Origin: web, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type,x-namespace' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(web);
    const elsewhere = await fetch(`${endpoint}/default/decode`, { method: 'OPTIONS', headers: { Origin: 'http://127.0.0.1:1', 'Access-Control-Request-Method': 'POST' } });
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
    // The dev server's UI has no sign-in and sends no token: its origin alone decodes (--web-without-token).
    const fromWeb = await fetch(`${endpoint}/default/decode`, { method: 'POST', headers: { Origin: web, 'Content-Type': 'application/json' }, body });
    expect(fromWeb.status).toBe(200);
    const fromElsewhere = await fetch(`${endpoint}/default/decode`, { method: 'POST', headers: { Origin: 'http://127.0.0.1:1', 'Content-Type': 'application/json' }, body });
    expect(fromElsewhere.status).toBe(401);
  });
});
