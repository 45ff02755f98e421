import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskUrl } from '../../../src/errors/maskUrl.js';
import { endpointLabel } from '../../../src/metrics/endpointLabel.js';
import { hostSecret, leaked, POSITIONS, secretUrl, shortKey, tokenSecret } from '../support/secretUrls.js';

// Generated secrets in every position of an RPC URL: maskUrl's output, and the metrics label,
// never contain one, and do not even change when another secret takes its place.
describe('maskUrl (property)', () => {
  for (const position of POSITIONS) {
    const other = position === 'host' ? hostSecret : position === 'keyParam' ? shortKey : tokenSecret;

    it(`never shows a secret in the ${position}`, () => {
      fc.assert(
        fc.property(secretUrl(position), other, ({ url, secret, urlFor }, replacement) => {
          const masked = maskUrl(url);
          expect(masked).toBe(maskUrl(urlFor(replacement)));
          // A one-letter key can occur in the words around it; independence above covers it.
          fc.pre(leaked(maskUrl(urlFor('X')), secret).length === 0);
          expect(leaked(masked, secret), `${url} -> ${masked}`).toEqual([]);
        }),
        { numRuns: 400 },
      );
    });

    it(`never puts a secret in the ${position} into the metrics label`, () => {
      fc.assert(
        fc.property(secretUrl(position), other, ({ url, secret, urlFor }, replacement) => {
          const label = endpointLabel(new URL(url));
          expect(label).toBe(endpointLabel(new URL(urlFor(replacement))));
          fc.pre(leaked(endpointLabel(new URL(urlFor('X'))), secret).length === 0);
          expect(leaked(label, secret), `${url} -> ${label}`).toEqual([]);
          expect(label).not.toMatch(/[/?#@]/);
        }),
        { numRuns: 200 },
      );
    });
  }

  it('keeps the host readable and the words around the secret', () => {
    fc.assert(
      fc.property(secretUrl('path'), ({ url }) => {
        const parsed = new URL(url);
        expect(maskUrl(url).startsWith(`${parsed.protocol}//${parsed.host}`)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
