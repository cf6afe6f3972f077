// Accessibility: axe-core (from node_modules, injected into the page; no network) on the home
// page, every block's playground and compare mode, in the light and the dark theme. Serious and
// critical violations fail the test; lesser ones are printed.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import { appUrl, useBrowser, withPage } from './support/browser.mjs';
import { openPage, PAGES } from './support/pages.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function axe(page) {
  // Evaluated through the DevTools protocol: a <script> tag would be an inline script, which
  // the page's Content-Security-Policy refuses (and reports, failing the test).
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ').slice(0, 220)}`),
      count: v.nodes.length,
    }));
  });
}

describe('accessibility (axe-core)', () => {
  const browser = useBrowser();

  for (const colorScheme of ['light', 'dark']) {
    for (const p of PAGES) {
      test(`${p.name}, ${colorScheme} theme: no serious or critical violations`, async (t) => {
        await withPage(browser(), {}, async (page) => {
          await page.emulateMedia({ colorScheme });
          await openPage(page, p, appUrl);
          assert.equal(await page.getAttribute('html', 'data-theme'), colorScheme, 'the theme follows the system');
          const violations = await axe(page);
          for (const v of violations) {
            t.diagnostic(`${v.impact} ${v.id} (${v.count}): ${v.help}\n    ${v.nodes.join('\n    ')}`);
          }
          const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
          assert.deepEqual(
            bad.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.join(' | ')}`),
            [],
            'serious or critical axe violations',
          );
        });
      });
    }
  }

  test('the narration is a polite live region and the transport buttons have names', async () => {
    await withPage(browser(), {}, async (page) => {
      await openPage(page, PAGES.find((p) => p.name === 'lb'), appUrl);
      assert.equal(await page.getAttribute('[data-testid=narration]', 'aria-live'), 'polite');
      for (const id of ['play', 'step-back', 'step-forward', 'shortcuts-button']) {
        const el = page.locator(`[data-testid=${id}]`).first();
        assert.equal(await el.evaluate((e) => e.tagName), 'BUTTON', `${id} is a real button`);
        assert.ok((await el.getAttribute('aria-label'))?.length > 2, `${id} has a name`);
      }
      // The shortcuts dialog, open, passes too.
      await page.locator('h1').first().click();
      await page.keyboard.press('?');
      await page.locator('[data-testid=shortcuts-dialog]').waitFor({ state: 'visible' });
      const bad = (await axe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.join(' | ')}`), [], 'with the shortcuts dialog open');
    });
  });
});
