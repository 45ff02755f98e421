import type { Row, RowSink, SinkResult } from '../../src/lake/format/types.js';

/** A RowSink that keeps every row in memory and records how it ended, for exporter tests. */
export class CollectingSink implements RowSink {
  rows: Row[] = [];
  state: 'open' | 'closed' | 'aborted' = 'open';
  constructor(private readonly onWrite?: (row: Row) => void) {}
  write(row: Row) {
    this.onWrite?.(row);
    this.rows.push(row);
  }
  async close(): Promise<SinkResult> {
    this.state = 'closed';
    return { rows: this.rows.length, bytes: 0, sha256: '', location: 'memory' };
  }
  async abort() {
    this.state = 'aborted';
  }
}
