// Headless Debian Chromium driven by playwright-core, for tests that look at report.html the
// way a user does. Never a browser download: the machine's /usr/bin/chromium or nothing.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CLAIM_AUDIT_CHROMIUM ?? '/usr/bin/chromium';

/** CI sets this: a missing browser is then a failure, not a skip. */
export const BROWSER_REQUIRED = process.env.CLAIM_AUDIT_REQUIRE_BROWSER === '1';

export const browserAvailable = () => existsSync(CHROMIUM);

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Root in a container has no sandbox; the rest keeps Chromium off the (closed) network.
    // playwright gives each launch a new, empty profile of its own.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-default-apps',
      '--disable-domain-reliability',
      '--metrics-recording-only',
    ],
  });
}
