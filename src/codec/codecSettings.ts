import { ConfigurationError } from '../errors/LedgerflowError.js';

/**
 * The codec's settings, named once here (config.ts holds the pipeline's settings; these are read
 * by every process that builds a Temporal worker or client, and by the codec server).
 */
export const CODEC_ENV = {
  /** `id=base64` pairs, comma-separated: the first one encrypts, all of them decrypt. */
  keys: 'LEDGERFLOW_CODEC_KEYS',
  /** Bearer token the codec server requires on /encode and /decode. */
  token: 'LEDGERFLOW_CODEC_TOKEN',
  /** The one browser origin (Temporal Web) the codec server allows cross-origin requests from. */
  corsOrigin: 'LEDGERFLOW_CODEC_CORS_ORIGIN',
} as const;

type Env = Record<string, string | undefined>;

export const CODEC_KEY_BYTES = 32;
// At most 32 characters: shorter than a base64 key, so a pasted bare key is never taken for an id and printed.
const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** AES-256 keys by id; `encryptKeyId` names the one new payloads are encrypted with. */
export interface CodecKeyring {
  encryptKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

const FIX =
  `set ${CODEC_ENV.keys} to comma-separated id=base64 pairs of 32-byte keys, the encrypting key first ` +
  `(make one with: echo "k1=$(openssl rand -base64 32)"), or unset it to run without payload encryption`;

/**
 * Parses LEDGERFLOW_CODEC_KEYS; undefined when unset or empty (payloads stay plaintext). A
 * malformed value is a ConfigurationError naming the variable, the entry and the fix; the message
 * carries key ids and positions, never key material.
 */
export function codecKeyringFromEnv(env: Env = process.env): CodecKeyring | undefined {
  const raw = env[CODEC_ENV.keys]?.trim();
  if (!raw) return undefined;
  const keys = new Map<string, Buffer>();
  let encryptKeyId: string | undefined;
  const entries = raw.split(',').map((entry) => entry.trim());
  entries.forEach((entry, index) => {
    const position = `entry ${index + 1} of ${entries.length}`;
    const eq = entry.indexOf('=');
    const id = entry.slice(0, eq);
    const encoded = entry.slice(eq + 1);
    if (eq <= 0 || encoded === '') throw malformed(`${position} is not id=base64`);
    if (!KEY_ID.test(id)) throw malformed(`${position} has an invalid key id (letters, digits, '.', '_' and '-', at most 32)`);
    if (keys.has(id)) throw malformed(`key id ${id} appears twice`);
    if (!BASE64.test(encoded)) throw malformed(`key ${id} is not base64`);
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== CODEC_KEY_BYTES) throw malformed(`key ${id} is ${key.length} bytes, AES-256 needs ${CODEC_KEY_BYTES}`);
    keys.set(id, key);
    encryptKeyId ??= id;
  });
  return { encryptKeyId: encryptKeyId as string, keys };
}

function malformed(what: string): ConfigurationError {
  return new ConfigurationError(`${CODEC_ENV.keys} is malformed: ${what}`, { fix: FIX });
}

/** `id=base64` for one key, the format LEDGERFLOW_CODEC_KEYS holds. */
export function formatCodecKey(id: string, key: Buffer): string {
  return `${id}=${key.toString('base64')}`;
}

/** The codec server's bearer token; required, at least 16 characters. */
export function codecTokenFromEnv(env: Env = process.env): string {
  const token = env[CODEC_ENV.token]?.trim();
  if (!token) {
    throw new ConfigurationError(`${CODEC_ENV.token} is not set: the codec server refuses to decode for anyone without a bearer token`, {
      fix: `set ${CODEC_ENV.token} to a random secret (openssl rand -hex 32) and pass it to clients as \`--codec-auth 'Bearer <token>'\``,
    });
  }
  if (token.length < 16 || /\s/.test(token)) {
    throw new ConfigurationError(`${CODEC_ENV.token} is too weak: it must be at least 16 characters without spaces`, {
      fix: `set ${CODEC_ENV.token} to a random secret (openssl rand -hex 32)`,
    });
  }
  return token;
}

/** The Temporal Web origin allowed to call the codec server from a browser; undefined allows none. */
export function codecCorsOriginFromEnv(env: Env = process.env, fallback?: string): string | undefined {
  const raw = env[CODEC_ENV.corsOrigin]?.trim() || fallback;
  if (!raw) return undefined;
  let origin: string;
  try {
    origin = new URL(raw).origin;
  } catch {
    origin = 'null';
  }
  if (origin === 'null') {
    throw new ConfigurationError(`${CODEC_ENV.corsOrigin} is not an http(s) origin: ${raw}`, {
      fix: `set ${CODEC_ENV.corsOrigin} to Temporal Web's origin, e.g. http://127.0.0.1:8233`,
    });
  }
  return origin;
}
