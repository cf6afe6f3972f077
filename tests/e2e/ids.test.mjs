// The unique-ID page's own panels: the bit anatomy of the ID at the cursor, decoding a pasted
// ID (and a malformed one's message), and live mode's real IDs from the browser's clock.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appUrl, textOf, useBrowser, waitForText, withPage } from './support/browser.mjs';

const CURSOR = '[data-testid=ids-cursor]';
const DECODE = '[data-testid=ids-decode]';
const LIVE = '[data-testid=ids-live]';

async function openIds(page, query = '') {
  await page.goto(appUrl(`#/ids${query}`));
  await page.waitForSelector('[data-testid=playground][data-scenario=ids]');
  await page.waitForSelector(`${CURSOR} [data-testid=anatomy]`);
}

/** Every field of the anatomy inside `scope`: its name, its bit range and the bits drawn in it. */
async function fieldsOf(page, scope) {
  return page.$$eval(`${scope} [data-testid=bit-field]`, (els) =>
    els.map((el) => ({
      key: el.dataset.field,
      offset: Number(el.dataset.offset),
      width: Number(el.dataset.width),
      bits: [...el.querySelectorAll('[data-bit]')].map((b) => Number(b.dataset.bit)),
      digits: [...el.querySelectorAll('[data-bit]')].map((b) => b.textContent).join(''),
      name: el.querySelector('.bit-name')?.textContent ?? '',
    })),
  );
}

/** Types `text` into the decode box and waits until it shows an anatomy or an error. */
async function decodeText(page, text) {
  await page.fill(`${DECODE} [data-testid=decode-input]`, text);
  await page.waitForFunction(
    ({ scope, text }) => {
      const box = document.querySelector(scope);
      const id = box?.querySelector('[data-testid=anatomy-id]')?.textContent;
      const input = box?.querySelector('[data-testid=decode-input]')?.value;
      return input === text && (id !== undefined || box.querySelector('[data-testid=decode-error]'));
    },
    { scope: DECODE, text },
  );
}

describe('unique-ID page', () => {
  const browser = useBrowser();

  test('the bit anatomy of a Snowflake ID puts every field in its bit range', async (t) => {
    await withPage(browser(), {}, async (page) => {
      await openIds(page);
      await page.waitForSelector(`${CURSOR} [data-testid=anatomy][data-format=snowflake][data-width="64"]`);
      const id = await textOf(page, `${CURSOR} [data-testid=anatomy-id]`);
      assert.match(id, /^\d{1,19}$/, 'a Snowflake ID is a decimal number');

      const fields = await fieldsOf(page, CURSOR);
      assert.deepEqual(
        fields.map((f) => [f.key, f.offset, f.width]),
        [
          ['unused', 0, 1],
          ['timestamp', 1, 41],
          ['datacenter', 42, 5],
          ['worker', 47, 5],
          ['sequence', 52, 12],
        ],
      );
      for (const f of fields) {
        assert.deepEqual(f.bits, Array.from({ length: f.width }, (_, i) => f.offset + i), `${f.key} draws its own bits`);
        assert.equal(f.name, f.key, `${f.key} is named under its bits, not only coloured`);
      }
      // The bits drawn are the ID's bits, most significant first.
      const drawn = fields.map((f) => f.digits).join('');
      assert.equal(drawn, BigInt(id).toString(2).padStart(64, '0'));
      // Each field's value is those bits, and the time is decoded as a UTC date.
      const raw = (key) => BigInt('0b' + fields.find((f) => f.key === key).digits);
      const meaning = await page.$$eval(`${CURSOR} [data-testid=field-row]`, (rows) =>
        Object.fromEntries(rows.map((r) => [r.dataset.field, r.querySelector('[data-testid=field-meaning]').textContent])),
      );
      const unixMs = Number(raw('timestamp')) + 1288834974657;
      assert.ok(meaning.timestamp.startsWith(new Date(unixMs).toISOString()), meaning.timestamp);
      assert.equal(meaning.worker, `worker ${raw('worker')} in datacenter ${raw('datacenter')}`);
      assert.match(meaning.sequence, new RegExp(`^ID number ${raw('sequence') + 1n} of this millisecond`));
      assert.equal(await textOf(page, `${CURSOR} [data-testid=anatomy-utc]`), new Date(unixMs).toISOString());

      // Pointing at a bit, or focusing a field, says which field it belongs to.
      await page.hover(`${CURSOR} [data-bit="49"]`);
      await waitForText(page, `${CURSOR} [data-testid=bit-readout]`, { includes: 'Bit 49' });
      assert.match(await textOf(page, `${CURSOR} [data-testid=bit-readout]`), /5-bit worker, bits 47–51/);
      await page.focus(`${CURSOR} [data-testid=bit-field][data-field=sequence]`);
      await waitForText(page, `${CURSOR} [data-testid=bit-readout]`, { includes: '12-bit sequence, bits 52–63' });
      t.diagnostic(`ID at the cursor: ${id} (${new Date(unixMs).toISOString()})`);
    });
  });

  test('the anatomy follows the cursor: the ID the narration names is the one drawn', async () => {
    await withPage(browser(), {}, async (page) => {
      await openIds(page);
      // Step until the narration names an ID a worker issues.
      let named = null;
      for (let i = 0; i < 6 && !named; i += 1) {
        const before = await textOf(page, '[data-testid=narration]');
        await page.click('[data-testid=step-forward]');
        const text = await waitForText(page, '[data-testid=narration]', { differsFrom: before });
        named = text.match(/issues its first ID, (\d+)/)?.[1] ?? null;
      }
      assert.ok(named, 'a step narrates the first ID issued');
      await waitForText(page, `${CURSOR} [data-testid=anatomy-id]`, { equals: named });
      assert.match(await textOf(page, `${CURSOR} [data-testid=ids-caption]`), /^Issued by worker \d+/);
    });
  });

  test('a pasted UUIDv7 decodes to version 7 and its timestamp', async () => {
    await withPage(browser(), {}, async (page) => {
      await openIds(page);
      // RFC 9562 Appendix A.6's example UUIDv7.
      await decodeText(page, '017f22e2-79b0-7cc3-98c4-dc0c0c07398f');
      await page.waitForSelector(`${DECODE} [data-testid=anatomy][data-format=uuid7][data-width="128"]`);
      assert.equal(await textOf(page, `${DECODE} [data-testid=anatomy-utc]`), '2022-02-22T19:22:22.000Z');
      const fields = await fieldsOf(page, DECODE);
      assert.deepEqual(
        fields.map((f) => [f.key, f.offset, f.width]),
        [
          ['unix_ts_ms', 0, 48],
          ['ver', 48, 4],
          ['rand_a', 52, 12],
          ['var', 64, 2],
          ['rand_b', 66, 62],
        ],
      );
      assert.equal(fields.find((f) => f.key === 'ver').digits, '0111', 'version 7');
      assert.equal(fields.find((f) => f.key === 'var').digits, '10', 'the RFC 9562 variant');
      const version = await textOf(page, `${DECODE} [data-testid=field-row][data-field=ver] [data-testid=field-meaning]`);
      assert.match(version, /^version 7/);
      const time = await textOf(page, `${DECODE} [data-testid=field-row][data-field=unix_ts_ms] [data-testid=field-meaning]`);
      assert.match(time, /^2022-02-22T19:22:22\.000Z \(1645557742000 ms/);

      // A decimal ID is read as Snowflake by default and says so; another reading changes it.
      await decodeText(page, '1050118621198921728');
      await waitForText(page, `${DECODE} [data-testid=anatomy-utc]`, { equals: '2018-10-10T20:19:24.211Z' });
      assert.match(await textOf(page, `${DECODE} [data-testid=decode-note]`), /read as a Snowflake ID/);
      await page.fill(`${DECODE} [data-testid=decode-epoch]`, '1420070400000');
      await waitForText(page, `${DECODE} [data-testid=anatomy-utc]`, { equals: '2022-12-07T18:36:29.554Z' });
      await page.selectOption(`${DECODE} [data-testid=decode-reading]`, 'sonyflake');
      await page.waitForSelector(`${DECODE} [data-testid=anatomy][data-format=sonyflake]`);
    });
  });

  test("a malformed ID gets the decoder's message with the character or bits marked", async () => {
    await withPage(browser(), {}, async (page) => {
      await openIds(page);
      await decodeText(page, '017f22e2-79b0-7cc3-98c4-dc0c0c07398g');
      assert.equal(
        await textOf(page, `${DECODE} [data-testid=decode-message]`),
        "character 36 ('g') is not a hexadecimal digit",
      );
      assert.equal(await textOf(page, `${DECODE} [data-testid=decode-mark]`), 'g');
      assert.equal(await page.locator(`${DECODE} [data-testid=anatomy]`).count(), 0, 'no anatomy for a malformed ID');

      await decodeText(page, '01ARZ3NDEKTSV4RRFFQ69G5FAU');
      assert.match(await textOf(page, `${DECODE} [data-testid=decode-message]`), /^character 26 \('U'\) is not in the ULID alphabet/);
      assert.equal(await textOf(page, `${DECODE} [data-testid=decode-mark]`), 'U');

      // A version 1 UUID parses, but its version bits are not 4 or 7: those bits are marked.
      await decodeText(page, 'c232ab00-9414-11ec-b3c8-9f6bdeced846');
      assert.match(await textOf(page, `${DECODE} [data-testid=decode-message]`), /^bits 48–51 \(version\) are 0001 = version 1/);
      assert.equal(await textOf(page, `${DECODE} [data-testid=decode-mark]`), '0001');

      // What a person pastes is shown as text, never parsed as HTML.
      await decodeText(page, '<b>0123456789ABCDEFGHJ</b>');
      assert.match(await textOf(page, `${DECODE} [data-testid=decode-message]`), /^character 1 \('<'\)/);
      assert.equal(await page.locator(`${DECODE} [data-testid=decode-error] b`).count(), 0);
      assert.equal(await textOf(page, `${DECODE} [data-testid=decode-echo]`), '<b>0123456789ABCDEFGHJ</b…');
    });
  });

  test('live mode makes valid IDs from the real clock that decode and copy', async (t) => {
    await withPage(browser(), {}, async (page) => {
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: appUrl('').replace(/\/$/, '') });
      await openIds(page);
      const readings = { snowflake: 'auto', sonyflake: 'sonyflake', uuid7: 'auto', uuid4: 'auto', ulid: 'auto' };
      for (const [kind, reading] of Object.entries(readings)) {
        await page.click(`${LIVE} [data-testid=live-kind][data-kind=${kind}]`);
        const before = await page.$$eval(`${LIVE} [data-testid=live-id]`, (els) => els[0]?.textContent.trim() ?? '');
        const clickedAt = await page.evaluate(() => Date.now());
        await page.click(`${LIVE} [data-testid=live-generate]`);
        const id = await waitForText(page, `${LIVE} [data-testid=live-id]`, { differsFrom: before });
        const format = await page.getAttribute(`${LIVE} [data-testid=anatomy]`, 'data-format');
        assert.equal(format, kind, `live ${kind} shows its anatomy`);

        // It decodes in the decode box, as the same format.
        await page.selectOption(`${DECODE} [data-testid=decode-reading]`, reading);
        await decodeText(page, id);
        assert.equal(await page.locator(`${DECODE} [data-testid=decode-error]`).count(), 0, `${kind} ${id} decodes`);
        assert.equal(await page.getAttribute(`${DECODE} [data-testid=anatomy]`, 'data-format'), kind);
        if (kind !== 'uuid4') {
          // Made from the real clock: within a few seconds of now (Sonyflake counts 10 ms ticks).
          const utc = await textOf(page, `${DECODE} [data-testid=anatomy-utc]`);
          const made = Date.parse(utc);
          assert.ok(made >= clickedAt - 20 && made <= Date.now() + 5000, `${kind} ${id} made at ${utc}, clicked at ${new Date(clickedAt).toISOString()}`);
        }
        t.diagnostic(`${kind}: ${id}`);
      }

      // Five at once in the same few milliseconds: all distinct, in increasing order.
      await page.click(`${LIVE} [data-testid=live-kind][data-kind=snowflake]`);
      await page.click(`${LIVE} [data-testid=live-burst]`);
      await page.waitForFunction((scope) => document.querySelectorAll(`${scope} [data-testid=live-id]`).length >= 6, LIVE);
      const burst = (await page.$$eval(`${LIVE} [data-testid=live-id]`, (els) => els.map((e) => e.textContent.trim()))).slice(0, 5);
      assert.equal(new Set(burst).size, 5);
      const sorted = [...burst].sort((a, b) => (BigInt(a) < BigInt(b) ? 1 : -1));
      assert.deepEqual(burst, sorted, 'newest first, each larger than the one before');

      // The copy button puts the exact ID on the clipboard.
      await page.click(`${LIVE} [data-testid=live-copy] >> nth=0`);
      await waitForText(page, `${LIVE} [data-testid=live-copy]`, { equals: 'Copied' });
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), burst[0]);
    });
  });
});
