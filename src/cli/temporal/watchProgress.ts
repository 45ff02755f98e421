import type { WorkflowHandle } from '@temporalio/client';
import type { QueryDefinition } from '@temporalio/common';

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
  intervalMs = 1000,
): Promise<R> {
  const tty = process.stderr.isTTY;
  let last = '';
  let finished = false;
  const draw = async () => {
    const progress = await handle.query(query).catch(() => undefined);
    if (progress === undefined || finished) return;
    const { done, total, text } = render(progress);
    const line = `${bar(done, total)} ${text}`;
    if (line === last) return;
    last = line;
    process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
  };
  const timer = setInterval(() => void draw(), intervalMs);
  try {
    await draw();
    return await result;
  } finally {
    finished = true;
    clearInterval(timer);
    if (tty && last) process.stderr.write('\n');
  }
}

export function bar(done: number, total: number, width = 24): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}%`;
}
