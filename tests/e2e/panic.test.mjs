// A panic shows an error panel with a reset button instead of freezing the page.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appUrl, useBrowser, withPage } from './support/browser.mjs';

describe('panic', () => {
  const browser = useBrowser();

  // The only test where console errors are expected: the panic hook's message, and the trap
  // (`unreachable`) that panic = "abort" raises after it.
  const expected = [/panick?/i, /unreachable/i, /RuntimeError/i];

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
      // The release bundle has no panic locations (scripts/env.sh), but the message stays.
      assert.match(await page.textContent('[data-testid=panic-panel] .panic-message'), /^panicked: deliberate panic from #\/debug\/panic/);
      if (watch.allowed.length === 0) await sawError;
      assert.ok(watch.allowed.length > 0, 'the panic was reported on the console');
      t.diagnostic(`expected errors: ${watch.allowed.join(' | ').slice(0, 300)}`);
    });
  });
});
