/**
 * `src/core`: what every layer shares and nothing else — the closed table of error codes, the one
 * error type, and the one deadline. It imports no other layer.
 */
export { CODES, isCode, type Code } from './codes.js';
export {
  ArchwayError, ErrorDetailsSchema, QUOTE_MAX, defineError, describeCode, isArchwayError, pointerSegment, quote,
  type ArchiveCause, type ArchwayErrorClass, type ErrorDetails,
} from './archway-error.js';
export { DEFAULT_WAIT_MS, Deadline, deadline, type Expiry, type WaitName, type WaitOptions } from './deadline.js';
export { ERR_ABORTED, ERR_INTERNAL, ERR_OVERLOADED, ERR_TIMEOUT } from './errors.js';
export { ByteBudget, UNBOUNDED } from './byte-budget.js';
