/**
 * Runs tasks one at a time in arrival order (reads from one archive must not interleave). A task's
 * timeout counts from when it was queued: one still waiting for its turn when time runs out leaves
 * the queue without having touched anything; one that started gets the time left.
 */
import { ERR_ABORTED, ERR_TIMEOUT } from './errors.js';
import type { WaitOptions } from './wait-queue.js';

interface Task {
  start: () => void;
  drop: (err: Error) => void;
}

export class SerialQueue {
  private readonly tasks: Task[] = [];
  private busy = false;

  get length(): number {
    return this.tasks.length + (this.busy ? 1 : 0);
  }

  run<T>(what: string, options: WaitOptions, fn: (left: WaitOptions) => Promise<T>): Promise<T> {
    const { timeoutMs, signal } = options;
    const deadline = timeoutMs !== undefined && timeoutMs > 0 ? Date.now() + timeoutMs : undefined;
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new ERR_ABORTED(what));
        return;
      }
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => task.drop(new ERR_ABORTED(what));
      const unqueue = () => {
        const i = this.tasks.indexOf(task);
        if (i >= 0) this.tasks.splice(i, 1);
        return i >= 0;
      };
      const task: Task = {
        drop: (err) => {
          if (unqueue()) {
            if (timer !== undefined) clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
            reject(err);
          }
        },
        start: () => {
          if (timer !== undefined) clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          const left = deadline === undefined ? undefined : Math.max(1, deadline - Date.now());
          fn({ timeoutMs: left, signal })
            .then(resolve, reject)
            .finally(() => {
              this.busy = false;
              this.pump();
            });
        },
      };
      if (deadline !== undefined) timer = setTimeout(() => task.drop(new ERR_TIMEOUT(what, timeoutMs!)), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.tasks.push(task);
      this.pump();
    });
  }

  private pump(): void {
    if (this.busy) return;
    const next = this.tasks.shift();
    if (next === undefined) return;
    this.busy = true;
    next.start();
  }
}
