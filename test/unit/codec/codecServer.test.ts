import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AesGcmPayloadCodec } from '../../../src/codec/aesGcmCodec.js';
import { startCodecServer, type RunningCodecServer } from '../../../src/codec/codecServer.js';
import { codecKeyringFromEnv } from '../../../src/codec/codecSettings.js';

const ROOT = join(import.meta.dirname, '../../..');
const KEYS = `k1=${randomBytes(32).toString('base64')}`;
const TOKEN = randomBytes(24).toString('hex');
const WEB = 'http://127.0.0.1:8233';
const codec = new AesGcmPayloadCodec(codecKeyringFromEnv({ LEDGERFLOW_CODEC_KEYS: KEYS })!);

let server: RunningCodecServer;
const refused: string[] = [];
beforeAll(async () => {
  server = await startCodecServer({ codec, token: TOKEN, corsOrigin: WEB, port: 0, log: (line) => refused.push(line) });
});
afterAll(async () => {
  await server?.close();
});

const b64 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('base64');
async function encrypted(value: unknown) {
  const [payload] = await codec.encode([defaultPayloadConverter.toPayload(value)]);
  return { metadata: Object.fromEntries(Object.entries(payload!.metadata!).map(([k, v]) => [k, b64(v)])), data: b64(payload!.data) };
}
function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
}
const bearer = { Authorization: `Bearer ${TOKEN}` };

describe('codec server protocol', () => {
  it('decodes what the workers encrypted, under any path prefix (the CLI templates /{namespace}/decode)', async () => {
    for (const path of ['/decode', '/default/decode']) {
      const response = await post(path, { payloads: [await encrypted({ lakeKey: 'k/1' }), await encrypted('two')] }, { ...bearer, 'X-Namespace': 'default' });
      expect(response.status).toBe(200);
      const { payloads } = (await response.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
      expect(Buffer.from(payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
      expect(JSON.parse(Buffer.from(payloads[0]!.data, 'base64').toString())).toEqual({ lakeKey: 'k/1' });
      expect(JSON.parse(Buffer.from(payloads[1]!.data, 'base64').toString())).toBe('two');
    }
  });

  it('encodes for the CLI and Web (e.g. a signal typed in), and its output decodes again', async () => {
    const plain = defaultPayloadConverter.toPayload({ date: '2024-01-02' });
    const encodedResponse = await post('/encode', { payloads: [{ metadata: { encoding: b64(plain.metadata!.encoding) }, data: b64(plain.data) }] }, bearer);
    const encoded = (await encodedResponse.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
    expect(Buffer.from(encoded.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
    const decoded = (await (await post('/decode', encoded, bearer)).json()) as { payloads: { data: string }[] };
    expect(JSON.parse(Buffer.from(decoded.payloads[0]!.data, 'base64').toString())).toEqual({ date: '2024-01-02' });
  });

  it('refuses a missing or wrong token with 401, and never echoes the token', async () => {
    const body = { payloads: [await encrypted('secret')] };
    for (const headers of [{} as Record<string, string>, { Authorization: `Bearer ${TOKEN.slice(0, -1)}x` }, { Authorization: TOKEN }, { Authorization: `Basic ${TOKEN}` }]) {
      const response = await post('/decode', body, headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      const text = await response.text();
      expect(text).not.toContain(TOKEN.slice(0, 12));
      expect(text).not.toContain('secret');
    }
    expect(refused.join('\n')).not.toContain(TOKEN.slice(0, 12));
  });

  it('sends CORS headers to the configured Temporal Web origin only; the preflight needs no token', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/decode`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type,x-namespace' } });
    const allowed = await preflight(WEB);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(WEB);
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');

    const other = await preflight('http://evil.example');
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();

    const fromWeb = await post('/decode', { payloads: [] }, { ...bearer, Origin: WEB });
    expect(fromWeb.status).toBe(200);
    expect(fromWeb.headers.get('access-control-allow-origin')).toBe(WEB);
    const fromElsewhere = await post('/decode', { payloads: [] }, { ...bearer, Origin: 'http://127.0.0.1:9999' });
    expect(fromElsewhere.headers.get('access-control-allow-origin')).toBeNull();
    // A refusal still carries the header for Web, so the UI can show why.
    const unauthorised = await post('/decode', { payloads: [] }, { Origin: WEB });
    expect(unauthorised.status).toBe(401);
    expect(unauthorised.headers.get('access-control-allow-origin')).toBe(WEB);
  });

  it('answers bad requests with a status and a reason', async () => {
    expect((await fetch(`${server.url}/decode`, { method: 'GET', headers: bearer })).status).toBe(405);
    expect((await post('/other', { payloads: [] }, bearer)).status).toBe(404);
    const notJson = await fetch(`${server.url}/decode`, { method: 'POST', headers: bearer, body: '{' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { message: string }).message).toMatch(/not JSON/);
    const unknownKey = await post('/decode', { payloads: [{ ...(await encrypted('x')), metadata: { ...(await encrypted('x')).metadata, 'encryption-key-id': b64(Buffer.from('k9')) } }] }, bearer);
    expect(unknownKey.status).toBe(400);
    expect(((await unknownKey.json()) as { message: string }).message).toMatch(/no key with id k9/);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('refuses a body over its limit with 413', async () => {
    const small = await startCodecServer({ codec, token: TOKEN, port: 0, maxBodyBytes: 1024 });
    try {
      const response = await fetch(`${small.url}/decode`, { method: 'POST', headers: bearer, body: JSON.stringify({ payloads: [{ data: 'A'.repeat(4096) }] }) });
      expect(response.status).toBe(413);
    } finally {
      await small.close();
    }
  });
});

/** Runs `ledgerflow codec-server` from source with `env`; resolves with its first stderr line. */
function runCli(env: Record<string, string>, args: string[] = ['--port', '0']) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'codec-server', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const firstLine = new Promise<string>((resolve) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('\n')) resolve(stderr.split('\n')[0]!);
    });
    child.on('close', () => resolve(stderr.split('\n')[0]!));
  });
  return { child, firstLine, exited: once(child, 'close') as Promise<[number | null]> };
}

describe('ledgerflow codec-server', () => {
  it('serves until SIGTERM with the keys and token from the environment, and exits 0', async () => {
    const { child, firstLine, exited } = runCli({ LEDGERFLOW_CODEC_KEYS: KEYS, LEDGERFLOW_CODEC_TOKEN: TOKEN, TEMPORAL_UI_URL: `${WEB}/` });
    const line = await firstLine;
    expect(line).toMatch(/^codec server on http:\/\/127\.0\.0\.1:\d+ .*CORS http:\/\/127\.0\.0\.1:8233\)/);
    expect(line).not.toContain(KEYS.slice(3));
    expect(line).not.toContain(TOKEN);
    const url = /on (http:\/\/[^ ]+)/.exec(line)![1]!;
    const response = await fetch(`${url}/decode`, { method: 'POST', headers: bearer, body: JSON.stringify({ payloads: [await encrypted('hello')] }) });
    expect(response.status).toBe(200);
    expect((await fetch(`${url}/decode`, { method: 'POST', body: '{"payloads":[]}' })).status).toBe(401);
    child.kill('SIGTERM');
    expect((await exited)[0]).toBe(0);
  });

  it.each([
    ['a malformed key', { LEDGERFLOW_CODEC_KEYS: 'k1=c2hvcnQ=', LEDGERFLOW_CODEC_TOKEN: TOKEN }, /^ledgerflow: LEDGERFLOW_CODEC_KEYS is malformed: key k1 is 5 bytes/],
    ['no keys', { LEDGERFLOW_CODEC_TOKEN: TOKEN }, /^ledgerflow: LEDGERFLOW_CODEC_KEYS is not set/],
    ['no token', { LEDGERFLOW_CODEC_KEYS: KEYS }, /^ledgerflow: LEDGERFLOW_CODEC_TOKEN is not set/],
    ['a short token', { LEDGERFLOW_CODEC_KEYS: KEYS, LEDGERFLOW_CODEC_TOKEN: 'abc' }, /^ledgerflow: LEDGERFLOW_CODEC_TOKEN is too weak/],
  ])('refuses to start with %s, on one line that names the variable', async (_name, env, expected) => {
    const { firstLine, exited } = runCli(env);
    const line = await firstLine;
    expect(line).toMatch(expected);
    expect(line).toContain('Fix: ');
    expect((await exited)[0]).toBe(1);
    expect(line).not.toContain(KEYS.slice(3));
  });
});

describe('codec server for a local dev server (webWithoutToken)', () => {
  it('lets the Temporal Web origin decode without the token, and nobody else', async () => {
    const local = await startCodecServer({ codec, token: TOKEN, corsOrigin: WEB, port: 0, webWithoutToken: true });
    try {
      const body = JSON.stringify({ payloads: [await encrypted({ date: '2024-01-02' })] });
      const call = (headers: Record<string, string>) => fetch(`${local.url}/decode`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
      const fromWeb = await call({ Origin: WEB });
      expect(fromWeb.status).toBe(200);
      expect(fromWeb.headers.get('access-control-allow-origin')).toBe(WEB);
      const { payloads } = (await fromWeb.json()) as { payloads: { data: string }[] };
      expect(JSON.parse(Buffer.from(payloads[0]!.data, 'base64').toString())).toEqual({ date: '2024-01-02' });
      expect((await call({ Origin: 'http://evil.example' })).status).toBe(401);
      expect((await call({})).status).toBe(401);
    } finally {
      await local.close();
    }
  });

  it('is refused off loopback', async () => {
    await expect(startCodecServer({ codec, token: TOKEN, corsOrigin: WEB, port: 0, host: '0.0.0.0', webWithoutToken: true })).rejects.toThrow(/must require its token/);
  });

  it('without it, the Temporal Web origin needs the token like everyone else', async () => {
    const response = await post('/decode', { payloads: [await encrypted('x')] }, { Origin: WEB });
    expect(response.status).toBe(401);
  });
});
