import test from 'node:test';
import assert from 'node:assert/strict';

await import('../../extension/lib/local-time.js'); // a classic script: it fills globalThis.inflow
const { localDay, isoWithOffset } = globalThis.inflow;

/** Run `body` with this process in time zone `zone`. */
function inZone(zone, body) {
  const saved = process.env.TZ;
  try {
    process.env.TZ = zone;
    return body();
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
}

test('the local day is the calendar day of the browser time zone, not UTC', () => {
  assert.equal(inZone('Pacific/Kiritimati', () => localDay(Date.parse('2026-11-17T23:30:00Z'))), '2026-11-18'); // UTC+14
  assert.equal(inZone('America/Los_Angeles', () => localDay(Date.parse('2026-11-18T03:00:00Z'))), '2026-11-17'); // UTC-8
});

test('times carry the local offset and name the same moment', () => {
  const moment = Date.UTC(2025, 0, 2, 3, 4, 5, 6);
  for (const zone of ['UTC', 'Asia/Kolkata', 'America/St_Johns', 'Pacific/Kiritimati']) {
    const iso = inZone(zone, () => isoWithOffset(moment));
    assert.match(iso, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/);
    assert.equal(Date.parse(iso), moment, zone);
  }
  assert.equal(inZone('America/St_Johns', () => isoWithOffset(moment)), '2025-01-01T23:34:05.006-03:30');
});

test("the day the popup asks for is the day of the stamp a capture made now carries", () => {
  for (const zone of ['Pacific/Kiritimati', 'America/Los_Angeles', 'Asia/Kolkata']) {
    const now = Date.parse('2026-11-17T23:30:00Z');
    inZone(zone, () => assert.equal(localDay(now), isoWithOffset(now).slice(0, 10), zone));
  }
});

test("the weekly page files a moment under the day the extension files it under", async () => {
  // Two copies, one per package: the extension loads no file from the companion, and the
  // companion's wheel holds no file of the extension. This keeps them the same rule.
  const week = await import('../../companion/static/week/format.js');
  const moments = ['2026-11-17T23:30:00Z', '2026-12-31T10:45:00Z', '2027-01-01T00:15:00Z'];
  for (const zone of ['UTC', 'Pacific/Kiritimati', 'America/Los_Angeles', 'Asia/Kolkata', 'America/St_Johns']) {
    for (const moment of moments.map(Date.parse)) {
      inZone(zone, () => assert.equal(week.localDay(new Date(moment)), localDay(moment), `${zone} ${moment}`));
    }
  }
});
