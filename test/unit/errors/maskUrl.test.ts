import { describe, expect, it } from 'vitest';
import { endpointAlias, maskUrl } from '../../../src/errors/maskUrl.js';
import { endpointLabel } from '../../../src/metrics/endpointLabel.js';

describe('maskUrl', () => {
  it.each([
    ['https://eth-mainnet.g.alchemy.com/v2/abcDEF123456ghiJKL', 'https://eth-mainnet.g.alchemy.com/v2/***'],
    ['https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef', 'https://mainnet.infura.io/v3/***'],
    ['https://rpc.example.com/eyJhbGciOi.eyJzdWIi.sig', 'https://rpc.example.com/***'],
    ['https://rpc.example.com/rpc?apikey=abc&network=mainnet', 'https://rpc.example.com/rpc?apikey=***&network=mainnet'],
    ['https://rpc.example.com/rpc?key=a1', 'https://rpc.example.com/rpc?key=***'],
    ['https://rpc.example.com/?x-api-key=short', 'https://rpc.example.com/?x-api-key=***'],
    ['https://rpc.example.com/k/abc%3Ddef', 'https://rpc.example.com/k/***'],
    ['https://rpc.example.com/k/a.b=c', 'https://rpc.example.com/k/***'],
    ['https://a1b2c3d4e5f6.rpc.provider.io/', 'https://***.rpc.provider.io'],
    ['https://nd-123-456-789.p2pify.com/0123abcd', 'https://nd-123-456-789.p2pify.com/***'],
    ['http://user:pw@127.0.0.1:8545', 'http://***@127.0.0.1:8545'],
    ['https://api.avax.network/ext/bc/C/rpc', 'https://api.avax.network/ext/bc/C/rpc'],
    ['https://ethereum-mainnet-archive.example/rpc#alchemy-main', 'https://ethereum-mainnet-archive.example/rpc#alchemy-main'],
    ['https://rpc.example.com/#access_token=abc', 'https://rpc.example.com/#***'],
    ['http://[::1]:8545/', 'http://[::1]:8545'],
    ['not a url', '<unparseable url>'],
  ])('%s -> %s', (raw, masked) => {
    expect(maskUrl(raw)).toBe(masked);
  });
});

describe('endpointLabel', () => {
  it('is the #alias when the fragment names one, else the masked host and port, never the path', () => {
    expect(endpointLabel(new URL('https://eth-mainnet.g.alchemy.com/v2/abcDEF123456ghiJKL#alchemy-main'))).toBe('alchemy-main');
    expect(endpointLabel(new URL('https://eth-mainnet.g.alchemy.com/v2/abcDEF123456ghiJKL'))).toBe('eth-mainnet.g.alchemy.com');
    expect(endpointLabel(new URL('https://a1b2c3d4e5f6.rpc.provider.io:8545/x?key=1'))).toBe('***.rpc.provider.io:8545');
    expect(endpointLabel(new URL('https://rpc.example.com/#abc123def456'))).toBe('rpc.example.com');
    expect(endpointAlias(new URL('https://rpc.example.com/#access_token=abc'))).toBeUndefined();
  });
});
