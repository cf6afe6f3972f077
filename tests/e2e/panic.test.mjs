// A panic shows an error panel with a reset button instead of freezing the page.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appUrl, useBrowser, withPage } from './support/browser.mjs';

describe('panic', () => {
  const browser = useBrowser();

  // The only tests where console errors are expected: the release bundle panics with
  // `immediate-abort` (scripts/env.sh), so a panic is the trap `RuntimeError: unreachable`,
  // uncaught, which static/crash.js turns into the panel.
  const expected = [/panick?/i, /unreachable/i, /RuntimeError/i, /crashed/i];

  test('#/debug/panic shows the panic panel with a reset button', async (t) => {
    await withPage(browser(), { allow: expected }, async (page, watch) => {
      const sawError = Promise.race([
        page.waitForEvent('console', { predicate: (m) => m.type() === 'error' }),
        page.waitForEvent('pageerror'),
      ]);
      sawError.catch(() => {});
      await page.goto(appUrl('#/debug/panic'));
      await page.waitForSelector('[data-testid=panic-panel]');
      assert.ok(await page.isVisible('[data-testid=panic-reset]'), 'the panic panel has a visible reset button');
      // The release bundle keeps no panic message: the panel shows the trap.
      assert.match(await page.textContent('[data-testid=panic-panel] .panic-message'), /^RuntimeError: unreachable/);
      if (watch.allowed.length === 0) await sawError;
      assert.ok(watch.allowed.length > 0, 'the crash was reported on the console');
      t.diagnostic(`expected errors: ${watch.allowed.join(' | ').slice(0, 300)}`);
      // Reset: no block was on screen, so home, reloaded.
      await Promise.all([page.waitForEvent('load'), page.click('[data-testid=panic-reset]')]);
      await page.waitForSelector('[data-testid=home]');
      assert.equal(await page.locator('[data-testid=panic-panel]').count(), 0, 'the reloaded page has no panel');
    });
  });

  test('a panic in a block page resets to that block, and one panel only', async () => {
    await withPage(browser(), { allow: expected }, async (page) => {
      await page.goto(appUrl('#/lb?backends=5&seed=9'));
      await page.waitForSelector('[data-testid=narration]');
      // What a panic hook with a message does (builds that keep messages, src/panic_panel.rs),
      // twice: a broken instance may trap again. The message is text, never markup.
      await page.evaluate(() => {
        globalThis.hopscopeCrashed('panicked: <b>bold</b> claim');
        globalThis.hopscopeCrashed('a second crash');
      });
      assert.equal(await page.locator('[data-testid=panic-panel]').count(), 1, 'one panel');
      assert.equal(await page.textContent('[data-testid=panic-panel] .panic-message'), 'panicked: <b>bold</b> claim');
      assert.equal(await page.locator('[data-testid=panic-panel] b').count(), 0, 'no markup from the message');
      await Promise.all([page.waitForEvent('load'), page.click('[data-testid=panic-reset]')]);
      await page.waitForSelector('[data-testid=narration]');
      assert.match(page.url(), /#\/lb(\?|$)/, 'the same block');
      assert.doesNotMatch(page.url(), /backends=5|seed=9/, 'with its defaults');
    });
  });
});
