/**
 * Debian's Chromium for the browser tests, driven by playwright-core (which cannot download a
 * browser here). Missing, the tests fail naming the install command: they are never skipped.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** The browser, or undefined when it is not installed (`needBrowser` then says what to do). */
export async function launchChromium(timeoutMs: number): Promise<Browser | undefined> {
  return existsSync(CHROMIUM) ? chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true, timeout: timeoutMs }) : undefined;
}

/** The launched browser; throws the reason and the fix when there is none. */
export function needBrowser(browser: Browser | undefined): Browser {
  if (browser === undefined) {
    throw new Error(`${CHROMIUM} not found: the browser tests need Debian's Chromium (sudo bash scripts/system-packages.sh, or apt-get update && apt-get install -y chromium; .ci/run installs it)`);
  }
  return browser;
}
