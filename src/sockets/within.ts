/**
 * `p`, or TIMEOUT once `ms` have passed (then `p` goes on, unobserved). For waits on the kernel —
 * a flush to a peer that stopped reading never completes by itself.
 */
import { ERR_TIMEOUT } from './errors.js';

export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ERR_TIMEOUT(what, ms)), ms);
  });
  p.catch(() => undefined); // settled after the deadline: nobody is listening any more
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
