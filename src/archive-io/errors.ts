/** The errors of archives over a socket (codes in core/codes.ts). */
import { defineError } from '../core/index.js';

export const ERR_ARCHIVE_REQUIRES_STREAM = defineError('ARCHIVE_REQUIRES_STREAM', () =>
  'CArchive does not work with datagrams: archives need a reliable, ordered byte stream (a stream socket)');
