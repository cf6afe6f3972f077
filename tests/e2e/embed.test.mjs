// Embed mode (issue 7, item 1): the compact view in a 600×400 frame, its URL flags, the Embed
// dialog's snippet, the postMessage API, and the tutorial page that embeds three scenarios and
// drives one of them.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ARTIFACTS, appUrl, BASE_URL, openPlayground, textOf, useBrowser, waitForText, withPage } from './support/browser.mjs';

const EMBED = { width: 600, height: 400 };

/** Opens `route` (with its embed flags) in a fresh document and waits for the embed view. */
async function openEmbed(page, route) {
  await page.goto('about:blank');
  await page.goto(appUrl(route));
  await page.waitForSelector('[data-testid=embed]');
}

/** Every visible element of the page that sticks out of the viewport, as `tag.class (rect)`. */
async function offScreen(page) {
  return page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (r.width === 0 || r.height === 0 || style.visibility === 'hidden') continue;
      // Inside a scrolling panel is fine: only what the page itself cannot show counts.
      if (el.closest('.narration, .embed-charts')) continue;
      if (r.left < -0.5 || r.top < -0.5 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5) {
        out.push(`${el.tagName.toLowerCase()}.${el.className?.baseVal ?? el.className} (${Math.round(r.left)},${Math.round(r.top)} → ${Math.round(r.right)},${Math.round(r.bottom)})`);
      }
    }
    const doc = document.documentElement;
    if (doc.scrollWidth > innerWidth || doc.scrollHeight > innerHeight) {
      out.push(`the page scrolls: ${doc.scrollWidth}×${doc.scrollHeight} in ${innerWidth}×${innerHeight}`);
    }
    return out;
  });
}

/** Records, from before the page's own scripts run, the Hopscope events the tutorial page hears from its driven frame. */
async function listen(page) {
  await page.addInitScript(() => {
    if (window !== window.top) return;
    window.__heard = [];
    addEventListener('message', (e) => {
      const frame = document.getElementById('lb-frame');
      if (frame && e.source === frame.contentWindow && e.data?.type === 'hopscope') window.__heard.push(e.data);
    });
  });
}

/** Posts `message` to the tutorial's driven frame, as any host page would. */
async function post(page, message) {
  await page.evaluate((m) => document.getElementById('lb-frame').contentWindow.postMessage(m, '*'), message);
}

/** How many events were heard so far. */
async function heardCount(page) {
  return page.evaluate(() => window.__heard.length);
}

/** Waits for an event, heard after the first `from`, whose fields include `match`; returns it. */
async function waitForEvent(page, match, from = 0) {
  try {
    const handle = await page.waitForFunction(
      ({ match, from }) =>
        window.__heard.slice(from).find((e) => Object.entries(match).every(([k, v]) => JSON.stringify(e[k]) === JSON.stringify(v))) ?? false,
      { match, from },
    );
    return await handle.jsonValue();
  } catch (err) {
    const heard = await page.evaluate(() => window.__heard).catch(() => []);
    err.message = `waiting for an event like ${JSON.stringify(match)}; heard: ${JSON.stringify(heard.slice(from))}\n${err.message}`;
    throw err;
  }
}

/** Opens the tutorial and waits until its driven frame has said it is ready. */
async function openTutorial(page) {
  await listen(page);
  await page.goto(`${BASE_URL}/examples/tutorial.html`);
  await waitForText(page, '[data-testid=tutorial-status]', { includes: 'The embed is at' });
  return page.frameLocator('[data-testid=tutorial-frame-lb]');
}

describe('embed mode', () => {
  const browser = useBrowser();

  test('a 600×400 embed shows topology, controls and narration, no form or site chrome, nothing off-screen', async (t) => {
    await withPage(browser(), { viewport: EMBED }, async (page) => {
      await openEmbed(page, '#/lb?seed=3&rate=70&embed=1');
      await page.waitForSelector('svg[data-testid=topology] g[data-testid=node]');
      for (const id of ['topology', 'play', 'step-forward', 'narration', 'embed-open']) {
        assert.ok(await page.locator(`[data-testid=${id}]`).first().isVisible(), `${id} is visible`);
      }
      assert.equal(await page.locator('.topbar, .footer, form, [data-testid^=param-], [data-testid=copy-link]').count(), 0, 'no site chrome, no form');
      assert.equal(await page.locator('[data-testid=chart]').count(), 0, 'charts are off by default');
      assert.deepEqual(await offScreen(page), []);

      const open = page.locator('[data-testid=embed-open]');
      assert.equal(await open.getAttribute('target'), '_blank');
      const href = await open.getAttribute('href');
      assert.match(href, /#\/lb\?seed=3&/);
      assert.match(href, /&rate=70&/);
      assert.doesNotMatch(href, /embed=/, 'the full page link has no embed flags');
      // The address keeps the flags, so a reload stays an embed.
      await page.click('[data-testid=step-forward]');
      await page.waitForFunction(() => location.hash.includes('step=1'));
      assert.match(await page.evaluate(() => location.hash), /&embed=1/);

      await page.screenshot({ path: join(ARTIFACTS, 'embed-lb-600x400.png') });
      t.diagnostic('screenshot: artifacts/embed-lb-600x400.png');
    });
  });

  test('every block, and compare mode, fits a 600×400 frame', async () => {
    await withPage(browser(), { viewport: EMBED }, async (page) => {
      for (const id of ['dns', 'ids', 'cache']) {
        await openEmbed(page, `#/${id}?embed=1`);
        await page.waitForSelector(`[data-testid=embed][data-scenario=${id}] [data-testid=narration]`);
        assert.deepEqual(await offScreen(page), [], `${id} fits`);
        await page.screenshot({ path: join(ARTIFACTS, `embed-${id}-600x400.png`) });
      }
      await openEmbed(page, '#/lb?compare=algorithm:least_connections&embed=1');
      await page.waitForSelector('[data-testid=embed] .compare-side.side-b [data-testid=topology]');
      assert.ok(await page.locator('[data-testid=play]').isVisible());
      assert.deepEqual(await offScreen(page), [], 'compare mode fits');
      await page.screenshot({ path: join(ARTIFACTS, 'embed-lb-compare-600x400.png') });
    });
  });

  test("a diagram in the frame's fixed height is laid out to be drawn large", async () => {
    await withPage(browser(), { viewport: EMBED }, async (page) => {
      // DNS's chain of six: turned, the column would be drawn at a quarter of its size.
      await openEmbed(page, '#/dns?embed=1');
      await page.waitForSelector('[data-testid=embed] [data-testid=topology] [data-testid=node]');
      assert.equal(await page.locator('[data-testid=topology].is-turned').count(), 0, 'the chain is laid out wide');
      const widths = await page.$$eval('[data-testid=topology] [data-testid=node] .node-shape', (shapes) =>
        shapes.map((s) => s.getBoundingClientRect().width),
      );
      assert.equal(widths.length, 6);
      assert.ok(Math.min(...widths) >= 60, `every card is at least 60 px wide on screen: ${widths.map(Math.round)}`);
      // Compare mode's two 300 × 160 diagrams: the balancer wide (0.5) rather than turned (0.4).
      await openEmbed(page, '#/lb?compare=algorithm:least_connections&embed=1');
      await page.waitForSelector('[data-testid=embed] .compare-side.side-b [data-testid=topology] [data-testid=node]');
      assert.equal(await page.locator('[data-testid=topology]').count(), 2);
      assert.equal(await page.locator('[data-testid=topology].is-turned').count(), 0, 'both diagrams are laid out wide');
    });
  });

  test('panels choose what shows; a bad flag is named in the banner', async () => {
    await withPage(browser(), { viewport: EMBED }, async (page) => {
      await openEmbed(page, '#/lb?embed=1&panels=topology,controls,narration,charts');
      await page.waitForSelector('[data-testid=embed] [data-testid=chart]');
      await openEmbed(page, '#/lb?embed=1&panels=narration');
      await page.waitForSelector('[data-testid=narration]');
      assert.equal(await page.locator('[data-testid=topology], [data-testid=play]').count(), 0);

      await openEmbed(page, '#/lb?embed=1&panels=topology,map&autoplay=yes');
      const banner = await waitForText(page, '[data-testid=url-error]', { includes: 'panels=topology,map' });
      assert.match(banner, /one or more of topology, controls, narration, charts/);
      assert.match(banner, /autoplay=yes: expected 1 \(on\) or 0 \(off\)/);
      assert.ok(await page.locator('[data-testid=topology]').isVisible(), 'the default panels are shown instead');
    });
  });

  test('autoplay plays at once', async () => {
    await withPage(browser(), { viewport: EMBED }, async (page) => {
      await openEmbed(page, '#/lb?embed=1&autoplay=1');
      await page.waitForSelector('[data-testid=play][aria-label=Pause]');
      const clock = await textOf(page, '[data-testid=clock]');
      await waitForText(page, '[data-testid=clock]', { differsFrom: clock });
      await openEmbed(page, '#/lb?embed=1');
      await page.waitForSelector('[data-testid=play][aria-label=Play]');
    });
  });

  test("the full page's keys work in an embed, and ? shows them", async () => {
    await withPage(browser(), { viewport: EMBED }, async (page) => {
      await openEmbed(page, '#/lb?embed=1');
      await page.waitForSelector('[data-testid=narration]');
      const first = await textOf(page, '[data-testid=narration]');
      await page.keyboard.press('ArrowRight');
      await waitForText(page, '[data-testid=narration]', { differsFrom: first });
      await page.keyboard.press('Home');
      await waitForText(page, '[data-testid=narration]', { equals: first });
      await page.keyboard.press('?');
      await page.waitForSelector('dialog[open]');
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => !document.querySelector('dialog[open]'));
      assert.deepEqual(await offScreen(page), [], 'the shortcuts button fits the bar');
    });
  });
});

describe('embed dialog', () => {
  const browser = useBrowser();

  test('writes a snippet whose URL opens the same scenario at the chosen step with the chosen flags', async (t) => {
    let src;
    let narration;
    let steps;
    await withPage(browser(), {}, async (page) => {
      await openPlayground(page, '#/lb?seed=7&algorithm=least_connections&rate=70');
      for (let i = 0; i < 2; i += 1) {
        const before = await textOf(page, '[data-testid=narration]');
        await page.click('[data-testid=step-forward]');
        await waitForText(page, '[data-testid=narration]', { differsFrom: before });
      }
      narration = await textOf(page, '[data-testid=narration] .narration-text');
      steps = (await textOf(page, '[data-testid=step-index]')).match(/of (\d+)/)[1];

      await page.click('[data-testid=embed-button]');
      const dialog = page.locator('[data-testid=embed-dialog]');
      await dialog.waitFor({ state: 'visible' });
      assert.equal(await dialog.evaluate((d) => d.open && d.matches(':modal')), true, 'a modal dialog');
      assert.equal(await page.inputValue('[data-testid=embed-start]'), '3', 'starts at the current step');

      await page.fill('[data-testid=embed-width]', '12');
      await waitForText(page, '#embed-width-error', { includes: 'whole pixels from 240 to 2400' });
      await page.fill('[data-testid=embed-width]', '640');
      await page.check('[data-testid=embed-loop]');
      await page.check('[data-testid=embed-panel-charts]');
      await page.selectOption('[data-testid=embed-theme]', 'dark');
      await page.selectOption('[data-testid=embed-speed]', '2');

      const snippet = await page.inputValue('[data-testid=embed-snippet]');
      t.diagnostic(`snippet: ${snippet}`);
      const frame = await page.evaluate((html) => {
        const f = new DOMParser().parseFromString(html, 'text/html').querySelector('iframe');
        return { src: f.src, width: f.getAttribute('width'), height: f.getAttribute('height'), title: f.title, loading: f.getAttribute('loading') };
      }, snippet);
      assert.deepEqual([frame.width, frame.height, frame.loading], ['640', '400', 'lazy']);
      assert.match(frame.title, /Hopscope: Load balancer/i);
      src = frame.src;
      for (const part of ['seed=7', 'algorithm=least_connections', 'rate=70', 'step=2', 'speed=2', 'embed=1', 'loop=1', 'theme=dark', 'panels=topology,controls,narration,charts']) {
        assert.ok(src.includes(part), `${part} in ${src}`);
      }

      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
    });

    await withPage(browser(), { viewport: { width: 640, height: 400 } }, async (page) => {
      await page.goto(src);
      await page.waitForSelector('[data-testid=embed] [data-testid=chart]');
      await waitForText(page, '[data-testid=step-index]', { equals: `step 3 of ${steps}` });
      await waitForText(page, '[data-testid=narration] .narration-text', { equals: narration });
      assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
      assert.equal(await page.inputValue('[data-testid=speed]'), '2');
    });
  });
});

describe('postMessage API and the tutorial page', () => {
  const browser = useBrowser();

  test('the tutorial embeds three scenarios and its buttons drive the first', async (t) => {
    await withPage(browser(), {}, async (page) => {
      const frame = await openTutorial(page);
      assert.equal(await page.locator('iframe').count(), 3);
      const ready = await waitForEvent(page, { event: 'ready' });
      assert.equal(ready.scenario, 'lb');
      assert.equal(ready.params.algorithm, 'round_robin');
      assert.equal(ready.step, 0);

      let from = await heardCount(page);
      await page.click('[data-testid=tutorial-step]');
      await waitForEvent(page, { event: 'step', step: 1 }, from);
      await waitForText(page, '[data-testid=event-log] li:first-child', { includes: `step 2 of ${ready.steps}` });
      assert.match(await frame.locator('[data-testid=step-index]').textContent(), /^step 2 of/);

      from = await heardCount(page);
      await page.click('[data-testid=tutorial-goto]');
      await waitForEvent(page, { event: 'step', step: 2 }, from);
      await frame.locator('[data-testid=step-index]', { hasText: /^step 3 of/ }).waitFor();

      from = await heardCount(page);
      await page.click('[data-testid=tutorial-play]');
      await waitForEvent(page, { event: 'step', playing: true }, from);
      await frame.locator('[data-testid=play][aria-label=Pause]').waitFor();
      await page.click('[data-testid=tutorial-pause]');
      await frame.locator('[data-testid=play][aria-label=Play]').waitFor();

      from = await heardCount(page);
      await page.click('[data-testid=tutorial-set]');
      const run = await waitForEvent(page, { event: 'run' }, from);
      assert.equal(run.params.algorithm, 'least_connections');
      await waitForText(page, '[data-testid=event-log] li:first-child', { includes: 'least_connections' });

      from = await heardCount(page);
      await page.click('[data-testid=tutorial-bad-set]');
      const error = await waitForEvent(page, { event: 'error' }, from);
      assert.equal(error.field, 'value');
      assert.match(error.message, /backends=0: expected an integer from 1 to/);
      await waitForText(page, '[data-testid=event-log] li.is-error:first-child', { includes: 'backends=0' });

      // The other two load when scrolled to, each with its own flags.
      const dns = page.frameLocator('[data-testid=tutorial-frame-dns]');
      await page.locator('[data-testid=tutorial-frame-dns]').scrollIntoViewIfNeeded();
      await dns.locator('[data-testid=embed][data-scenario=dns] [data-testid=step-index]', { hasText: /^step 4 of/ }).waitFor();
      const cache = page.frameLocator('[data-testid=tutorial-frame-cache]');
      await page.locator('[data-testid=tutorial-frame-cache]').scrollIntoViewIfNeeded();
      await cache.locator('[data-testid=embed][data-scenario=cache] [data-testid=chart]').first().waitFor();
      await cache.locator('[data-testid=play][aria-label=Pause]').waitFor();

      await page.evaluate(() => scrollTo(0, 0));
      await page.screenshot({ path: join(ARTIFACTS, 'tutorial-1280x800.png') });
      await page.screenshot({ path: join(ARTIFACTS, 'tutorial-full.png'), fullPage: true });
      t.diagnostic('screenshots: artifacts/tutorial-1280x800.png, artifacts/tutorial-full.png');
    });
  });

  test('the tutorial reads on a phone: its embeds shrink to the column, nothing scrolls sideways', async () => {
    await withPage(browser(), { viewport: { width: 375, height: 700 } }, async (page) => {
      const frame = await openTutorial(page);
      await page.locator('#lb-frame').scrollIntoViewIfNeeded();
      assert.ok(await frame.locator('[data-testid=play]').isVisible());
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 375, `the page is ${width} px wide`);
      await page.screenshot({ path: join(ARTIFACTS, 'tutorial-375x700.png') });
    });
  });

  test('messages with bad shapes get an error event naming the field; strangers are ignored', async () => {
    await withPage(browser(), {}, async (page) => {
      await openTutorial(page);
      const cases = [
        [{ type: 'hopscope' }, 'action', /missing: expected one of play, pause/],
        [{ type: 'hopscope', action: 'jump' }, 'action', /unknown action "jump"/],
        [{ type: 'hopscope', action: 'goto' }, 'step', /missing/],
        [{ type: 'hopscope', action: 'goto', step: '2' }, 'step', /expected a step index/],
        [{ type: 'hopscope', action: 'goto', step: 99999 }, 'step', /99999 is out of range: expected a step index from 0 to \d+/],
        [{ type: 'hopscope', action: 'set', key: 'nope', value: 1 }, 'key', /unknown parameter "nope" for lb: expected one of seed, algorithm/],
        [{ type: 'hopscope', action: 'set', key: 'algorithm', value: 'fastest' }, 'value', /algorithm=fastest: expected one of round_robin/],
        [{ type: 'hopscope', action: 'set', key: 'rate', value: [1] }, 'value', /expected a string, number or boolean, got an array/],
        [{ type: 'hopscope', action: 'speed', value: 3 }, 'value', /expected one of 0.25, 0.5, 1, 2, 4, 8, 16/],
      ];
      for (const [i, [message, field, pattern]] of cases.entries()) {
        const from = await heardCount(page);
        await post(page, { ...message, id: i });
        const error = await waitForEvent(page, { event: 'error', id: i }, from);
        assert.equal(error.field, field, JSON.stringify(message));
        assert.match(error.message, pattern, JSON.stringify(message));
      }

      // Not ours: no answer. Messages are handled in order, so once the status request that
      // follows them is answered, any answer to them would have come first.
      const from = await heardCount(page);
      for (const stranger of ['play', { action: 'play' }, { type: 'other', action: 'play' }, 42, null]) {
        await post(page, stranger);
      }
      await post(page, { type: 'hopscope', action: 'status', id: 'last' });
      const status = await waitForEvent(page, { event: 'status', id: 'last' }, from);
      assert.equal(status.scenario, 'lb');
      const heard = await page.evaluate((from) => window.__heard.slice(from), from);
      assert.deepEqual(heard.map((e) => e.event), ['status'], 'only the status request was answered');
      assert.equal(status.playing, false, 'the strangers did not start playing');
    });
  });

  test('with origin= set, only that origin drives the embed and hears its events', async () => {
    await withPage(browser(), {}, async (page) => {
      const frame = await openTutorial(page);
      // Reopens the driven frame as a new document (the query before the hash changes) with `origin=`.
      const reopen = async (origin, n) => {
        await page.evaluate(({ origin, n }) => {
          const f = document.getElementById('lb-frame');
          const [path, hash] = f.src.split('#');
          f.src = `${path.split('?')[0]}?fresh=${n}#${hash.replace(/&origin=[^&]*/, '')}&origin=${encodeURIComponent(origin)}`;
        }, { origin, n });
        await page.waitForFunction((n) => {
          const w = document.getElementById('lb-frame').contentWindow;
          return w.location.search === `?fresh=${n}` && w.document.querySelector('[data-testid=embed] [data-testid=step-index]');
        }, n);
        await frame.locator('[data-testid=step-index]', { hasText: /^step 1 of/ }).waitFor();
      };

      // Our own origin is the one allowed: it drives the embed and hears back.
      let from = await heardCount(page);
      await reopen(new URL(BASE_URL).origin, 1);
      await waitForEvent(page, { event: 'ready' }, from);
      await post(page, { type: 'hopscope', action: 'goto', step: 5 });
      await frame.locator('[data-testid=step-index]', { hasText: /^step 6 of/ }).waitFor();

      // Another origin is allowed: the same message is ignored, and no event comes to us.
      from = await heardCount(page);
      await reopen('https://blog.example.org', 2);
      await post(page, { type: 'hopscope', action: 'goto', step: 5 });
      await frame.locator('[data-testid=step-forward]').click();
      // Had the goto been obeyed (it was posted first), this would read step 7.
      await frame.locator('[data-testid=step-index]', { hasText: /^step 2 of/ }).waitFor();
      const heard = await page.evaluate((from) => window.__heard.slice(from), from);
      assert.deepEqual(heard, [], 'events go to https://blog.example.org only');
    });
  });

  test('loop starts over at the end, after a finished event', async () => {
    await withPage(browser(), {}, async (page) => {
      await openTutorial(page);
      // Near the end of a short run, playing fast, in a loop.
      const ready = await waitForEvent(page, { event: 'ready' });
      const near = Math.max(0, ready.duration_us - Math.ceil(ready.duration_us / 50));
      let from = await heardCount(page);
      // The same scenario (its duration is known), opened again with more flags.
      await page.evaluate((t) => {
        const frame = document.getElementById('lb-frame');
        frame.src = `${frame.src}&t=${t}&speed=16&loop=1&autoplay=1`;
      }, near);
      const again = await waitForEvent(page, { event: 'ready' }, from);
      assert.equal(again.t_us, near);
      const finished = await waitForEvent(page, { event: 'finished' }, from);
      assert.equal(finished.t_us, finished.duration_us);
      from = await heardCount(page);
      const restarted = await waitForEvent(page, { event: 'step', playing: true }, from);
      assert.ok(restarted.t_us < near, `playing again from the start (t = ${restarted.t_us} µs)`);
    });
  });
});
