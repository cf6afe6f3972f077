// Offline: the bundle needs nothing but its own origin. Every page is loaded with every request
// recorded (support/browser.mjs also blocks non-local ones), and the served index.html and style
// sheet are read for references to other hosts.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appUrl, BASE_URL, useBrowser, withPage } from './support/browser.mjs';
import { openPage, PAGES } from './support/pages.mjs';

const ORIGIN = new URL(BASE_URL).origin;

/** Whether a URL a page requested is its own (data: and blob: URLs are made by the page). */
function ownOrigin(raw) {
  const u = new URL(raw);
  return u.protocol === 'data:' || u.protocol === 'blob:' || u.origin === ORIGIN;
}

describe('offline', () => {
  const browser = useBrowser();

  for (const p of PAGES) {
    test(`${p.name} requests nothing outside ${ORIGIN}`, async (t) => {
      await withPage(browser(), {}, async (page) => {
        const requests = [];
        page.on('request', (r) => requests.push(r.url()));
        await openPage(page, p, appUrl);
        // Play a little: nothing fetched lazily either.
        const play = page.locator('[data-testid=play]').first();
        if (await play.count()) {
          await play.click();
          await page.waitForTimeout(300);
          await play.click();
        }
        assert.ok(requests.length >= 3, `the page, its script and its wasm at least: ${requests.join(', ')}`);
        const foreign = requests.filter((u) => !ownOrigin(u));
        assert.deepEqual(foreign, [], `requests outside ${ORIGIN}`);
        t.diagnostic(`${requests.length} requests, all same-origin`);
      });
    });
  }

  test('index.html and the style sheet reference no other host', async (t) => {
    const html = await (await fetch(`${BASE_URL}/index.html`)).text();
    // Attribute values, quoted or not (the release build minifies); data: URIs are inline
    // content (an SVG's xmlns is a name, not a request) and are set aside.
    const attr = /\b(src|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;
    const refs = [...html.matchAll(attr)].map((m) => m[2] ?? m[3] ?? m[4]);
    const cssHrefs = refs.filter((r) => /\.css(\?|$)/.test(r));
    assert.ok(cssHrefs.length >= 1, `index.html links a style sheet: ${refs.join(', ')}`);
    const htmlRest = html.replace(attr, (m, _k, a, b, c) => ((a ?? b ?? c).startsWith('data:') ? '' : m));
    const hosts = (text) => [...text.matchAll(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"'`)>]*/gi)].map((m) => m[0]);
    assert.deepEqual(hosts(htmlRest), [], 'index.html names no other host (scripts, styles, fonts, links)');
    for (const href of cssHrefs) {
      const css = await (await fetch(new URL(href, `${BASE_URL}/`))).text();
      assert.ok(css.length > 1000, `${href} is the style sheet`);
      assert.doesNotMatch(css, /@import\s/, `${href} imports nothing`);
      const urls = [...css.matchAll(/url\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*))\s*\)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
      const fetched = urls.filter((u) => !u.startsWith('data:'));
      assert.deepEqual(fetched.filter((u) => /^(?:[a-z][a-z0-9+.-]*:)?\/\//i.test(u)), [], `${href}: url() to another host`);
      const cssRest = css.replace(/url\(\s*"data:[^"]*"\s*\)|url\(\s*'data:[^']*'\s*\)/g, '');
      assert.deepEqual(hosts(cssRest), [], `${href} names no other host`);
      t.diagnostic(`${href}: ${urls.length} url() values, ${fetched.length} not inline`);
    }
    t.diagnostic(`index.html: ${refs.length} src/href values checked`);
  });
});
