/**
 * Strips credentials from a URL before it reaches a log line, an error message or workflow
 * history: user:password, query strings (Infura/Alchemy-style `?apikey=`), and path segments that
 * look like API keys (`/v2/<key>`, `/v3/<key>`). Keeps scheme, host and port so an operator can
 * still tell endpoints apart.
 */
export function maskUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '<unparseable url>';
  }
  const masked = `${url.protocol}//${url.host}`;
  const segments = url.pathname.split('/').filter(Boolean).map((s) => (looksLikeSecret(s) ? '***' : s));
  const path = segments.length ? `/${segments.join('/')}` : '';
  const credentials = url.username || url.password ? '***@' : '';
  const query = url.search ? '?***' : '';
  return masked.replace('//', `//${credentials}`) + path + query;
}

function looksLikeSecret(segment: string): boolean {
  // API keys are long runs of letters, digits, '-' and '_'; ordinary path words are short.
  return segment.length >= 16 && /^[A-Za-z0-9_-]+$/.test(segment);
}
