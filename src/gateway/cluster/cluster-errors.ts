/**
 * The errors only several gateways have (SPEC §8; codes in core/codes.ts, statuses in
 * http-status.ts). Both are 503s: the request was refused, never sent to another session.
 */
import { defineError, quote } from '../../core/index.js';

export const ERR_SESSION_OWNER_DOWN = defineError('SESSION_OWNER_DOWN', (session: string | undefined, owner: string) =>
  session === undefined
    ? `gateway instance ${quote(owner)} is not answering: the sessions of the cluster cannot all be listed; retry shortly (a dead instance's sessions leave the list when its lease runs out)`
    : `session ${quote(session)} was held by gateway instance ${quote(owner)}, which is not answering: its socket went with it; create a new session`);

export const ERR_DIRECTORY_UNAVAILABLE = defineError('DIRECTORY_UNAVAILABLE', (why: string) =>
  `the session directory cannot say where sessions live (${why}): refused rather than routed blind; retry shortly`);
