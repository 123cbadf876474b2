/**
 * Sends a request for a session held by another instance on to that instance (SPEC §8), with
 * undici through one pooled Agent (kept-alive connections per owner). Nothing is parsed or
 * buffered: the request body streams from the client to the owner and the answer streams back
 * (large payloads, and Server-Sent Events that never end), with the owner's status and headers,
 * less the hop-by-hop ones.
 *
 * The client's deadline carries over as it was given: the URL and body reach the owner unchanged,
 * so its `timeoutMs` bounds the owner's wait exactly as it would have here; this hop waits for the
 * answer's headers at most as long as any request may take (ARCHWAY_MAX_TIMEOUT_MS plus
 * ARCHWAY_REQUEST_TIMEOUT_MS for the upload) and gives up at once when the client goes away, which
 * cancels the owner's wait too (the owner sees its client, this hop, leave).
 *
 * An owner that cannot be reached, or that drops the request before answering, is
 * SESSION_OWNER_DOWN (503): the request is never tried on another instance, which could only hold
 * another session.
 */
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Counter, type Registry } from 'prom-client';
import { Agent, type Dispatcher } from 'undici';
import { deadline } from '../../core/index.js';
import { disconnectSignal } from '../sessions/disconnect-signal.js';
import { ERR_SESSION_OWNER_DOWN } from './cluster-errors.js';
import { answerHeaders, FORWARDED_TO, requestHeaders } from './hop-headers.js';

export interface ForwarderOptions {
  /** Longest wait for an owner's answer to begin (ms). */
  answerWithinMs: number;
  /** Longest wait for a connection to an owner (ms): past it the owner is down. */
  connectWithinMs: number;
  registry: Registry;
}

export interface Target {
  owner: string;
  url: string;
}

type Outcome = 'forwarded' | 'owner_down';

export class OwnerForwarder {
  private readonly agent: Agent;
  private readonly answerWithinMs: number;
  /** Answers streaming now: ended when the gateway closes (an event stream never ends by itself). */
  private readonly streaming = new Set<ServerResponse>();
  private readonly counted: Record<Outcome, { inc(): void }>;

  constructor(options: ForwarderOptions) {
    this.answerWithinMs = options.answerWithinMs;
    this.agent = new Agent({
      connect: { timeout: options.connectWithinMs },
      // Bounded here by the request's own deadline (below), never by undici's defaults (300 s).
      headersTimeout: 0,
      bodyTimeout: 0,
      keepAliveTimeout: 30_000,
    });
    const counter = new Counter({
      name: 'archway_forwarded_requests_total',
      help: 'Requests for sessions held by another instance: sent on to their owner, or refused because it was down',
      labelNames: ['outcome'] as const,
      registers: [options.registry],
    });
    this.counted = { forwarded: counter.labels({ outcome: 'forwarded' }), owner_down: counter.labels({ outcome: 'owner_down' }) };
  }

  /**
   * Sends `req` to `target` and relays the answer; throws (before anything is sent back) when it
   * cannot. The body streams from the client, or is `parsed` (JSON) when a route had to read it first.
   */
  async forward(req: FastifyRequest, reply: FastifyReply, target: Target, session: string, parsed?: unknown): Promise<void> {
    const raw = req.raw;
    const hasBody = raw.headers['content-length'] !== undefined ? raw.headers['content-length'] !== '0' : raw.headers['transfer-encoding'] !== undefined;
    const text = parsed === undefined ? undefined : JSON.stringify(parsed);
    const headers = requestHeaders(raw.headers, target.owner, req.ip);
    if (text !== undefined) {
      delete headers['transfer-encoding'];
      headers['content-length'] = String(Buffer.byteLength(text));
    }
    const wait = deadline({ timeoutMs: this.answerWithinMs, signal: disconnectSignal(reply) }, `the answer of instance '${target.owner}' for session '${session}'`);
    let answer: Dispatcher.ResponseData;
    try {
      answer = await wait.race(
        this.agent.request({
          origin: target.url,
          path: raw.url ?? req.url,
          method: req.method as Dispatcher.HttpMethod,
          headers,
          body: text ?? (hasBody ? raw : null),
          signal: wait.signal,
        }),
      );
    } catch (err) {
      if (wait.reason !== undefined) throw wait.reason;
      this.counted.owner_down.inc();
      req.log.warn({ owner: target.owner, url: target.url, err: (err as Error).message }, 'session owner not answering');
      throw new ERR_SESSION_OWNER_DOWN(session, target.owner).with({ session });
    } finally {
      wait.dispose();
    }
    this.counted.forwarded.inc();
    reply.hijack();
    const res = reply.raw;
    res.writeHead(answer.statusCode, answerHeaders(answer.headers));
    this.streaming.add(res);
    // A client that leaves ends the pipeline, which drops the owner's answer (and its connection);
    // an owner that dies mid-answer ends the client's too.
    void pipeline(answer.body, res)
      .catch(() => res.destroy())
      .finally(() => this.streaming.delete(res));
  }

  /**
   * A GET of `path` on `target` answered here as parsed JSON (the cluster's session list), within
   * `withinMs`; SESSION_OWNER_DOWN when the instance does not answer 200.
   */
  async ask(target: Target, path: string, headers: Record<string, string>, withinMs: number): Promise<unknown> {
    const wait = deadline({ timeoutMs: withinMs }, `the answer of instance '${target.owner}'`);
    try {
      const answer = await wait.race(this.agent.request({ origin: target.url, path, method: 'GET', headers: { ...headers, [FORWARDED_TO]: target.owner }, signal: wait.signal }));
      if (answer.statusCode !== 200) {
        await answer.body.dump();
        throw new Error(`answered ${answer.statusCode}`);
      }
      return await answer.body.json();
    } catch {
      this.counted.owner_down.inc();
      throw new ERR_SESSION_OWNER_DOWN(undefined, target.owner);
    } finally {
      wait.dispose();
    }
  }

  /** Before the gateway's close waits for its connections: answers still streaming end. */
  endStreams(): void {
    for (const res of this.streaming) res.destroy();
  }

  async close(): Promise<void> {
    this.endStreams();
    await this.agent.close();
  }
}
