// Keyboard: every shortcut pressed for real (Space, ←/→, Home/End, [ and ], ? and Esc), none
// firing while typing in a field, and every control reachable with Tab and visibly focused.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openPlayground, textOf, useBrowser, waitForText, withPage } from './support/browser.mjs';

const speed = (page) => page.locator('[data-testid=speed]').inputValue();

describe('keyboard', () => {
  const browser = useBrowser();

  test('each shortcut moves the cursor, the speed or playback', async () => {
    await withPage(browser(), {}, async (page) => {
      await openPlayground(page, '#/lb');
      const total = Number((await textOf(page, '[data-testid=step-index]')).match(/of (\d+)/)[1]);
      assert.ok(total > 3, `the default run has steps: ${total}`);
      await page.locator('h1').first().click(); // focus on the page, not on a control

      await page.keyboard.press('End');
      await waitForText(page, '[data-testid=step-index]', { equals: `step ${total} of ${total}` });
      await page.keyboard.press('ArrowLeft');
      await waitForText(page, '[data-testid=step-index]', { equals: `step ${total - 1} of ${total}` });
      await page.keyboard.press('Home');
      await waitForText(page, '[data-testid=step-index]', { equals: `step 1 of ${total}` });
      await page.keyboard.press('ArrowRight');
      await waitForText(page, '[data-testid=step-index]', { equals: `step 2 of ${total}` });

      assert.equal(await speed(page), '1');
      await page.keyboard.press(']');
      await page.waitForFunction(() => document.querySelector('[data-testid=speed]').value === '2');
      await page.keyboard.press('[');
      await page.keyboard.press('[');
      await page.waitForFunction(() => document.querySelector('[data-testid=speed]').value === '0.5');
      // The link follows (the address is rewritten a moment later, not on every key).
      await page.waitForFunction(() => /[?&]speed=0\.5(&|$)/.test(location.hash));

      await page.keyboard.press(' ');
      await page.waitForSelector('[data-testid=play][aria-label=Pause]');
      await page.keyboard.press(' ');
      await page.waitForSelector('[data-testid=play][aria-label=Play]');
    });
  });

  test('shortcuts wait while a person types in a field', async () => {
    await withPage(browser(), {}, async (page) => {
      await openPlayground(page, '#/lb');
      const before = await textOf(page, '[data-testid=step-index]');
      const field = page.locator('[data-testid=seed]');
      await field.click();
      for (const key of ['End', 'ArrowRight', ']', ' ', '?']) await page.keyboard.press(key);
      assert.equal(await textOf(page, '[data-testid=step-index]'), before, 'the cursor did not move');
      assert.equal(await speed(page), '1', 'the speed did not change');
      assert.equal(await page.locator('[data-testid=play]').getAttribute('aria-label'), 'Play');
      assert.equal(await page.locator('[data-testid=shortcuts-dialog]').getAttribute('open'), null);
      // The speed menu keeps its own arrow keys too.
      await page.locator('[data-testid=speed]').focus();
      await page.keyboard.press('Home');
      assert.equal(await textOf(page, '[data-testid=step-index]'), before);
    });
  });

  test('? opens the shortcuts dialog; Esc closes it and focus returns', async () => {
    await withPage(browser(), {}, async (page) => {
      await openPlayground(page, '#/lb');
      await page.locator('[data-testid=step-forward]').focus();
      await page.keyboard.press('?');
      const dialog = page.locator('[data-testid=shortcuts-dialog]');
      await dialog.waitFor({ state: 'visible' });
      assert.equal(await dialog.getAttribute('aria-labelledby'), 'shortcuts-title');
      const text = await dialog.textContent();
      for (const want of ['Space', 'Home', 'End', '[', ']', 'Play or pause']) assert.ok(text.includes(want), `lists ${want}`);
      assert.ok(await page.evaluate(() => document.querySelector('dialog[open]').contains(document.activeElement)), 'focus is in the dialog');
      // Keys do not reach the player behind a modal dialog.
      const before = await textOf(page, '[data-testid=step-index]');
      await page.keyboard.press('End');
      assert.equal(await textOf(page, '[data-testid=step-index]'), before);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'step-forward', 'focus went back');
      // The button opens it too, and its close button closes it.
      await page.click('[data-testid=shortcuts-button]');
      await dialog.waitFor({ state: 'visible' });
      await page.click('[data-testid=shortcuts-close]');
      await dialog.waitFor({ state: 'hidden' });
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'shortcuts-button');
    });
  });

  test('Tab reaches every control, each visibly focused', async (t) => {
    await withPage(browser(), {}, async (page) => {
      await openPlayground(page, '#/lb');
      const controls = await page.$$eval('button, a[href], select, input, textarea, summary', (els) => {
        els.forEach((el, i) => (el.dataset.tabProbe = String(i)));
        return els
          .filter((el) => !el.disabled && el.checkVisibility({ checkVisibilityCSS: true }) && !el.closest('dialog'))
          .map((el) => el.dataset.tabProbe);
      });
      const reached = new Map();
      for (let i = 0; i < 400; i += 1) {
        await page.keyboard.press('Tab');
        const seen = await page.evaluate(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return null;
          const cs = getComputedStyle(el);
          const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 1) || cs.boxShadow !== 'none';
          return { probe: el.dataset.tabProbe ?? null, ring, what: `${el.tagName} ${el.dataset.testid ?? el.textContent.trim().slice(0, 30)}` };
        });
        if (seen?.probe) {
          if (reached.has(seen.probe)) break; // around once
          reached.set(seen.probe, seen);
        }
      }
      const missing = controls.filter((p) => !reached.has(p));
      const labels = await page.$$eval('[data-tab-probe]', (els) => Object.fromEntries(els.map((e) => [e.dataset.tabProbe, `${e.tagName} ${e.dataset.testid ?? e.textContent.trim().slice(0, 30)}`])));
      assert.deepEqual(missing.map((p) => labels[p]), [], 'controls Tab never reached');
      const unringed = [...reached.values()].filter((s) => !s.ring).map((s) => s.what);
      assert.deepEqual(unringed, [], 'focused controls without a visible focus style');
      t.diagnostic(`${reached.size} controls reached with Tab, all with a focus ring`);
    });
  });
});
