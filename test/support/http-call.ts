/**
 * One HTTP call to any base URL (a gateway, or a balancer in front of several), its JSON body
 * parsed (the text when it is not JSON) and typed as the caller expects, as gateway-harness.ts's
 * `call` does for one in-process gateway.
 */
import { request, type Dispatcher } from 'undici';
import type { Reply } from './gateway-harness.js';

export async function callAt<T = unknown>(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}, dispatcher?: Dispatcher): Promise<Reply<T>> {
  const res = await request(base + path, {
    method: method as 'GET',
    ...(dispatcher === undefined ? {} : { dispatcher }),
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    // A string or Buffer is sent as it is (a malformed body on purpose); anything else as JSON.
    body: body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
  const text = await res.body.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: the text itself
  }
  return { status: res.statusCode, body: parsed as T, headers: res.headers };
}
