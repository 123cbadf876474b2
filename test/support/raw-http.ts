/**
 * One request written as raw HTTP/1.1 text, for what an HTTP client will not send (an `Upgrade`
 * header without `Connection: upgrade`, a POST that offers h2c): the answer's text, up to where
 * `done` says it is whole (by default the close of the connection).
 */
import net from 'node:net';
import { within } from './until.js';

export async function rawExchange(base: string, request: string, done: (text: string) => boolean = () => false, ms = 5000): Promise<string> {
  const sock = net.connect(Number(new URL(base).port), '127.0.0.1');
  sock.write(request);
  let text = '';
  const whole = new Promise<void>((resolve) => {
    sock.on('data', (d: Buffer) => {
      text += d.toString();
      if (done(text)) resolve();
    });
    sock.on('close', () => resolve());
    sock.on('error', () => resolve());
  });
  try {
    await within(whole, ms, `the answer to ${request.split('\r\n')[0]}`);
  } finally {
    sock.destroy();
  }
  return text;
}

/** The status code of an answer's text. */
export const statusOf = (text: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
