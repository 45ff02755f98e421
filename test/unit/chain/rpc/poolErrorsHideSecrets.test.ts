import { DefaultFailureConverter, defaultPayloadConverter } from '@temporalio/common';
import fc from 'fast-check';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { classifyError } from '../../../../src/activities/classifyError.js';
import { createRpcPool } from '../../../../src/chain/rpc/createRpcPool.js';
import { LedgerflowError } from '../../../../src/errors/LedgerflowError.js';
import { hostSecret, leaked, POSITIONS, secretUrl, shortKey, tokenSecret, type SecretPosition } from '../../support/secretUrls.js';
import { freePort } from '../../../../src/stack/freePort.js';

// The errors an RPC pool throws for a URL with a key in it, everything they carry (message, JSON,
// stack, cause chain), the Temporal failure an activity makes of them (what workflow history
// stores), the pool's log lines and its metrics: none holds the key. The node is a closed
// loopback port; a key in the host gets a `.invalid` name, which fails DNS at once and whose
// error (`getaddrinfo ENOTFOUND <host>`) names the host.

/** Every text an error exposes, its causes' included; Uint8Array payloads read as UTF-8. */
function everything(error: unknown): string {
  const texts: string[] = [];
  const json = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : v));
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 10; depth++) {
    texts.push(String(current), json(current));
    if (current instanceof Error) texts.push(current.message, current.stack ?? '');
    current = current instanceof Error ? current.cause : undefined;
  }
  texts.push(json(new DefaultFailureConverter().errorToFailure(classifyError(error), defaultPayloadConverter)));
  return texts.join('\n');
}

async function failingCall(url: string): Promise<{ error: unknown; logs: string; metrics: string }> {
  const lines: string[] = [];
  const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
  const registry = new Registry();
  const rpc = createRpcPool({ urls: [url], maxRetries: 1, backoff: { baseMs: 1, maxMs: 2 }, timeoutMs: 2_000, registry, logger });
  try {
    await rpc.request('eth_getBlockByNumber', ['0x10', false]);
    throw new Error('the call to a closed port succeeded');
  } catch (error) {
    return { error, logs: lines.join(''), metrics: await registry.metrics() };
  } finally {
    await rpc.close();
  }
}

const other: Record<SecretPosition, fc.Arbitrary<string>> = {
  user: tokenSecret,
  password: tokenSecret,
  host: hostSecret,
  path: tokenSecret,
  keyParam: shortKey,
  anyParam: tokenSecret,
  bareParam: tokenSecret,
  fragment: tokenSecret,
};

describe('RPC pool errors for a URL with a key (closed loopback port)', () => {
  for (const position of POSITIONS) {
    it(`never carry a key in the ${position}`, async () => {
      const port = await freePort();
      const urls = secretUrl(position, { host: (s) => (position === 'host' ? [...s.host.slice(0, -1), 'invalid'] : ['127.0.0.1']) }).map((u) => ({
        ...u,
        url: position === 'host' ? u.url : u.url.replace(/127\.0\.0\.1(:\d+)?/, `127.0.0.1:${port}`),
      }));
      await fc.assert(
        fc.asyncProperty(urls, other[position], async ({ url, secret, urlFor }, replacement) => {
          const { error, logs, metrics } = await failingCall(url);
          expect(error).toBeInstanceOf(LedgerflowError);
          const seen = `${everything(error)}\n${logs}\n${metrics}`;
          // A key of a few characters can occur in any word: then the error must at least not depend on it.
          if (secret.length < 6) {
            const again = await failingCall(position === 'host' ? urlFor(replacement) : urlFor(replacement).replace(/127\.0\.0\.1(:\d+)?/, `127.0.0.1:${port}`));
            // The elapsed time in the message varies from call to call.
            const untimed = (e: unknown) => (e as Error).message.replace(/ in [\d.]+ s/, '');
            expect(untimed(again.error)).toBe(untimed(error));
            return;
          }
          expect(leaked(seen, secret), url).toEqual([]);
        }),
        // A key in the host costs a DNS lookup per attempt; fewer runs keep the test within its time.
        { numRuns: position === 'host' ? 15 : 25 },
      );
    }, 120_000);
  }
});
