// A minimal in-memory stand-in for the chrome.* APIs the extension's lib modules use, plus
// a Web Locks polyfill (Node has no navigator.locks), so store.js and delivery.js run in Node.

class Locks {
  constructor() {
    this.tails = new Map();
  }

  request(name, optionsOrFn, maybeFn) {
    const fn = typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn;
    const previous = this.tails.get(name) ?? Promise.resolve();
    const run = previous.then(() => fn({ name }));
    this.tails.set(name, run.catch(() => {}));
    return run;
  }
}

function area() {
  let data = {};
  const pick = (keys) => {
    if (keys == null) return structuredClone(data);
    const list = typeof keys === 'string' ? [keys] : Array.isArray(keys) ? keys : Object.keys(keys);
    const out = {};
    for (const key of list) if (key in data) out[key] = structuredClone(data[key]);
    return out;
  };
  return {
    async get(keys) {
      await null;
      return pick(keys);
    },
    async set(items) {
      await null;
      data = { ...data, ...structuredClone(items) };
    },
    async remove(keys) {
      await null;
      for (const key of [].concat(keys)) delete data[key];
    },
    dump: () => data,
  };
}

/** Install fresh fakes on globalThis; returns handles for assertions. */
export function installFakeChrome() {
  const alarms = new Map();
  const chrome = {
    runtime: { id: 'test', getManifest: () => ({ version: '0.1.0' }), getURL: (p = '') => `chrome-extension://test/${p}` },
    storage: { local: area(), session: area(), onChanged: { addListener() {} } },
    alarms: {
      async create(name, info) { alarms.set(name, info); },
      async get(name) { return alarms.get(name); },
    },
  };
  globalThis.chrome = chrome;
  Object.defineProperty(globalThis, 'navigator', { value: { locks: new Locks() }, configurable: true, writable: true });
  return { chrome, alarms };
}

/** A fetch double: `handler(url, init)` returns {status, body} or throws. Records calls. */
export function fakeFetch(handler) {
  const calls = [];
  const impl = async (url, init) => {
    const body = init.body ? JSON.parse(init.body) : undefined;
    calls.push({ url, method: init.method, headers: init.headers, body });
    const reply = await handler(url, { ...init, json: body });
    return new Response(JSON.stringify(reply.body ?? {}), {
      status: reply.status ?? 200,
      headers: { 'Content-Type': 'application/json' },
    });
  };
  globalThis.fetch = impl;
  return { calls, impl };
}
