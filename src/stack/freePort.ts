import { createServer } from 'node:net';

/**
 * Asks the kernel for a free loopback port. Another process may take it before the service
 * binds, so starters check the service really answers and report the log file if it does not.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port assigned'))));
    });
  });
}
