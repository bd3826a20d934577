import test from 'node:test';
import assert from 'node:assert/strict';
import {
  defaultDenyReason, isHttpUrl, parseRule, ruleMatches, siteOf, urlDecision, visitKey,
} from '../../extension/lib/url-rules.js';

test('only http and https pages are capturable', () => {
  assert.equal(isHttpUrl('https://example.com/a'), true);
  assert.equal(isHttpUrl('http://example.com/'), true);
  for (const url of ['file:///etc/passwd', 'chrome://settings', 'about:blank', 'data:text/html,x', 'ftp://x']) {
    assert.equal(urlDecision(url).allowed, false, url);
    assert.equal(urlDecision(url).reason, 'not-http');
  }
});

test('webmail, banking, health portals and sign-in hosts are denied by default', () => {
  for (const url of [
    'https://mail.google.com/mail/u/0/#inbox',
    'https://www.paypal.com/myaccount/summary',
    'https://secure.chase.com/web/auth/dashboard',
    'https://onlinebanking.example-bank.com/home',
    'https://mychart.examplehealth.org/MyChart/',
    'https://accounts.google.com/v3/signin',
    'https://login.microsoftonline.com/common/oauth2',
    'https://github.com/login',
    'https://acme.okta.com/app/UserHome',
  ]) {
    assert.equal(urlDecision(url).allowed, false, url);
    assert.equal(urlDecision(url).reason, 'default-deny', url);
  }
});

test('login and checkout paths are denied on any site', () => {
  assert.ok(defaultDenyReason('https://shop.example.com/checkout/step-2'));
  assert.ok(defaultDenyReason('https://gitlab.example.com/users/sign_in'));
  assert.ok(defaultDenyReason('https://example.com/en/account/settings'));
  assert.ok(defaultDenyReason('https://example.com/cart'));
});

test('documentation about authentication is not mistaken for a login page', () => {
  assert.equal(defaultDenyReason('https://docs.djangoproject.com/en/5.0/topics/auth/'), null);
  assert.equal(defaultDenyReason('https://developer.mozilla.org/en-US/docs/Web/HTTP/Authentication'), null);
  assert.equal(defaultDenyReason('https://github.com/encode/httpx'), null);
  assert.equal(urlDecision('https://fastapi.tiangolo.com/tutorial/security/').allowed, true);
});

test('a site rule covers the host and its subdomains, not lookalikes', () => {
  assert.equal(ruleMatches('example.com', 'https://example.com/a'), true);
  assert.equal(ruleMatches('example.com', 'https://docs.example.com/a'), true);
  assert.equal(ruleMatches('*.example.com', 'https://docs.example.com/a'), true);
  assert.equal(ruleMatches('example.com', 'https://notexample.com/a'), false);
  assert.equal(ruleMatches('example.com', 'https://example.com.evil.net/'), false);
});

test('path and prefix rules match only below them', () => {
  assert.equal(ruleMatches('example.com/private', 'https://example.com/private/x'), true);
  assert.equal(ruleMatches('example.com/private', 'https://example.com/public'), false);
  assert.equal(ruleMatches('https://example.com/a/', 'https://example.com/a/b'), true);
  assert.equal(ruleMatches('https://example.com/a/', 'http://example.com/a/b'), false);
  assert.equal(parseRule('   '), null);
  assert.equal(parseRule('# comment'), null);
});

test('the allow list overrides the defaults but never the user deny list', () => {
  const url = 'https://mail.google.com/mail/u/0/';
  assert.equal(urlDecision(url, { allowList: ['mail.google.com'] }).allowed, true);
  assert.equal(urlDecision(url, { allowList: ['mail.google.com'], denyList: ['google.com'] }).reason, 'user-deny');
  assert.equal(urlDecision('https://news.example.org/x', { denyList: ['example.org'] }).reason, 'user-deny');
});

test('site names drop www and the fragment does not make a new visit', () => {
  assert.equal(siteOf('https://www.Example.com/path'), 'example.com');
  assert.equal(siteOf('not a url'), '');
  assert.equal(visitKey('https://a.com/doc#section-2'), 'https://a.com/doc');
  assert.equal(visitKey('https://a.com/doc?page=2'), 'https://a.com/doc?page=2');
});
