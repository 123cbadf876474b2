/**
 * Swagger UI in a real browser (headless Chromium, Debian's, at /usr/bin/chromium; CI installs it)
 * against `archway serve --demo` — what `npm start` runs — once with the demo service on its
 * default port and once on another (`--demo-port`). A person walks the happy path with the
 * examples exactly as shown: create a session, connect it to the demo service, `placeOrder`, close
 * it; the page shows each answer, the typed OrderAck among them. The page must work offline: every
 * request it makes goes to the gateway itself (Swagger UI's assets are served by @fastify/swagger-ui).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, needBrowser } from '../support/chromium.js';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { freePort } from '../support/ports.js';

/**
 * Budgets. Swagger UI's 1.4 MB bundle takes seconds to parse and render on a busy two-core machine
 * (measured at load average 7-10: page 3-5 s, expanding an operation 1.5-3.5 s), so each step gets
 * 10 s and each walk at most 45 s.
 */
const STEP_MS = 10_000;
const WALK_MS = 45_000;
const root = path.resolve(import.meta.dirname, '..', '..');

/** `archway serve --demo` on free ports (the demo on `demoPort`); resolves once it listens. */
async function serve(demoPort: number | undefined): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  const args = ['bin/archway.js', 'serve', '--demo', '--port', String(port), ...(demoPort === undefined ? [] : ['--demo-port', String(demoPort)])];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('archway gateway listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`archway serve exited with ${code}: ${out}`)));
  });
  return { base: `http://127.0.0.1:${port}`, child };
}

/** Expands the operation, opens "Try it out", executes it as shown; resolves with the status and body the page shows. */
async function execute(page: Page, operationId: string): Promise<{ status: string; body: string; sent: string | null }> {
  const op = page.locator(`[id$="-${operationId}"].opblock`);
  await op.waitFor({ state: 'visible' });
  await op.locator('.opblock-summary').first().click();
  await op.locator('.opblock-body').waitFor({ state: 'visible' });
  const tryOut = op.locator('button.try-out__btn');
  await tryOut.waitFor({ state: 'visible' });
  if (/try it out/i.test((await tryOut.innerText()).trim())) await tryOut.click();
  await expect.poll(async () => (await tryOut.innerText()).trim(), { timeout: STEP_MS }).toMatch(/cancel/i);
  const request = page.waitForRequest((r) => r.url().includes('/sessions') && r.method() !== 'GET');
  await op.locator('button.execute').click();
  const sent = (await request).postData();
  const live = op.locator('.live-responses-table');
  const status = live.locator('tbody tr.response .response-col_status').first();
  await status.waitFor({ state: 'visible' });
  const body = live.locator('tbody tr.response .response-col_description .highlight-code pre').first();
  await body.waitFor({ state: 'visible' });
  return { status: (await status.innerText()).trim(), body: (await body.innerText()).trim(), sent };
}

describe('Swagger UI at /docs (headless Chromium), the examples as shown', () => {
  let browser: Browser | undefined;

  beforeAll(async () => {
    // Without the browser the test itself fails (below), with the reason: it is never skipped.
    browser = await launchChromium(STEP_MS);
  }, 15_000);
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
  });

  for (const [label, demoPort] of [['npm start (demo on 7000)', undefined], ['--demo-port elsewhere', 0]] as const) {
    it(`${label}: create, connect to the demo, placeOrder, close`, async () => {
      // Checked before the gateway starts: a failure here must not leave a server behind.
      const chromium = needBrowser(browser);
      const port = demoPort === undefined ? undefined : await freePort();
      const { base, child } = await serve(port);
      const context = await chromium.newContext({ viewport: { width: 1280, height: 1800 } });
      context.setDefaultTimeout(STEP_MS);
      const page = await context.newPage();
      const foreign: string[] = [];
      const pageErrors: string[] = [];
      page.on('pageerror', (err) => pageErrors.push(err.message));
      await page.route('**/*', async (route) => {
        const url = route.request().url();
        if (url.startsWith(`${base}/`)) return route.continue();
        foreign.push(url);
        return route.abort('internetdisconnected');
      });
      onTestFailed(async () => {
        const shot = join(tmpdir(), `archway-swagger-ui-failure-${Date.now()}.png`);
        const taken = await page.screenshot({ path: shot, timeout: 4_000 }).then(() => true, () => false);
        console.error(`swagger-ui.test: ${taken ? `screenshot: ${shot}` : 'no screenshot'}; foreign: ${foreign.join(', ')}; errors: ${pageErrors.join('; ')}`);
      }, 6_000);
      try {
        expect((await page.goto(`${base}/docs`, { waitUntil: 'load' }))?.status()).toBe(200);
        const created = await execute(page, 'createSession');
        expect(created.status, created.body).toBe('201');
        expect(JSON.parse(created.body)).toMatchObject({ name: 'shop', kind: 'stream' });
        const connected = await execute(page, 'connect');
        expect(connected.status, connected.body).toBe('200');
        expect(JSON.parse(connected.sent ?? '{}')).toEqual({ host: '127.0.0.1', port: port ?? 7000 });
        const placed = await execute(page, 'placeOrder');
        expect(placed.status, placed.body).toBe('200');
        // The typed answer: an OrderAck, its message a plain string.
        const ack = JSON.parse(placed.body) as { id: unknown; status: unknown; message: unknown };
        expect(typeof ack.message).toBe('string');
        expect(ack).toMatchObject({ status: 0 });
        const closed = await execute(page, 'closeSession');
        expect(closed.status, closed.body).toBe('200');
        expect(foreign, 'the page reached beyond the gateway').toEqual([]);
        expect(pageErrors, 'uncaught errors in the page').toEqual([]);
        const shot = join(root, 'test', 'browser', 'artifacts');
        await page.screenshot({ path: join(shot, `swagger-ui-${port === undefined ? 'default' : 'demo-port'}.png`) }).catch(() => undefined);
      } finally {
        await context.close().catch(() => undefined);
        child.kill('SIGTERM');
      }
    }, WALK_MS);
  }
});
