/** The errors every layer shares: a wait that ran out or was cancelled, a bug. */
import { defineError } from './archway-error.js';

export const ERR_TIMEOUT = defineError('TIMEOUT', (what: string, ms: number) => `${what} timed out after ${ms} ms`);
export const ERR_ABORTED = defineError('ABORTED', (what: string) => `${what} was cancelled`);
export const ERR_INTERNAL = defineError('INTERNAL', () => 'an internal error occurred; it has been logged');

/** Past a memory bound: the work would add bytes the process cannot hold now. */
export const ERR_OVERLOADED = defineError('OVERLOADED', (what: string) => what);
