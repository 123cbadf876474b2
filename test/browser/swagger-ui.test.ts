/**
 * Swagger UI in a real browser: headless Chromium (Debian's, at /usr/bin/chromium; CI installs it)
 * opens /docs, expands `POST /sessions`, executes it with a body and sees the 201 in the page; the
 * API then confirms that the session exists. The page must work offline: every request it makes
 * has to go to the gateway itself (Swagger UI's assets are served by @fastify/swagger-ui).
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway-harness.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
/**
 * Budgets. Swagger UI's 1.4 MB bundle takes seconds to parse and render on a busy two-core machine
 * (measured at load average 7-10: page 3-5 s, the operation's block 2-4 s, expanding it 1.5-3.5 s,
 * 10-24 s for the whole test), so each step gets 10 s and the test at most 28 s; start-up (gateway
 * + browser, 1.5-4.5 s measured) is bounded at 12 s, clean-up at 8 s.
 */
const STEP_MS = 10_000;
const TEST_MS = 28_000;
const SESSION = 'from-browser';

describe('Swagger UI at /docs (headless Chromium)', () => {
  let gw: TestGateway | undefined;
  let context: BrowserContext | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    // Without the browser the test itself fails (below), with the reason: it is never skipped.
    if (!existsSync(CHROMIUM)) return;
    gw = await startGateway();
    // Playwright gives every launch a fresh, temporary profile (user data dir) and removes it on close.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: STEP_MS });
    context = await browser.newContext({ viewport: { width: 1280, height: 1800 } });
    context.setDefaultTimeout(STEP_MS);
    context.setDefaultNavigationTimeout(STEP_MS);
  }, 12_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await gw?.close();
  }, 8_000);

  it('executes POST /sessions from the page and the session exists', async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} not found: the Swagger UI browser test needs Debian's Chromium ` +
          '(apt-get update && apt-get install -y chromium; .ci/run installs it). playwright-core cannot download a browser here.',
      );
    }
    const { base } = gw!;
    const page: Page = await context!.newPage();

    // Offline: anything not addressed to the gateway is refused (and recorded).
    const foreign: string[] = [];
    await page.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith(`${base}/`) || url === base) return route.continue();
      foreign.push(url);
      return route.abort('internetdisconnected');
    });
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    const failed: string[] = [];
    page.on('requestfailed', (req) => failed.push(`${req.method()} ${req.url()}: ${req.failure()?.errorText}`));
    // The operation block of POST /sessions (tag "sessions"); /sessions/{name}/… are other blocks.
    const op = page
      .locator('.opblock.opblock-post')
      .filter({ has: page.locator('.opblock-summary-path[data-path="/sessions"]') });

    // For debugging a failure (a timeout included): what the page looked like around the operation
    // (the viewport only: a full-page shot of Swagger UI is 8,000 px tall and slow), and what went wrong.
    onTestFailed(async () => {
      const shot = join(tmpdir(), `archway-swagger-ui-failure-${Date.now()}.png`);
      await op.scrollIntoViewIfNeeded({ timeout: 1_000 }).catch(() => undefined);
      const taken = await page.screenshot({ path: shot, timeout: 4_000 }).then(() => true, () => false);
      const notes = [taken ? `screenshot: ${shot}` : 'no screenshot'];
      if (foreign.length > 0) notes.push(`requests beyond the gateway: ${foreign.join(', ')}`);
      if (failed.length > 0) notes.push(`failed requests: ${failed.join('; ')}`);
      if (pageErrors.length > 0) notes.push(`page errors: ${pageErrors.join('; ')}`);
      console.error(`swagger-ui.test: ${notes.join('\n')}`);
    }, 6_000);

    const docs = await page.goto(`${base}/docs`, { waitUntil: 'load' });
    expect(docs?.status()).toBe(200);

    await op.waitFor({ state: 'visible' });
    expect(await op.count()).toBe(1);
    expect(await op.getAttribute('id')).toBe('operations-sessions-post_sessions');

    await op.locator('.opblock-summary').first().click();
    await op.locator('.opblock-body').waitFor({ state: 'visible' });

    // tryItOutEnabled: true (build-gateway.ts) opens the editor at once, the button then reads
    // "Cancel"; otherwise it reads "Try it out" and must be clicked.
    const tryOut = op.locator('button.try-out__btn');
    await tryOut.waitFor({ state: 'visible' });
    const label = (await tryOut.innerText()).trim();
    if (/try it out/i.test(label)) await tryOut.click();
    else expect(label).toMatch(/cancel/i);
    await expect.poll(async () => (await tryOut.innerText()).trim(), { timeout: STEP_MS }).toMatch(/cancel/i);

    const body = op.locator('textarea.body-param__text');
    await body.waitFor({ state: 'visible' });
    await body.fill(JSON.stringify({ kind: 'stream', name: SESSION }));

    const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url() === `${base}/sessions`);
    const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.url() === `${base}/sessions`);
    void answered.catch(() => undefined); // awaited below; no unhandled rejection if `sent` fails first
    await op.locator('button.execute').click();
    const request = await sent;
    expect(JSON.parse(request.postData() ?? 'null')).toEqual({ kind: 'stream', name: SESSION });
    expect((await answered).status()).toBe(201);

    // What the page shows: the live response table (not the documented responses below it).
    const live = op.locator('.live-responses-table');
    const status = live.locator('tbody tr.response .response-col_status').first();
    await status.waitFor({ state: 'visible' });
    expect((await status.innerText()).trim()).toBe('201');
    const shownBody = live.locator('tbody tr.response .response-col_description .highlight-code pre').first();
    await shownBody.waitFor({ state: 'visible' });
    const shown = JSON.parse((await shownBody.innerText()).trim()) as { name?: string; kind?: string };
    expect(shown).toMatchObject({ name: SESSION, kind: 'stream' });

    expect(foreign, 'the page reached beyond the gateway').toEqual([]);
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);

    // And through the API: the session the browser created exists.
    const res = await gw!.call('GET', `/sessions/${SESSION}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: SESSION, kind: 'stream' });
  }, TEST_MS);
});
