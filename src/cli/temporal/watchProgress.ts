import type { WorkflowHandle } from '@temporalio/client';
import type { QueryDefinition } from '@temporalio/common';

export interface WatchProgressOptions<P> {
  intervalMs?: number;
  /**
   * Something the progress query cannot tell (a day waiting for finality), appended to the line.
   * It usually costs a describe call, so it is asked at most every noteIntervalMs.
   */
  note?: (progress: P) => Promise<string | undefined>;
  noteIntervalMs?: number;
  out?: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * Draws a one-line progress bar on stderr from a workflow's `progress` query until its result
 * arrives. On a terminal the line redraws in place; in a log file a line is printed only when
 * it changes.
 */
export async function watchProgress<P, R>(
  handle: WorkflowHandle,
  query: QueryDefinition<P>,
  render: (progress: P) => { done: number; total: number; text: string },
  result: Promise<R>,
  options: WatchProgressOptions<P> = {},
): Promise<R> {
  const out = options.out ?? process.stderr;
  const tty = out.isTTY === true;
  const noteIntervalMs = options.noteIntervalMs ?? 2000;
  let last = '';
  let finished = false;
  // A query with no worker to answer it hangs; one at a time keeps them from piling up.
  let drawing = false;
  let note: string | undefined;
  let noteAskedAt = -Infinity;
  const draw = async () => {
    if (drawing || finished) return;
    drawing = true;
    try {
      const progress = await handle.query(query).catch(() => undefined);
      if (progress === undefined || finished) return;
      if (options.note && Date.now() - noteAskedAt >= noteIntervalMs) {
        noteAskedAt = Date.now();
        note = await options.note(progress).catch(() => undefined);
        if (finished) return;
      }
      const { done, total, text } = render(progress);
      const line = `${bar(done, total)} ${text}${note ? `; ${note}` : ''}`;
      if (line === last) return;
      last = line;
      out.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
    } finally {
      drawing = false;
    }
  };
  const timer = setInterval(() => void draw(), options.intervalMs ?? 1000);
  try {
    await Promise.race([draw(), result]);
    return await result;
  } finally {
    finished = true;
    clearInterval(timer);
    if (tty && last) out.write('\n');
  }
}

export function bar(done: number, total: number, width = 24): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}%`;
}
