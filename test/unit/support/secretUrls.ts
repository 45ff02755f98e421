import fc from 'fast-check';

/**
 * RPC URLs with one generated secret in one position, for the "no credential in any output"
 * property tests. A secret looks like what providers issue: hex, base62, base64 and base64url
 * (padded with `=`), JWTs with dots, UUIDs, keys with `.`, `=` or `%`, and short keys as the value
 * of a key-named query parameter. Everything around it is plain words a reader needs to see.
 */
export type SecretPosition = 'user' | 'password' | 'host' | 'path' | 'keyParam' | 'anyParam' | 'bareParam' | 'fragment';

export const POSITIONS: readonly SecretPosition[] = ['user', 'password', 'host', 'path', 'keyParam', 'anyParam', 'bareParam', 'fragment'];

export interface SecretUrl {
  url: string;
  secret: string;
  position: SecretPosition;
  /** The same URL with another secret in the same place: the mask must not tell them apart. */
  urlFor(secret: string): string;
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const HEX = `${DIGITS}abcdef`;
const BASE62 = `${LOWER}${LOWER.toUpperCase()}${DIGITS}`;
const BASE64URL = `${BASE62}-_`;

const from = (alphabet: string, minLength: number, maxLength: number) => fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength });

/**
 * What makes a string a generated token rather than a word: at least three digits and two
 * letters, or a character no word has. Filtering on this (and not on maskUrl's own rule) keeps
 * the test honest about what the mask must catch.
 */
export function looksGenerated(text: string): boolean {
  const digits = (text.match(/\d/g) ?? []).length;
  const letters = (text.match(/[A-Za-z]/g) ?? []).length;
  return (digits >= 3 && letters >= 2) || /[.=%+~/]/.test(text);
}

const base64 = (min: number, max: number) =>
  fc.tuple(from(`${BASE62}+/`, min, max), fc.constantFrom('', '=', '==')).map(([body, pad]) => `${body}${pad}`);

const jwt = fc
  .tuple(from(BASE64URL, 4, 40), from(BASE64URL, 4, 60), from(BASE64URL, 3, 43))
  .map(([header, payload, signature]) => `eyJ${header}.eyJ${payload}.${signature}`);

const uuid = fc.tuple(from(HEX, 8, 8), from(HEX, 4, 4), from(HEX, 4, 4), from(HEX, 4, 4), from(HEX, 12, 12)).map((parts) => parts.join('-'));

const withSpecial = fc
  .tuple(from(BASE62, 4, 30), fc.constantFrom('.', '=', '%2F', '%3D', '~', '+'), from(BASE62, 1, 30))
  .map(([a, special, b]) => `${a}${special}${b}`);

/** A token of any shape, at least 8 characters: for the path, the query and the fragment. */
export const tokenSecret: fc.Arbitrary<string> = fc
  .oneof(from(HEX, 8, 64), from(BASE62, 8, 64), base64(8, 88), from(BASE64URL, 8, 64), jwt, uuid, withSpecial)
  .filter(looksGenerated);

/** Any value at all, 1 to 40 characters, as a key-named query parameter carries it. */
export const shortKey: fc.Arbitrary<string> = from(`${BASE62}-_.~`, 1, 40).filter((key) => !/^[-_.~]+$/.test(key));

/** A DNS label: lower-case letters and digits, as a provider puts a key in a subdomain. */
export const hostSecret: fc.Arbitrary<string> = fc.oneof(from(`${LOWER}${DIGITS}`, 8, 63), from(HEX, 16, 63)).filter(looksGenerated);

const word = fc.constantFrom('rpc', 'eth-mainnet', 'node', 'g', 'alchemy', 'infura', 'provider', 'quiknode', 'chainstack', 'api');
const tld = fc.constantFrom('io', 'com', 'net', 'pro', 'invalid');
const pathWord = fc.constantFrom('v2', 'v3', 'rpc', 'ext', 'bc', 'C', 'eth', 'mainnet', 'jsonrpc');
const keyParam = fc.constantFrom('key', 'apikey', 'api_key', 'api-key', 'token', 'auth', 'access_token', 'apiKey', 'x-api-key', 'authToken', 'KEY');
const plainParam = fc.constantFrom('network=mainnet', 'chain=1', 'format=json', 'v=2');

interface Shape {
  scheme: string;
  host: string[];
  port: string;
  path: string[];
  query: string[];
}

const shape: fc.Arbitrary<Shape> = fc.record({
  scheme: fc.constantFrom('http', 'https'),
  host: fc.array(word, { minLength: 1, maxLength: 3 }).chain((labels) => tld.map((t) => [...labels, t])),
  port: fc.constantFrom('', ':8545', ':443', ':9650'),
  path: fc.array(pathWord, { maxLength: 3 }),
  query: fc.array(plainParam, { maxLength: 2 }),
});

function render(s: Shape, parts: { userinfo?: string; hostLabel?: string; pathSegment?: string; param?: string; fragment?: string }, at: number): string {
  const host = [...s.host];
  if (parts.hostLabel) host.splice(Math.min(at, host.length - 1), 0, parts.hostLabel);
  const path = [...s.path];
  if (parts.pathSegment) path.splice(Math.min(at, path.length), 0, parts.pathSegment);
  const query = [...s.query];
  if (parts.param) query.splice(Math.min(at, query.length), 0, parts.param);
  const userinfo = parts.userinfo ? `${parts.userinfo}@` : '';
  const search = query.length ? `?${query.join('&')}` : '';
  const fragment = parts.fragment ? `#${parts.fragment}` : '';
  return `${s.scheme}://${userinfo}${host.join('.')}${s.port}/${path.join('/')}${search}${fragment}`;
}

/** One URL per position and shape; `hosts` replaces the host (the pool test needs one that fails fast). */
export function secretUrl(position: SecretPosition, options: { host?: (s: Shape) => string[] } = {}): fc.Arbitrary<SecretUrl> {
  const secretOf: Record<SecretPosition, fc.Arbitrary<string>> = {
    user: tokenSecret,
    password: fc.oneof(tokenSecret, shortKey.filter((k) => k.length >= 4)),
    host: hostSecret,
    path: tokenSecret,
    keyParam: shortKey,
    anyParam: tokenSecret,
    bareParam: tokenSecret,
    fragment: fc.oneof(tokenSecret, shortKey.map((k) => `access_token=${k}`)),
  };
  return fc.tuple(shape, secretOf[position], fc.nat(3), keyParam, fc.constantFrom('id', 'x', 'q', 'network')).map(([s, secret, at, name, anyName]) => {
    const base = options.host ? { ...s, host: options.host(s) } : s;
    // A fragment secret comes as `access_token=<key>` (OAuth's implicit flow) or bare.
    const tokenParam = position === 'fragment' && secret.startsWith('access_token=');
    const urlFor = (value: string) => {
      const encoded = encodeURIComponent(value);
      const parts = {
        user: { userinfo: encoded },
        password: { userinfo: `user:${encoded}` },
        host: { hostLabel: value },
        path: { pathSegment: encoded },
        keyParam: { param: `${name}=${encoded}` },
        anyParam: { param: `${anyName}=${encoded}` },
        bareParam: { param: encoded },
        fragment: { fragment: tokenParam ? `access_token=${encoded}` : encoded },
      }[position];
      return render(base, parts, at);
    };
    const shown = tokenParam ? secret.slice('access_token='.length) : secret;
    return { url: urlFor(shown), secret: shown, position, urlFor };
  });
}

/** Every way the secret could be written into a text: as it is, percent-encoded, lower-cased (hosts). */
export function secretForms(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), secret.toLowerCase(), encodeURIComponent(secret).toLowerCase()])];
}

/** The forms of the secret found in `text`; empty when none leaked. */
export function leaked(text: string, secret: string): string[] {
  return secretForms(secret).filter((form) => text.includes(form));
}
