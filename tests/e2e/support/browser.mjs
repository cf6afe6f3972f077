// Shared harness for the end-to-end tests: one headless Chromium per test file, one fresh
// context per test, and a page that fails its test on any console error or warning, any
// uncaught exception, any Content-Security-Policy violation and any request that leaves
// 127.0.0.1.
//
// BASE_URL names the served release bundle (scripts/test.sh serves dist/ and sets it).

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.BASE_URL ?? '').replace(/\/+$/, '');
if (!BASE_URL) {
  throw new Error(
    'BASE_URL is not set: serve dist/ on 127.0.0.1 and set BASE_URL=http://127.0.0.1:PORT ' +
      '(scripts/test.sh does both)',
  );
}

/** Where screenshots go (git-ignored). */
export const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

/** How long any single wait may take before the test fails (ms). */
export const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS ?? 20_000);

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `#/lb` → `http://127.0.0.1:PORT/#/lb`. */
export function appUrl(route = '#/') {
  return `${BASE_URL}/${route}`;
}

/**
 * Launches one Chromium for the calling test file (in `before`) and closes it (in `after`).
 * Returns a getter, since the browser exists only once the hook has run.
 */
export function useBrowser() {
  let browser;
  before(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
  });
  after(async () => {
    await browser?.close();
  });
  return () => browser;
}

function isLocal(rawUrl) {
  const u = new URL(rawUrl);
  if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'about:') return true;
  return u.hostname === '127.0.0.1';
}

/**
 * Opens a fresh context and page, runs `body(page, watch)`, then fails if the page reported a
 * problem. `allow` lists patterns of console errors/warnings and page errors this test expects;
 * those are collected in `watch.allowed` instead of failing the test.
 *
 * @param {import('playwright-core').Browser} browser
 * @param {{ viewport?: {width:number,height:number}, allow?: RegExp[] }} options
 * @param {(page: import('playwright-core').Page, watch: {allowed: string[], problems: string[]}) => Promise<void>} body
 */
export async function withPage(browser, options, body) {
  const { viewport = { width: 1280, height: 800 }, allow = [] } = options ?? {};
  const context = await browser.newContext({ viewport });
  const watch = { allowed: [], problems: [] };
  const report = (line) => {
    (allow.some((re) => re.test(line)) ? watch.allowed : watch.problems).push(line);
  };

  // Block (and report) anything that is not this machine: the page must work offline.
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (isLocal(url)) {
      await route.continue();
    } else {
      watch.problems.push(`request to a non-local origin: ${url}`);
      await route.abort('blockedbyclient');
    }
  });

  // A Content-Security-Policy violation is a failure: report each one as a console error.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(
        `CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} ` +
          `at ${e.sourceFile || '?'}:${e.lineNumber}:${e.columnNumber} (${e.disposition})`,
      );
    });
  });

  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('console', (msg) => {
    const type = msg.type();
    if (type === 'error' || type === 'warning') {
      const loc = msg.location();
      const where = loc?.url ? ` (${loc.url}:${loc.lineNumber})` : '';
      report(`console.${type}: ${msg.text()}${where}`);
    }
  });
  page.on('pageerror', (err) => report(`pageerror: ${err.message}`));
  page.on('crash', () => watch.problems.push('page crashed'));

  try {
    await body(page, watch);
  } catch (err) {
    if (watch.problems.length > 0) {
      explain(err, `the page also reported:\n  ${watch.problems.join('\n  ')}`, 'after');
    }
    throw err;
  } finally {
    await context.close();
  }
  assert.deepEqual(watch.problems, [], 'the page reported console errors/warnings, page errors or non-local requests');
}

/**
 * Adds `note` to an error's message, before or after the original text. The stack is updated too:
 * node's test reporter prints the stack, which captured the message when the error was made.
 */
export function explain(err, note, where = 'before') {
  const original = err.message;
  err.message = where === 'before' ? `${note}\n${original}` : `${original}\n${note}`;
  if (typeof err.stack === 'string' && err.stack.includes(original)) {
    err.stack = err.stack.replace(original, err.message);
  }
  return err;
}

/** Text content of the first element matching `selector`, trimmed. */
export async function textOf(page, selector) {
  return (await page.locator(selector).first().textContent())?.trim() ?? '';
}

/**
 * Waits until the trimmed text of `selector` meets `want` — one of `{ equals }`,
 * `{ differsFrom }`, `{ includes }`, `{ matches }` (a RegExp source) or `{ nonEmpty: true }` —
 * and returns that text.
 */
export async function waitForText(page, selector, want) {
  try {
    const handle = await page.waitForFunction(
      ({ selector, want }) => {
        const el = document.querySelector(selector);
        if (!el) return false;
        const text = el.textContent.trim();
        const ok =
          ('equals' in want && text === want.equals) ||
          ('differsFrom' in want && text !== want.differsFrom) ||
          ('includes' in want && text.includes(want.includes)) ||
          ('matches' in want && new RegExp(want.matches).test(text)) ||
          (want.nonEmpty === true && text !== '');
        return ok ? text : false;
      },
      { selector, want },
    );
    return await handle.jsonValue();
  } catch (err) {
    const now = await page
      .locator(selector)
      .first()
      .textContent({ timeout: 1000 })
      .catch(() => '(element absent)');
    explain(err, `waiting for the text of ${selector} to meet ${JSON.stringify(want)}; last text: ${JSON.stringify(now?.trim())}`);
    throw err;
  }
}

/** Opens `route` and waits for its block's playground (the route's first segment, e.g. `lb`) to be settled on screen. */
export async function openPlayground(page, route = '#/lb') {
  await page.goto(appUrl(route));
  const scenario = /^#\/([\w-]+)/.exec(route)?.[1] ?? 'lb';
  await page.waitForSelector(`[data-testid=playground][data-scenario=${scenario}]`);
  await page.waitForSelector('[data-testid=narration]');
  // The form, charts and results render a task after the diagram (src/playground/settled.rs).
  await page.waitForSelector('[data-testid=playground][data-settled]');
}
