/**
 * Browser reach in a real browser (headless Chromium, Debian's, at /usr/bin/chromium; CI installs
 * it): the playground page served by a second HTTP server on loopback — another origin, as a web
 * app's own server would be — against a gateway with a token and ARCHWAY_CORS_ORIGINS listing that
 * origin. A person's path through the page (connect, send Orders over the WebSocket, see the
 * OrderAcks and events), a CORS fetch of a typed exchange, a binary round trip through the echo
 * service, an EventSource with tickets that resumes after its connection is cut, and a page of an
 * origin not listed that gets nothing.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, needBrowser } from '../support/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceOrder, startDemoService, type DemoService } from '../../src/demo/index.js';
import { startGateway, type SessionList, type TestGateway } from '../support/gateway-harness.js';
import { until } from '../support/until.js';

const STEP_MS = 10_000;
const TOKEN = 'playground-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const root = path.resolve(import.meta.dirname, '..', '..');
const files: Record<string, string> = { 'index.html': 'text/html', 'playground.js': 'text/javascript', 'gateway-client.js': 'text/javascript', 'playground.css': 'text/css' };

/** A page server on its own loopback origin: the playground's files at the paths the gateway serves them. */
async function pageServer(): Promise<{ origin: string; server: Server }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const name = url.pathname === '/playground' ? 'index.html' : url.pathname.replace(/^\/playground\//, '');
    const type = files[name];
    if (type === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' }).end(readFileSync(path.join(root, 'playground', name)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { origin: `http://127.0.0.1:${port}`, server };
}

/**
 * What the playground puts on the page's `window`, as the functions run in the page see it (types
 * only: those functions are sent to the browser as text and may use nothing from this file).
 */
interface PageSocket {
  protocol: string;
  binaryType: string;
  send(data: string | Uint8Array): void;
  close(): void;
  addEventListener(type: 'message', listener: (e: { data: unknown }) => void): void;
}
interface PageClient {
  call(method: string, path: string, body?: unknown): Promise<unknown>;
  openWebSocket(session: string, params: Record<string, string>): Promise<PageSocket>;
  openEvents(
    session: string,
    params: Record<string, string>,
    on: (name: string, data: { value: { id: number } }, id: string) => void,
    ended?: (err?: Error) => void,
    retry?: { retryMs?: number; maxRetryMs?: number; maxFailures?: number },
  ): unknown;
}
interface PageWindow {
  playground?: { ready: boolean; GatewayClient: new (base: string, token: string) => PageClient };
  feed: { id: number; eventId: string }[];
}

let browser: Browser | undefined;
let gw: TestGateway;
let demo: DemoService;
let echo: DemoService;
let app: { origin: string; server: Server };
let evil: { origin: string; server: Server };
/** The gateway's side of every event-stream connection, to cut them as a network would. */
const eventSockets: { url: string; socket: Socket; at: number }[] = [];

beforeAll(async () => {
  // Without the browser the tests themselves fail (below), with the reason: they are never skipped.
  browser = await launchChromium(STEP_MS);
  [app, evil, demo, echo] = await Promise.all([pageServer(), pageServer(), startDemoService({ port: 0, udp: false }), startDemoService({ port: 0, mode: 'echo', udp: false })]);
  gw = await startGateway({ token: TOKEN, corsOrigins: [app.origin], demo: true, demoPort: demo.port });
  gw.app.server.on('request', (req: IncomingMessage) => {
    if (req.url?.includes('/events')) eventSockets.push({ url: req.url, socket: req.socket, at: Date.now() });
  });
}, 30_000);
afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await gw.close();
  await Promise.all([demo.close(), echo.close()]);
  app.server.close();
  evil.server.close();
});

/** A fresh page of `origin` with the playground loaded, pointed at the gateway. */
async function open(origin: string): Promise<{ page: Page; errors: string[]; close(): Promise<void> }> {
  const context = await needBrowser(browser).newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(STEP_MS);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  expect((await page.goto(`${origin}/playground?gateway=${encodeURIComponent(gw.base)}`))?.status()).toBe(200);
  await page.waitForFunction(() => (globalThis as unknown as PageWindow).playground?.ready === true);
  return { page, errors, close: () => context.close() };
}

describe('Swagger UI with a token (headless Chromium)', () => {
  it('/docs loads without the token, offers Authorize (bearer), and then a route answers', async () => {
    const context = await needBrowser(browser).newContext({ viewport: { width: 1280, height: 1400 } });
    context.setDefaultTimeout(STEP_MS);
    const page = await context.newPage();
    try {
      expect((await page.goto(`${gw.base}/docs`, { waitUntil: 'load' }))?.status()).toBe(200);
      await page.locator('.auth-wrapper button.authorize').click();
      await page.locator('.modal-ux input').first().fill(TOKEN);
      await page.locator('.modal-ux button.authorize').click();
      await page.locator('.modal-ux button.btn-done').click();
      const op = page.locator('[id$="-listSessions"].opblock');
      await op.locator('.opblock-summary').first().click();
      await op.locator('.opblock-body').waitFor({ state: 'visible' });
      // "Try it out" is on already (tryItOutEnabled): the button then offers Cancel.
      const tryOut = op.locator('button.try-out__btn');
      if (/try it out/i.test((await tryOut.innerText()).trim())) await tryOut.click();
      const [sent] = await Promise.all([
        page.waitForRequest((r) => r.url().endsWith('/sessions') && r.method() === 'GET'),
        op.locator('button.execute').click(),
      ]);
      expect(sent.headers().authorization).toBe(`Bearer ${TOKEN}`);
      const status = op.locator('.live-responses-table tbody tr.response .response-col_status').first();
      await expect.poll(async () => (await status.innerText()).trim(), { timeout: STEP_MS }).toBe('200');
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe('the playground on another origin (headless Chromium)', () => {
  it('a person connects with the token, sends Orders over the WebSocket and sees each OrderAck and the events live', async () => {
    const { page, errors, close } = await open(app.origin);
    try {
      expect(await page.inputValue('#port')).toBe(String(demo.port)); // from the gateway's settings
      // `?gateway=` points the page elsewhere: the page says where the token goes, beside it.
      const target = page.locator('#token-target');
      expect(await target.innerText()).toContain(`the token goes to ${gw.base}, not this page's origin`);
      expect(await target.getAttribute('class')).toContain('elsewhere');
      await page.fill('#token', TOKEN);
      await page.fill('#session', 'pg-person');
      await page.click('#connect-button');
      await page.waitForSelector('#status:has-text("connected: pg-person")');
      await page.click('#send-button');
      await page.click('#send-button');
      const acks = page.locator('#log li.ws');
      await expect.poll(() => acks.count(), { timeout: STEP_MS }).toBe(2);
      const order = JSON.parse(await page.inputValue('#order')) as { id: number };
      expect(await acks.nth(0).innerText()).toMatch(new RegExp(`OrderAck \\{"id":${order.id - 2},"status":0,`));
      expect(await acks.nth(1).innerText()).toMatch(new RegExp(`"id":${order.id - 1}`));
      // The session's notifications arrive on the event stream beside them.
      await expect.poll(() => page.locator('#log li.event', { hasText: 'receive' }).count(), { timeout: STEP_MS }).toBeGreaterThan(0);
      await page.screenshot({ path: path.join(root, 'test', 'browser', 'artifacts', 'playground.png') }).catch(() => undefined);
      await page.click('#disconnect-button');
      await page.waitForSelector('#log li.info:has-text("WebSocket closed: 1000")');
      expect((await gw.call<SessionList>('GET', '/sessions', undefined, AUTH)).body.sessions.map((s) => s.name)).not.toContain('pg-person');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 45_000);

  it('a CORS fetch of a typed exchange (placeOrder), and many Orders over one WebSocket answered in order', async () => {
    const { page, close } = await open(app.origin);
    try {
      const result = await page.evaluate(async ({ base, token, demoPort, order }) => {
        const { GatewayClient } = (globalThis as unknown as PageWindow).playground!;
        const client = new GatewayClient(base, token);
        await client.call('POST', '/sessions', { kind: 'stream', name: 'pg-rest' });
        await client.call('POST', '/sessions/pg-rest/connect', { host: '127.0.0.1', port: demoPort });
        const typed = await client.call('POST', '/sessions/pg-rest/ops/placeOrder', order);
        const ws = await client.openWebSocket('pg-rest', { send: 'Order', receive: 'OrderAck' });
        const ids: number[] = [];
        const done = new Promise<void>((resolve) => ws.addEventListener('message', (e) => {
          ids.push((JSON.parse(e.data as string) as { value: { id: number } }).value.id);
          if (ids.length === 50) resolve();
        }));
        for (let id = 1; id <= 50; id++) ws.send(JSON.stringify({ ...order, id }));
        await done;
        ws.close();
        await client.call('DELETE', '/sessions/pg-rest');
        return { typed, ids };
      }, { base: gw.base, token: TOKEN, demoPort: demo.port, order: referenceOrder(77) });
      expect(result.typed).toMatchObject({ id: 77, status: 0 });
      expect(result.ids).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    } finally {
      await close();
    }
  }, 30_000);

  it('binary mode: bytes round-trip through the echo service', async () => {
    const { page, close } = await open(app.origin);
    try {
      const same = await page.evaluate(async ({ base, token, echoPort }) => {
        const { GatewayClient } = (globalThis as unknown as PageWindow).playground!;
        const client = new GatewayClient(base, token);
        await client.call('POST', '/sessions', { kind: 'stream', name: 'pg-bin' });
        await client.call('POST', '/sessions/pg-bin/connect', { host: '127.0.0.1', port: echoPort });
        const ws = await client.openWebSocket('pg-bin', { mode: 'binary' });
        const sent = new Uint8Array(200_000).map((_, i) => (i * 7 + 3) & 0xff);
        const got: Uint8Array[] = [];
        let have = 0;
        const done = new Promise<void>((resolve) => ws.addEventListener('message', (e) => {
          const bytes = new Uint8Array(e.data as ArrayBuffer);
          got.push(bytes);
          have += bytes.length;
          if (have >= sent.length) resolve();
        }));
        for (let at = 0; at < sent.length; at += 30_000) ws.send(sent.subarray(at, at + 30_000));
        await done;
        ws.close();
        const all = new Uint8Array(have);
        let at = 0;
        for (const g of got) {
          all.set(g, at);
          at += g.length;
        }
        return { protocol: ws.protocol, same: have === sent.length && all.every((b, i) => b === sent[i]) };
      }, { base: gw.base, token: TOKEN, echoPort: echo.port });
      expect(same).toEqual({ protocol: 'binary', same: true });
    } finally {
      await close();
    }
  }, 30_000);

  it('an EventSource with a ticket resumes after its connection is cut: every OrderAck once, in order', async () => {
    const { page, close } = await open(app.origin);
    try {
      await page.evaluate(async ({ base, token, demoPort }) => {
        const { GatewayClient } = (globalThis as unknown as PageWindow).playground!;
        const client = new GatewayClient(base, token);
        await client.call('POST', '/sessions', { kind: 'stream', name: 'pg-feed' });
        await client.call('POST', '/sessions/pg-feed/connect', { host: '127.0.0.1', port: demoPort });
        const w = globalThis as unknown as PageWindow;
        w.feed = [];
        client.openEvents('pg-feed', { receive: 'OrderAck' }, (name, data, id) => {
          if (name === 'message') w.feed.push({ id: data.value.id, eventId: id });
        });
      }, { base: gw.base, token: TOKEN, demoPort: demo.port });
      const feed = () => page.evaluate(() => (globalThis as unknown as PageWindow).feed);
      await until(() => eventSockets.some((e) => e.url.includes('pg-feed')), 'the event stream is open');
      for (let id = 1; id <= 3; id++) expect((await gw.call('POST', '/sessions/pg-feed/store/Order', referenceOrder(id), AUTH)).status).toBe(200);
      await expect.poll(async () => (await feed()).length, { timeout: STEP_MS }).toBe(3);
      // The network cuts the connection; Orders keep coming meanwhile.
      const before = eventSockets.filter((e) => e.url.includes('pg-feed')).length;
      for (const e of eventSockets) if (e.url.includes('pg-feed')) e.socket.destroy();
      for (let id = 4; id <= 6; id++) expect((await gw.call('POST', '/sessions/pg-feed/store/Order', referenceOrder(id), AUTH)).status).toBe(200);
      await expect.poll(async () => (await feed()).length, { timeout: STEP_MS }).toBe(6);
      const got = await feed();
      expect(got.map((m) => m.id)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(new Set(got.map((m) => m.eventId)).size).toBe(6);
      const reconnects = eventSockets.filter((e) => e.url.includes('pg-feed')).slice(before);
      expect(reconnects.length).toBeGreaterThan(0);
      // With a fresh ticket and the id to resume after: the token never went into a URL.
      expect(reconnects[0]!.url).toMatch(/ticket=[^&]+.*lastEventId=\d+|lastEventId=\d+.*ticket=/);
      for (const e of eventSockets) expect(e.url).not.toContain(TOKEN);
    } finally {
      await close();
    }
  }, 45_000);

  it('an event stream refused at every reconnect backs off, then stops and says so', async () => {
    const { page, close } = await open(app.origin);
    try {
      const before = eventSockets.length;
      const stopped = await page.evaluate(async ({ base, token, demoPort }) => {
        const { GatewayClient } = (globalThis as unknown as PageWindow).playground!;
        const client = new GatewayClient(base, token);
        await client.call('POST', '/sessions', { kind: 'stream', name: 'pg-taken' });
        await client.call('POST', '/sessions/pg-taken/connect', { host: '127.0.0.1', port: demoPort });
        // The session's messages go to this WebSocket: a reading event stream is refused (409).
        await client.openWebSocket('pg-taken', { send: 'Order', receive: 'OrderAck' });
        return new Promise<string>((resolve) => {
          client.openEvents('pg-taken', { receive: 'OrderAck' }, () => undefined, (err?: Error) => resolve(err?.message ?? 'ended'), { retryMs: 100, maxFailures: 4 });
        });
      }, { base: gw.base, token: TOKEN, demoPort: demo.port });
      expect(stopped).toMatch(/failed 4 times in a row/);
      const tries = eventSockets.slice(before).filter((e) => e.url.includes('pg-taken'));
      expect(tries).toHaveLength(4);
      // Each wait twice the one before: 100, 200, 400 ms.
      const gaps = tries.slice(1).map((t, i) => t.at - tries[i]!.at);
      gaps.forEach((gap, i) => expect(gap, JSON.stringify(gaps)).toBeGreaterThanOrEqual(100 * 2 ** i - 20));
    } finally {
      await close();
    }
  }, 30_000);

  it('a page of an origin not listed gets nothing: no fetch, no WebSocket, no EventSource', async () => {
    const { page, close } = await open(evil.origin);
    try {
      const outcome = await page.evaluate(async ({ base, token }) => {
        const fetched = await fetch(`${base}/sessions`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"kind":"stream","name":"pg-evil"}' })
          .then((r) => `status ${r.status}`, (e: Error) => `failed: ${e.name}`);
        const plain = await fetch(`${base}/health`).then((r) => `status ${r.status}`, (e: Error) => `failed: ${e.name}`);
        const ws = await new Promise<string>((resolve) => {
          const s = new WebSocket(`${base.replace('http', 'ws')}/sessions/pg-feed/ws`);
          s.onopen = () => resolve('open');
          s.onclose = (e) => resolve(`closed ${e.code}`);
        });
        const es = await new Promise<string>((resolve) => {
          const s = new EventSource(`${base}/sessions/pg-feed/events`);
          s.onopen = () => resolve('open');
          s.onerror = () => {
            resolve(`error, readyState ${s.readyState}`);
            s.close();
          };
        });
        return { fetched, plain, ws, es };
      }, { base: gw.base, token: TOKEN });
      expect(outcome).toEqual({ fetched: 'failed: TypeError', plain: 'failed: TypeError', ws: 'closed 1006', es: 'error, readyState 2' });
      expect((await gw.call<SessionList>('GET', '/sessions', undefined, AUTH)).body.sessions.map((s) => s.name)).not.toContain('pg-evil');
    } finally {
      await close();
    }
  }, 30_000);
});
