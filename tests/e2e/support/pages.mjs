// The pages every cross-cutting check (accessibility, small screens, offline) visits: the home
// page, each block's playground and compare mode, with what marks each as rendered.

/** `{ name, route, ready }`: `ready` is a selector present once the page has rendered. */
export const PAGES = [
  { name: 'home', route: '#/', ready: '[data-testid=home] [data-testid=block-card]' },
  { name: 'lb', route: '#/lb', ready: '[data-testid=playground][data-scenario=lb] [data-testid=narration]' },
  { name: 'dns', route: '#/dns', ready: '[data-testid=playground][data-scenario=dns] [data-testid=narration]' },
  { name: 'ids', route: '#/ids', ready: '[data-testid=playground][data-scenario=ids] [data-testid=narration]' },
  { name: 'cache', route: '#/cache', ready: '[data-testid=playground][data-scenario=cache] [data-testid=narration]' },
  {
    name: 'compare',
    route: '#/lb?compare=algorithm:least_connections',
    ready: '[data-testid=compare-stage] [data-testid=narration]',
  },
];

/** Opens `route` and waits until it has rendered (charts drawn on their canvases included). */
export async function openPage(page, { route, ready }, appUrl) {
  await page.goto(appUrl(route));
  await page.waitForSelector(ready);
  // Two animation frames: effects that draw canvases and measure the diagram have run.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/**
 * Every visible, enabled interactive control: its tag, name and horizontal extent. A control
 * inside a container that scrolls or clips sideways (a code editor, a wide table) counts by the
 * part its container shows: that container, not the page, scrolls.
 */
export async function visibleControls(page) {
  return page.$$eval('button, a[href], select, input, textarea, summary, [tabindex]:not([tabindex="-1"])', (els) =>
    els
      .filter((el) => !el.disabled && el.checkVisibility({ checkOpacity: false, checkVisibilityCSS: true }))
      .filter((el) => !el.closest('dialog:not([open])'))
      .map((el) => {
        const r = el.getBoundingClientRect();
        let [left, right] = [r.left, r.right];
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
          if (getComputedStyle(a).overflowX !== 'visible') {
            const ar = a.getBoundingClientRect();
            [left, right] = [Math.max(left, ar.left), Math.min(right, ar.right)];
          }
        }
        const name =
          el.getAttribute('aria-label') || el.dataset.testid || el.textContent.trim().slice(0, 40) || el.tagName;
        return { tag: el.tagName.toLowerCase(), name, left, right, width: right - left, height: r.height };
      })
      .filter((c) => c.width > 0 && c.height > 0),
  );
}
