import type { ClientBase } from 'pg';
import type { Logger } from '../log.js';

/**
 * node-postgres emits 'error' on a client whose server connection dies while no query runs on it
 * (PostgreSQL restarted or failed over, `pg_terminate_backend`). The pool listens only while a
 * client is idle in the pool; a checked-out client, or one opened with `new pg.Client`, has no
 * listener, so such an error is an uncaught exception that kills the whole worker process
 * (seen when PostgreSQL restarted while a load waited for its staging COPYs).
 *
 * This listener keeps the process alive; the client is then unusable, so the next query on it
 * rejects ("not queryable") and the activity fails and is retried like any connection error.
 * Returns the function that removes the listener, to call once the client is released or ended.
 */
export function watchConnectionErrors(client: ClientBase, logger: Logger, context: Record<string, unknown> = {}): () => void {
  const onError = (error: Error) => logger.warn({ ...context, err: error }, 'warehouse connection lost while held; the next statement on it fails');
  client.on('error', onError);
  return () => {
    client.off('error', onError);
  };
}
