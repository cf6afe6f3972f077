// The DNS page: the cold lookup's hops root → TLD → authoritative, the dig card and its waterfall,
// the zone editor (errors at their line, applying edited zones, the permalink), negative caching.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ARTIFACTS, appUrl, textOf, useBrowser, waitForText, withPage } from './support/browser.mjs';

const ROOT = 'a.root-servers.net.';
const TLD = 'a.gtld-servers.net.';
const AUTH = 'ns1.example.com.';

async function openDns(page, route = '#/dns') {
  await page.goto(appUrl(route));
  await page.waitForSelector('[data-testid=playground][data-scenario=dns]');
  await page.waitForSelector('[data-testid=narration]');
  await page.waitForSelector('[data-testid=dig-card]');
}

/** Clicks "step forward" until it is disabled: the cursor at the run's last step. */
async function stepToEnd(page) {
  for (let i = 0; i < 200; i += 1) {
    if (await page.isDisabled('[data-testid=step-forward]')) return;
    const before = await textOf(page, '[data-testid=step-index]');
    await page.click('[data-testid=step-forward]');
    await waitForText(page, '[data-testid=step-index]', { differsFrom: before });
  }
  throw new Error('still not at the last step after 200 steps');
}

/**
 * In the page: the query packets (`A? www.example.com`) in flight now and where they are. `on`:
 * the servers whose link to the resolver the packet lies on and whose row in the dig card's
 * waterfall is the query in flight (the servers sit in one row, so position alone cannot tell a
 * packet to the TLD from one to the root); `anyServer`: whether it lies on some resolver ↔ server
 * link at all; `stub`: whether it lies on a link of the host (browser ↔ OS ↔ resolver), where the
 * same question travels first.
 */
function queryPacketsNow() {
  const centre = (el) => {
    const m = /translate\(([-\d.e]+)[ ,]+([-\d.e]+)\)/.exec(el.getAttribute('transform') ?? '');
    return m ? [Number(m[1]), Number(m[2])] : null;
  };
  const nodes = {};
  for (const n of document.querySelectorAll('svg[data-testid=topology] g[data-testid=node]')) {
    nodes[n.dataset.node] = centre(n);
  }
  const servers = [...document.querySelectorAll('[data-testid=wf-query]')].map((r) => r.dataset.server);
  const flying = [...document.querySelectorAll('[data-testid=wf-query].is-flying')].map((r) => r.dataset.server);
  // On the segment between two centres: projected inside it, and off it by no more than the
  // lane a direction keeps to (packets keep to the right of their link) plus half a pill.
  const onLink = ([x, y], a, b) => {
    const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
    const len2 = dx * dx + dy * dy;
    const s = ((x - a[0]) * dx + (y - a[1]) * dy) / len2;
    const off = Math.abs((x - a[0]) * dy - (y - a[1]) * dx) / Math.sqrt(len2);
    return s >= 0 && s <= 1 && off <= 60;
  };
  const out = [];
  // The packet canvas lists what it drew: `hop msg x y label` a line, in SVG units.
  const drawn = document.querySelector('canvas[data-testid=packets]')?.dataset.packets ?? '';
  for (const line of drawn.split('\n').filter(Boolean)) {
    const [, msg, x, y, ...label] = line.split(' ');
    const title = `${label.join(' ')} #${msg}`;
    if (!title.startsWith('A? www.example.com')) continue;
    const at = [Number(x), Number(y)];
    const r = nodes.resolver;
    out.push({
      title,
      at,
      flying,
      on: flying.filter((s) => nodes[s] && onLink(at, r, nodes[s])),
      anyServer: servers.some((s) => nodes[s] && onLink(at, r, nodes[s])),
      stub: onLink(at, nodes['browser-1'], nodes['os-1']) || onLink(at, nodes['os-1'], r),
    });
  }
  return out;
}

describe('DNS page', () => {
  const browser = useBrowser();

  test('stepping through the cold lookup shows the query hop to root, TLD and authoritative in turn', async (t) => {
    await withPage(browser(), {}, async (page) => {
      await openDns(page);
      const asked = [];
      for (let i = 0; i < 40 && !(await page.isDisabled('[data-testid=step-forward]')); i += 1) {
        const before = await textOf(page, '[data-testid=step-index]');
        await page.click('[data-testid=step-forward]');
        await waitForText(page, '[data-testid=step-index]', { differsFrom: before });
        const narration = await textOf(page, '[data-testid=narration]');
        const m = /The resolver asks (\S+) \(/.exec(narration);
        if (!m) continue;
        // The query leaves the resolver at this step: its packet is there, labelled like dig.
        const titles = await page.$eval('canvas[data-testid=packets]', (el) =>
          (el.dataset.packets ?? '').split('\n').filter(Boolean).map((line) => {
            const [, msg, , , ...label] = line.split(' ');
            return `${label.join(' ')} #${msg}`;
          }),
        );
        assert.ok(titles.includes('A? www.example.com #1'), `a query packet at "${narration}"; packets: ${titles}`);
        asked.push(`${m[1]}.`);
      }
      assert.deepEqual(asked, [ROOT, TLD, AUTH]);
      t.diagnostic(`asked in turn: ${asked.join(' → ')}`);
      await waitForText(page, '[data-testid=dig-output]', { matches: 'www\\.example\\.com\\.\\s+300\\s+IN\\s+A\\s+192\\.0\\.2\\.80' });
      await waitForText(page, '[data-testid=dig-served]', { includes: 'authoritative servers' });
      assert.equal(await page.getAttribute('[data-testid=dig-card]', 'data-status'), 'NOERROR');
      assert.deepEqual(
        await page.$$eval('[data-testid=wf-query]', (rows) => rows.map((r) => `${r.dataset.tier} ${r.dataset.server}`)),
        [`root ${ROOT}`, `tld ${TLD}`, `authoritative ${AUTH}`],
      );
      await waitForText(page, '[data-testid=dig-start]', { includes: '. (root hints)' });
    });
  });

  test('playing animates each query packet between the resolver and the server it asks', async (t) => {
    await withPage(browser(), {}, async (page) => {
      await openDns(page);
      await page.selectOption('[data-testid=speed]', '2');
      // Sample every animation frame from before the first one played until the three links have
      // carried a query (bounded by frames, not by time).
      await page.evaluate((probe) => {
        const now = new Function(`return (${probe})();`);
        const seen = { order: [], frames: 0, done: false, error: null };
        window.dnsSeen = seen;
        const tick = () => {
          seen.frames += 1;
          for (const p of now()) {
            if (p.on.length === 1) {
              if (seen.order.at(-1) !== p.on[0]) seen.order.push(p.on[0]);
            } else if (p.stub || p.flying.length === 0) {
              // Still on the host's links, or leaving the resolver at the very instant it is sent.
            } else {
              seen.error = `a query packet off the link of the query in flight: ${JSON.stringify(p)}`;
            }
          }
          if (seen.error || seen.order.length >= 3 || seen.frames > 3000) seen.done = true;
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }, queryPacketsNow.toString());
      await page.click('[data-testid=play]');
      const seen = await (await page.waitForFunction(() => window.dnsSeen.done && window.dnsSeen)).jsonValue();
      assert.equal(seen.error, null);
      t.diagnostic(`query packets seen on ${seen.order.join(', ')} within ${seen.frames} frames`);
      assert.deepEqual(seen.order, [ROOT, TLD, AUTH]);
      await waitForText(page, '[data-testid=dig-card]', { includes: 'ANSWER SECTION' });
    });
  });

  test('a zone error shows its line; fixed and applied, it changes the answer and travels in the link', async (t) => {
    let href;
    await withPage(browser(), {}, async (page) => {
      await openDns(page);
      await page.click('[data-testid=zone-tab][data-zone="example.com."]');
      const area = page.locator('[data-testid=zone-text]');
      const original = await area.inputValue();
      assert.match(original, /^www 300 IN A {4}192\.0\.2\.80$/m);

      await area.fill(original.replace('192.0.2.80', '192.0.2.800'));
      await waitForText(page, '[data-testid=zone-error]', { includes: 'Line 22, column 17' });
      await waitForText(page, '[data-testid=zone-error]', { includes: '192.0.2.800' });
      assert.equal(await page.getAttribute('[data-testid=zone-error]', 'role'), 'alert');
      await page.waitForSelector('[data-testid=zone-gutter] [data-line="22"].is-error');
      assert.equal(await page.locator('[data-testid=zone-gutter] .is-error').count(), 1);
      await page.waitForSelector('[data-testid=zone-tab][data-zone="example.com."].is-error');
      assert.ok(await page.isDisabled('[data-testid=zone-apply]'), 'zones that do not parse cannot be applied');
      assert.doesNotMatch(await page.evaluate(() => location.hash), /zone/);
      await page.screenshot({ path: join(ARTIFACTS, 'dns-zone-error-1280.png'), fullPage: true });

      await area.fill(original.replace('192.0.2.80', '203.0.113.7'));
      await page.waitForSelector('[data-testid=zone-error]', { state: 'detached' });
      await waitForText(page, '[data-testid=zone-status]', { includes: 'Apply them' });
      await page.click('[data-testid=zone-apply]');
      await waitForText(page, '[data-testid=zone-status]', { includes: 'in use' });
      await stepToEnd(page);
      await waitForText(page, '[data-testid=dig-output]', { matches: 'www\\.example\\.com\\.\\s+300\\s+IN\\s+A\\s+203\\.0\\.113\\.7' });
      // The address is written at most every 250 ms (url_sync.rs): wait for the write that has
      // both the packed zones and the last step, not an earlier one.
      const [, steps] = /of (\d+)/.exec(await textOf(page, '[data-testid=step-index]'));
      const last = Number(steps) - 1;
      href = await (
        await page.waitForFunction(
          (last) =>
            /[?&]zone~=1/.test(location.hash) && new RegExp(`[?&]step=${last}(&|$)`).test(location.hash)
              ? location.href
              : false,
          last,
        )
      ).jsonValue();
      t.diagnostic(`permalink with 16 packed zones: ${href.length} characters`);
      assert.ok(href.length < 8000, `the link stays shareable: ${href.length} characters`);
    });

    // The copied link reproduces the run: the same zones, the same answer.
    await withPage(browser(), {}, async (page) => {
      await openDns(page, href.slice(href.indexOf('#')));
      await waitForText(page, '[data-testid=dig-output]', { matches: 'IN\\s+A\\s+203\\.0\\.113\\.7' });
      await page.click('[data-testid=zone-tab][data-zone="example.com."]');
      assert.match(await page.locator('[data-testid=zone-text]').inputValue(), /^www 300 IN A {4}203\.0\.113\.7$/m);
      await waitForText(page, '[data-testid=zone-status]', { includes: 'in use' });

      await page.click('[data-testid=zone-restore]');
      await waitForText(page, '[data-testid=dig-output]', { matches: 'IN\\s+A\\s+192\\.0\\.2\\.80' });
      await page.waitForFunction(() => !/zone/.test(location.hash));
    });
  });

  test('a new zone, delegated from its parent, answers once applied', async () => {
    await withPage(browser(), {}, async (page) => {
      await openDns(page);
      await page.click('[data-testid=zone-add]');
      await page.waitForSelector('[data-testid=zone-tab][data-zone="shop.example.com."][aria-selected=true]');
      await page.click('[data-testid=zone-tab][data-zone="example.com."]');
      const area = page.locator('[data-testid=zone-text]');
      await area.fill(`${await area.inputValue()}shop      IN NS  ns1.shop\nns1.shop  IN A   192.0.2.99\n`);
      await waitForText(page, '[data-testid=zone-status]', { includes: 'All 17 zones parse. Apply them' });
      await page.click('[data-testid=zone-apply]');
      await waitForText(page, '[data-testid=zone-status]', { includes: 'in use' });
      await page.fill('[data-testid=param-name]', 'www.shop.example.com');
      await waitForText(page, '[data-testid=dig-card] .is-question', { equals: 'A? www.shop.example.com' });
      await stepToEnd(page);
      await waitForText(page, '[data-testid=dig-output]', { matches: 'www\\.shop\\.example\\.com\\.\\s+3600\\s+IN\\s+A\\s+192\\.0\\.2\\.100' });
      assert.deepEqual(
        await page.$$eval('[data-testid=wf-query]', (rows) => rows.map((r) => r.dataset.server)),
        [ROOT, TLD, AUTH, 'ns1.shop.example.com.'],
      );
    });
  });

  test('a root zone without its NS records is refused, and the edit can be discarded', async () => {
    await withPage(browser(), {}, async (page) => {
      await openDns(page);
      const area = page.locator('[data-testid=zone-text]');
      const root = await area.inputValue();
      await area.fill(root.replace(/^@ +518400 +IN NS +[ab]\.root-servers\.net\.$/gm, ''));
      await waitForText(page, '[data-testid=zone-error]', { includes: "expected NS records at the zone's apex" });
      assert.ok(await page.isDisabled('[data-testid=zone-apply]'));
      await page.click('[data-testid=zone-discard]');
      await waitForText(page, '[data-testid=zone-status]', { includes: 'in use' });
    });
  });

  test('the NXDOMAIN preset answers the repeat from the negative cache', async () => {
    await withPage(browser(), {}, async (page) => {
      await openDns(page);
      await page.click('[data-testid=preset-nxdomain]');
      await page.waitForFunction(() => /name=nope\.example\.com/.test(location.hash));
      await stepToEnd(page);
      await page.waitForSelector('[data-testid=dig-card][data-lookup="2"][data-status=NXDOMAIN]');
      await waitForText(page, '[data-testid=dig-served]', { includes: 'resolver cache' });
      const dig = await textOf(page, '[data-testid=dig-output]');
      assert.match(dig, /status: NXDOMAIN/);
      assert.match(dig, /AUTHORITY SECTION:\nexample\.com\.\s+\d+\s+IN\s+SOA\s+ns1\.example\.com\./);
      assert.equal(await page.locator('[data-testid=waterfall]').count(), 0, 'no query left the resolver');
      const negative = await page.$$eval('[data-testid=negative-entry]', (els) => els.map((e) => e.textContent));
      assert.ok(
        negative.some((e) => e.includes('recursive resolver') && e.includes('nope.example.com. NXDOMAIN')),
        `the resolver holds the non-existence: ${JSON.stringify(negative)}`,
      );
      const items = await page.$$eval('[data-testid=lookup-item]', (els) => els.map((e) => e.textContent));
      assert.equal(items.length, 2);
      assert.match(items[0], /NXDOMAIN · authoritative servers/);
      assert.match(items[1], /NXDOMAIN · resolver cache/);
    });
  });

  test('on a phone the dig card and the zone editor fit the screen', async () => {
    await withPage(browser(), { viewport: { width: 375, height: 700 } }, async (page) => {
      await openDns(page, '#/dns?t=70100');
      await page.waitForSelector('[data-testid=wf-query].is-flying');
      for (const sel of ['[data-testid=dig-card]', '[data-testid=zone-editor]']) {
        const box = await page.locator(sel).boundingBox();
        assert.ok(box.x >= 0 && box.x + box.width <= 375 + 0.5, `${sel} within the screen: ${JSON.stringify(box)}`);
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no sideways scrolling of the page (${overflow}px)`);
      await page.locator('[data-testid=dig-card]').screenshot({ path: join(ARTIFACTS, 'dns-dig-375.png') });
      await page.locator('[data-testid=zone-editor]').screenshot({ path: join(ARTIFACTS, 'dns-zones-375.png') });
    });
  });

  // Side by side, the six-column chain would be drawn at 0.6 of its size: compare mode draws A
  // above B, each across the stage and wide, with the narrations side by side below.
  test('in compare mode the chain is drawn full width, A above B', async () => {
    await withPage(browser(), {}, async (page) => {
      await openDns(page, '#/dns?compare=type:AAAA');
      const stage = page.locator('[data-testid=compare-stage]');
      assert.match(await stage.getAttribute('class'), /is-stacked/);
      const box = async (sel) => page.locator(sel).boundingBox();
      const [a, b] = await Promise.all([
        box('[data-side=a] [data-testid=topology]'),
        box('[data-side=b] [data-testid=topology]'),
      ]);
      const whole = await stage.boundingBox();
      assert.ok(b.y >= a.y + a.height - 1, `B below A: ${JSON.stringify({ a, b })}`);
      for (const d of [a, b]) assert.ok(d.width > whole.width * 0.8, `full width: ${d.width} of ${whole.width}`);
      for (const d of [a, b]) assert.ok(d.height < 300, `wide, not turned: ${d.height} px tall`);
      const [na, nb] = await Promise.all([box('[data-side=a] [data-testid=narration]'), box('[data-side=b] [data-testid=narration]')]);
      assert.ok(Math.abs(na.y - nb.y) < 2 && nb.x > na.x, 'the narrations side by side');
    });
  });
});
