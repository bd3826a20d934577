import test from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));

test('the pinned extension id is the one the manifest key produces', () => {
  const der = Buffer.from(manifest.key, 'base64');
  const hex = createHash('sha256').update(der).digest('hex').slice(0, 32);
  const id = [...hex].map((c) => String.fromCharCode('a'.charCodeAt(0) + parseInt(c, 16))).join('');
  assert.equal(readFileSync(join(root, 'companion', 'EXTENSION_ID'), 'utf8').trim(), id);
});

test('the repository root loads as an unpacked extension: no reserved names at the root', () => {
  const reserved = readdirSync(root).filter((name) => name.startsWith('_'));
  assert.deepEqual(reserved, []);
  assert.equal(existsSync(join(root, 'package.json')), false);
  assert.equal(existsSync(join(root, 'node_modules')), false);
});

test('every file the manifest names exists', () => {
  const files = [
    manifest.background.service_worker,
    ...manifest.background.scripts,
    manifest.action.default_popup,
    manifest.options_ui.page,
    ...Object.values(manifest.icons),
    ...manifest.content_scripts.flatMap((cs) => cs.js),
  ];
  for (const file of files) assert.ok(existsSync(join(root, file)), file);
});

test('permissions stay narrow and private windows are refused', () => {
  assert.deepEqual([...manifest.permissions].sort(), ['alarms', 'idle', 'storage', 'unlimitedStorage']);
  assert.deepEqual(manifest.host_permissions, ['http://*/*', 'https://*/*']);
  assert.equal(manifest.incognito, 'not_allowed');
  assert.equal(manifest.externally_connectable, undefined);
  assert.equal(manifest.web_accessible_resources, undefined);
  const pair = manifest.content_scripts.find((cs) => cs.js.includes('extension/content/pair.js'));
  assert.deepEqual(pair.matches, ['http://127.0.0.1/pair*', 'http://localhost/pair*']);
  const permissionsDoc = readFileSync(join(root, 'extension', 'PERMISSIONS.md'), 'utf8');
  for (const permission of [...manifest.permissions, 'host_permissions']) assert.match(permissionsDoc, new RegExp(permission));
});

test('Firefox gets background scripts, a gecko id and data collection permissions', () => {
  assert.ok(manifest.background.scripts.length > 0);
  assert.ok(manifest.browser_specific_settings.gecko.id);
  assert.ok(manifest.browser_specific_settings.gecko.data_collection_permissions.required.length > 0);
});

test('Chrome 121 is the minimum (it accepts background scripts beside the service worker)', () => {
  assert.equal(manifest.minimum_chrome_version, '121');
});

test('no Firefox for Android: no companion can run there', () => {
  assert.equal(manifest.browser_specific_settings.gecko_android, undefined);
});

test('web-ext lint reports no errors', { timeout: 120_000 }, async (t) => {
  const bin = join(here, 'node_modules', '.bin', 'web-ext');
  assert.ok(existsSync(bin), 'run `npm ci` in tests/extension first (make node-tools does)');
  const ignore = ['tests/**', 'companion/**', 'nlp/**', 'bench/**', 'Makefile', 'pyproject.toml', '*.md',
    '.venv/**', '.git/**', '.ci/**', '.*/**', 'test-artifacts/**', '*.zip', 'dist/**', 'build/**'];
  const { stdout } = await promisify(execFile)(bin, ['lint', '--source-dir', root, '--output', 'json', '--no-config-discovery', '--ignore-files', ...ignore], { maxBuffer: 20e6, env: { ...process.env, NO_UPDATE_NOTIFIER: '1' } })
    .catch((err) => ({ stdout: err.stdout }));
  const report = JSON.parse(stdout);
  t.diagnostic(`web-ext: ${report.summary.errors} errors, ${report.summary.warnings} warnings`);
  assert.deepEqual(report.errors.map((e) => `${e.code} ${e.file}: ${e.message}`), []);
});
