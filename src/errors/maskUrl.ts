/**
 * Strips credentials from a URL before it reaches a log line, an error message, a metrics label or
 * workflow history. Providers put keys everywhere: in userinfo (`https://user:key@host`), in the
 * path (`/v2/<key>`, `/v3/<hex>`, a JWT `/eyJhbGciOi.eyJzdWIi.sig`), in the query (`?apikey=`,
 * `?token=`), in a subdomain (`<key>.rpc.provider.io`) and, for copy-pasted browser URLs, in the
 * fragment. So the mask works the other way round: a part is shown only when it reads as a plain
 * word (`v3`, `rpc`, `eth-mainnet`, `ext`, `C`, a port or a chain id) and is `***` otherwise.
 * Scheme, the words of the host and the port stay, so an operator can still tell endpoints apart.
 * docs/security.md states the rule; test/unit/errors/maskUrl.property.test.ts throws generated
 * secrets at every position.
 */
export function maskUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '<unparseable url>';
  }
  // Opaque URLs (mailto:, data:, a bare `host:port` read as a scheme) have nothing to keep.
  if (!url.host) return `${url.protocol}***`;
  const credentials = url.username || url.password ? '***@' : '';
  const port = url.port ? `:${url.port}` : '';
  const query = url.search ? `?${url.search.slice(1).split('&').map(maskParam).join('&')}` : '';
  const fragment = url.hash ? `#${maskWord(url.hash.slice(1))}` : '';
  const path = url.pathname === '/' && !query && !fragment ? '' : url.pathname.split('/').map(maskWord).join('/');
  return `${url.protocol}//${credentials}${maskHostname(url.hostname)}${port}${path}${query}${fragment}`;
}

/**
 * The host of a parsed URL with every label that is not a plain word masked, and the port:
 * `***.rpc.provider.io:8545`. IP literals are shown as they are.
 */
export function maskHost(url: URL): string {
  return `${maskHostname(url.hostname)}${url.port ? `:${url.port}` : ''}`;
}

/**
 * The URL's fragment when it names the endpoint (`https://host/v2/<key>#alchemy-main`): a plain
 * word of at most 32 characters. Fragments never leave the client, so the name costs nothing on
 * the wire; anything else in a fragment is treated as a secret.
 */
export function endpointAlias(url: URL): string | undefined {
  const name = url.hash.slice(1);
  return name.length > 0 && name.length <= 32 && isPlainWord(name) ? name : undefined;
}

const MASK = '***';

/**
 * Query parameters whose value is a credential whatever it looks like, even one character long.
 * Compared lower-case, after percent-decoding, also as a substring (`x-api-key`, `authToken`).
 */
const SECRET_PARAM_EXACT = new Set(['key', 'apikey', 'api_key', 'api-key', 'token', 'auth', 'access_token', 'pass', 'pwd', 'sig', 'jwt', 'session']);
const SECRET_PARAM_PARTS = ['key', 'token', 'secret', 'auth', 'passw', 'signature', 'credential', 'session'];

function maskParam(param: string): string {
  const eq = param.indexOf('=');
  const name = eq < 0 ? param : param.slice(0, eq);
  const shownName = maskWord(name);
  if (eq < 0) return shownName;
  const value = param.slice(eq + 1);
  if (value === '') return `${shownName}=`;
  return `${shownName}=${isSecretParam(name) ? MASK : maskWord(value)}`;
}

function isSecretParam(name: string): boolean {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    // Malformed escapes: judge the raw name.
  }
  const lower = decoded.toLowerCase();
  return SECRET_PARAM_EXACT.has(lower) || SECRET_PARAM_PARTS.some((part) => lower.includes(part));
}

function maskWord(text: string): string {
  return text === '' || isPlainWord(text) ? text : MASK;
}

function maskHostname(hostname: string): string {
  // IPv4 and bracketed IPv6 literals carry no key; node hosts in a private network are often these.
  if (hostname.startsWith('[') || /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname)) return hostname;
  return hostname
    .split('.')
    .map((label) => (label === '' || isPlainWord(label) || HOST_WORD.test(label) ? label : MASK))
    .join('.');
}

/**
 * A plain word on its own: lower-case, Capitalised or short upper-case letters, a number of up to
 * ten digits (ports, chain ids), a short word with a one- or two-digit suffix (`web3`, `node2`) or
 * a version (`v3`). Joined with `-` or `_`: lower-case words only, the last part optionally one or
 * two digits (`eth-mainnet`, `polygon_zkevm`, `rpc-2`). None of these has three digits and two
 * letters, which nearly every generated key has; keys also run long, mix case within a part, or
 * carry `.`, `=`, `%`, `+` or `~`.
 */
const SINGLE_WORD = /^(?:[a-z]{1,15}|[A-Z][a-z]{1,14}|[A-Z]{1,5}|\d{1,10}|[a-z]{1,8}\d{1,2}|v\d{1,3})$/;
const JOINED_WORDS = /^[a-z]{1,15}(?:[-_][a-z]{1,15}){0,5}(?:[-_]\d{1,2})?$/;

/**
 * Host labels may also be six letters and digits (`1rpc`, `p2pify`) or words joined to numbers
 * (`nd-123-456-789`, `bsc-dataseed1`): node and pool ids, which providers pair with a key
 * elsewhere in the URL; a key put in a host label is one unbroken run (`<hex>.rpc.provider.io`).
 */
const HOST_WORD = /^(?:[a-z0-9]{1,6}|(?:[a-z]{1,15}|[a-z]{1,8}\d{1,2})(?:-(?:[a-z]{1,15}|\d{1,6}|[a-z]{1,8}\d{1,2})){1,5})$/;

/** Whether `text` reads as a word rather than a token; everything else is masked. */
export function isPlainWord(text: string): boolean {
  return SINGLE_WORD.test(text) || JOINED_WORDS.test(text);
}
