/**
 * A small browser client of the Archway gateway (SPEC §1 "Browser reach"): REST calls with the
 * bearer token in a header, stream tickets for what cannot send headers (EventSource, WebSocket),
 * a session's WebSocket, and its event stream resumed after a dropped connection. Plain ES module,
 * no build step; the playground uses it, and a page of your own can copy it.
 */

export class GatewayError extends Error {
  constructor(status, problem) {
    super(problem?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code;
    this.problem = problem;
  }
}

export class GatewayClient {
  /** `base`: the gateway's URL (another origin needs ARCHWAY_CORS_ORIGINS); `token`: ARCHWAY_TOKEN or ''. */
  constructor(base, token = '') {
    this.base = base.replace(/\/+$/, '');
    this.token = token;
  }

  /** A REST call: the parsed answer, or a GatewayError with the problem JSON. */
  async call(method, path, body) {
    const headers = {};
    if (this.token !== '') headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    const parsed = text === '' ? undefined : JSON.parse(text);
    if (!res.ok) throw new GatewayError(res.status, parsed);
    return parsed;
  }

  /** `?ticket=…` for a stream of `session` when a token is needed (the token never goes in a URL). */
  async ticketParam(session) {
    if (this.token === '') return {};
    const { ticket } = await this.call('POST', '/tickets', { session });
    return { ticket };
  }

  /** The WebSocket of `session`; `params`: mode, receive, send. Resolves once it is open. */
  async openWebSocket(session, params = {}) {
    const query = new URLSearchParams({ ...params, ...(await this.ticketParam(session)) });
    const url = `${this.base.replace(/^http/, 'ws')}/sessions/${encodeURIComponent(session)}/ws?${query}`;
    const ws = new WebSocket(url, params.mode === 'binary' ? ['binary'] : undefined);
    if (params.mode === 'binary') ws.binaryType = 'arraybuffer';
    await new Promise((resolve, reject) => {
      ws.addEventListener('open', resolve, { once: true });
      ws.addEventListener('close', (e) => reject(new Error(`WebSocket closed at once: ${e.code} ${e.reason}`)), { once: true });
    });
    return ws;
  }

  /**
   * The event stream of `session`, followed across dropped connections: `on(name, data, id)` gets
   * every event once, in order. With a token each connection needs a fresh ticket, so a dropped one
   * is reopened here with `lastEventId` (an EventSource's own retry would present a used ticket),
   * after `retryMs`, doubled after each failure up to `maxRetryMs`; after `maxFailures` failures in
   * a row with no event between them (a refusal: the session's reader is taken, the origin is not
   * allowed…) it gives up. Without a token the EventSource resumes by itself with the Last-Event-ID
   * header. `ended(err)` runs once the stream stops for good: the session is gone (no `err`), a
   * ticket was refused, or the failures. Returns `close()`.
   */
  openEvents(session, params, on, ended = () => {}, { retryMs = 250, maxRetryMs = 10_000, maxFailures = 8 } = {}) {
    const names = ['session', 'accept', 'receive', 'connect', 'close', 'message', 'problem', 'gap'];
    let lastId;
    let source;
    let stopped = false;
    let failures = 0;
    let wait = retryMs;
    const stop = (err) => {
      stopped = true;
      ended(err);
    };
    const open = async () => {
      let ticket;
      try {
        ticket = await this.ticketParam(session);
      } catch (err) {
        return stop(err);
      }
      if (stopped) return;
      const query = new URLSearchParams({ ...params, ...ticket, ...(lastId === undefined ? {} : { lastEventId: String(lastId) }) });
      source = new EventSource(`${this.base}/sessions/${encodeURIComponent(session)}/events?${query}`);
      for (const name of names) {
        source.addEventListener(name, (e) => {
          // An event: the connection works, the next failure starts the count again.
          failures = 0;
          wait = retryMs;
          if (e.lastEventId !== '') lastId = Number(e.lastEventId);
          on(name, JSON.parse(e.data), e.lastEventId);
        });
      }
      source.addEventListener('error', () => {
        if (stopped) return;
        const retrying = source.readyState === EventSource.CONNECTING;
        if (this.token === '' && retrying) return; // it resumes by itself, with Last-Event-ID
        source.close();
        // 204 (the session is gone) or a refusal: the EventSource gave up
        if (this.token === '') return stop();
        if (++failures >= maxFailures) return stop(new Error(`the event stream of '${session}' failed ${failures} times in a row: stopped retrying`));
        setTimeout(() => void open(), wait);
        wait = Math.min(wait * 2, maxRetryMs);
      });
    };
    void open();
    return {
      close() {
        stopped = true;
        source?.close();
      },
      get lastEventId() {
        return lastId;
      },
    };
  }
}
