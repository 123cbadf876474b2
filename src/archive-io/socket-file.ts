/**
 * `CSocketFile` (format §7): a file over a connected stream socket, for archives. Writes go to the
 * socket; its bytes go to the one load archive that reads it; the positioning members throw
 * NOT_SUPPORTED — the seed's contract ("CSocketFile does not support Seek"; real MFC silently
 * ignores Seek and throws for the rest).
 */
import type { ArchwayError } from '../core/index.js';
import { ERR_NOT_SUPPORTED, type ByteSink, type DatagramSocket, type StreamSocket } from '../sockets/index.js';
import { ERR_ARCHIVE_REQUIRES_STREAM } from './errors.js';

export class SocketFile {
  readonly socket: StreamSocket;

  /** Over a datagram socket this throws ARCHIVE_REQUIRES_STREAM (MFC asserts SOCK_STREAM). */
  constructor(socket: StreamSocket | DatagramSocket) {
    if (socket.kind !== 'stream') throw new ERR_ARCHIVE_REQUIRES_STREAM();
    this.socket = socket;
  }

  /** Makes `sink` the reader of the socket's bytes (a load archive: one per file). */
  readInto(sink: ByteSink): void {
    this.socket.consume(sink);
  }

  /** `Write`: `done` runs once the bytes are handed to the kernel (or with why they were not). */
  write(data: Uint8Array, done: (err?: ArchwayError) => void): void {
    this.socket.write(data, done);
  }

  /** A no-op, as in MFC: bytes go to the socket as they are written. */
  flush(): void {}

  seek(): never {
    throw new ERR_NOT_SUPPORTED('Seek');
  }
  seekToBegin(): never {
    throw new ERR_NOT_SUPPORTED('SeekToBegin');
  }
  seekToEnd(): never {
    throw new ERR_NOT_SUPPORTED('SeekToEnd');
  }
  getPosition(): never {
    throw new ERR_NOT_SUPPORTED('GetPosition');
  }
  getLength(): never {
    throw new ERR_NOT_SUPPORTED('GetLength');
  }
  setLength(): never {
    throw new ERR_NOT_SUPPORTED('SetLength');
  }
  lockRange(): never {
    throw new ERR_NOT_SUPPORTED('LockRange');
  }
  unlockRange(): never {
    throw new ERR_NOT_SUPPORTED('UnlockRange');
  }
  duplicate(): never {
    throw new ERR_NOT_SUPPORTED('Duplicate');
  }
}
