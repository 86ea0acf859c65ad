/**
 * Attacks: hostile input to every endpoint of the wallet server. Malformed JSON, wrong types, huge,
 * negative and fractional cents, unicode look-alike handles, SQL and markup in every text field: always a 4xx
 * problem+json (never a 5xx), and a refused request leaves balances, payments and the ledger untouched. Text that
 * is valid (a display name or message with markup) is stored verbatim and answered back as inert JSON text.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, expectProblem, ME, redWallet, type RedWallet } from '../../tests/helpers/server-attacker';

let w: RedWallet;
let token: string;
let keyN = 0;
const key = () => `red-${++keyN}`;

beforeAll(async () => {
  w = await redWallet();
  token = (await w.login(ME.email)).accessToken;
});
afterAll(() => w.close());

const MALFORMED = [
  '',
  '{',
  '{"recipientHandle":',
  'null',
  '[]',
  '"alice"',
  '42',
  'true',
  '{"a":1}{"b":2}',
  "{'recipientHandle':'alice'}",
  '{"amountCents":NaN}',
  '{"amountCents":Infinity}',
  '{"amountCents":0x10}',
  '\u0000',
  '\ufeff{}',
  '['.repeat(5000) + ']'.repeat(5000),
  '{"__proto__":{"isAdmin":true}}',
];

/** Every JSON POST endpoint (payment id placeholders get a real payment below). */
const POSTS = [
  '/v1/accounts',
  '/v1/auth/login',
  '/v1/auth/refresh',
  '/v1/me/x-account',
  '/v1/me/top-ups',
  '/v1/payments',
];

describe('red team: hostile input to the wallet server', () => {
  it('should answer malformed JSON and wrong content types on every POST with a 4xx problem', async () => {
    const before = await w.snapshot();
    for (const url of POSTS) {
      for (const raw of MALFORMED) {
        const r = await w.call('POST', url, { raw, token, headers: { 'idempotency-key': key() } });
        expectProblem(r, `${url} ${JSON.stringify(raw.slice(0, 40))}`);
      }
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']) {
        const r = await w.call('POST', url, {
          raw: 'amountCents=100&recipientHandle=alice',
          token,
          headers: { 'content-type': type, 'idempotency-key': key() },
        });
        expectProblem(r, `${url} as ${type}`);
      }
      const huge = await w.call('POST', url, {
        raw: JSON.stringify({ message: 'x'.repeat(70 * 1024) }),
        token,
        headers: { 'idempotency-key': key() },
      });
      expectProblem(huge, `${url} 70 KiB`, 413);
    }
    const webhook = await w.call('POST', '/v1/webhooks/x', { raw: '{' });
    expectProblem(webhook, 'unsigned malformed webhook', 401);
    expect(await w.snapshot()).toBe(before);
  });

  it('should refuse wrong types, huge, negative and fractional cents without moving money', async () => {
    const before = await w.snapshot();
    const amounts: unknown[] = [
      -1,
      0,
      -0,
      0.5,
      1.005,
      12.5,
      1e21,
      2 ** 53,
      -(2 ** 53),
      Number.MAX_VALUE,
      '100',
      '1e2',
      null,
      true,
      [100],
      { cents: 100 },
      25_001,
      50_001,
    ];
    for (const amountCents of amounts) {
      const body = { recipientHandle: ALICE.handle, amountCents, currency: 'EUR', mode: 'private' };
      expectProblem(
        await w.call('POST', '/v1/payments', { body, token, headers: { 'idempotency-key': key() } }),
        `payment of ${JSON.stringify(amountCents)}`,
      );
      if (amountCents === 25_001 || amountCents === 50_001) continue; // valid top-ups, over payment limits
      expectProblem(
        await w.call('POST', '/v1/me/top-ups', {
          body: { amountCents },
          token,
          headers: { 'idempotency-key': key() },
        }),
        `top-up of ${JSON.stringify(amountCents)}`,
      );
    }
    expect(await w.snapshot()).toBe(before);
    // Raw JSON numbers a JavaScript parser rounds: 20 digits, a fraction hidden past double precision.
    for (const n of ['99999999999999999999', '100.0000000000000001', '1e400', '-1e-400']) {
      const raw = `{"recipientHandle":"alice","amountCents":${n},"currency":"EUR","mode":"private"}`;
      const r = await w.call('POST', '/v1/payments', { raw, token, headers: { 'idempotency-key': key() } });
      // 100.0000000000000001 parses to exactly 100 (JSON has no more precision): then it is a valid 1 € payment.
      if (r.status === 201) expect(n).toBe('100.0000000000000001');
      else expectProblem(r, `raw amount ${n}`);
    }
    const beforeOthers = await w.snapshot();
    const others: Record<string, unknown>[] = [
      { currency: 'eur' },
      { currency: 'USD' },
      { currency: '€' },
      { currency: undefined },
      { mode: 'TWEET' },
      { mode: 'both' },
      { mode: null },
      { replyToTweetId: '1e5' },
      { replyToTweetId: '-1' },
      { replyToTweetId: 123 },
      { replyToTweetId: '١٢٣' },
      { replyToTweetId: '1'.repeat(21) },
      { message: 42 },
      { message: 'x'.repeat(281) },
      { recipientHandle: null },
      { recipientHandle: ['alice'] },
    ];
    for (const patch of others) {
      const body = {
        recipientHandle: ALICE.handle,
        amountCents: 100,
        currency: 'EUR',
        mode: 'private',
        ...patch,
      };
      expectProblem(
        await w.call('POST', '/v1/payments', { body, token, headers: { 'idempotency-key': key() } }),
        `payment with ${JSON.stringify(patch)}`,
      );
    }
    expect(await w.snapshot()).toBe(beforeOthers);
  });

  it('should refuse look-alike handles everywhere a handle goes: fullwidth, homoglyphs, zero-width, bidi', async () => {
    const before = await w.snapshot();
    const handles = [
      '＠alice',
      '@alice',
      'ａｌｉｃｅ',
      'аlice', // Cyrillic а
      'alіce', // Ukrainian і
      'alice\u200b',
      '\u200balice',
      'al\u200dice',
      '\u202ealice',
      'alice\u202c',
      '\u2066alice\u2069',
      'alice\ufeff',
      'alice\u00ad', // soft hyphen
      'alice\u0301', // combining accent
      'alice ',
      ' alice',
      'ali ce',
      'alice\n',
      'alice\u0000',
      'a'.repeat(16),
      '',
      "alice' OR '1'='1",
      'alice";--',
      '<script>alert(1)</script>',
    ];
    for (const h of handles) {
      const what = JSON.stringify(h);
      expectProblem(
        await w.call('POST', '/v1/payments', {
          body: { recipientHandle: h, amountCents: 100, currency: 'EUR', mode: 'private' },
          token,
          headers: { 'idempotency-key': key() },
        }),
        `payment to ${what}`,
      );
      expectProblem(
        await w.call('POST', '/v1/me/x-account', { body: { handle: h, xUserId: '123' }, token }),
        `link ${what}`,
      );
      if (h !== '') {
        const r = await w.call('GET', `/v1/recipients/${encodeURIComponent(h)}`, { token });
        expectProblem(r, `recipient ${what}`);
      }
    }
    for (const id of ['1e5', '-1', '１２３', '123 ', "1' OR '1'='1", '1'.repeat(21), '']) {
      expectProblem(
        await w.call('POST', '/v1/me/x-account', { body: { handle: 'tp_other', xUserId: id }, token }),
        `xUserId ${JSON.stringify(id)}`,
      );
    }
    expect(await w.snapshot()).toBe(before);
    const me = await w.call('GET', '/v1/me', { token });
    expect(me.body).toMatchObject({ xHandle: ME.handle, xUserId: ME.xUserId });
  });

  it('should keep SQL and markup inert in every text field: refused, or stored and answered verbatim', async () => {
    const nasty = [
      "'; DROP TABLE payments; --",
      "' OR 1=1 --",
      '"; DELETE FROM accounts WHERE "1"="1',
      "Robert'); DROP TABLE transfers;--",
      '$1 $2 \\x00 %s %n',
      '<script>alert(document.cookie)</script>',
      '<img src=x onerror="alert(1)">',
      '"><svg onload=alert(1)>',
      'javascript:alert(1)',
      '{{constructor.constructor("alert(1)")()}}',
      '\u202eelbaT pord',
    ];
    for (const s of nasty) {
      // Sign-up: email refused, display name kept verbatim.
      expectProblem(
        await w.call('POST', '/v1/accounts', {
          body: { email: s, password: 'long-enough-password', displayName: 'x' },
        }),
        `sign-up email ${s}`,
      );
      const email = `red${++keyN}@demo.test`;
      const signup = await w.call('POST', '/v1/accounts', {
        body: { email, password: 'long-enough-password', displayName: s },
      });
      expect(signup.status, signup.text).toBe(201);
      expect(signup.body?.displayName).toBe(s.trim());
      expectProblem(
        await w.call('POST', '/v1/auth/login', { body: { email: s, password: s } }),
        `login ${s}`,
        401,
      );
      expectProblem(
        await w.call('POST', '/v1/auth/refresh', { body: { refreshToken: s } }),
        `refresh ${s}`,
        401,
      );
      // eslint-disable-next-line no-control-regex -- a header can only carry Latin-1
      if (/^[\x00-\xff]*$/.test(s)) {
        expectProblem(await w.call('GET', '/v1/me', { token: s }), `bearer ${s}`, 401);
      }
      expectProblem(
        await w.call('GET', `/v1/payments/${encodeURIComponent(s)}`, { token }),
        `payment id ${s}`,
      );
      expectProblem(
        await w.call('POST', `/v1/payments/${encodeURIComponent(s)}/cancel`, { token }),
        `cancel ${s}`,
      );
      expectProblem(
        await w.call('POST', `/v1/payments/${encodeURIComponent(s)}/confirm`, {
          token,
          headers: { 'idempotency-key': key() },
        }),
        `confirm ${s}`,
      );
      for (const q of ['status', 'cursor', 'limit']) {
        expectProblem(
          await w.call('GET', `/v1/payments?${q}=${encodeURIComponent(s)}`, { token }),
          `list ${q}=${s}`,
        );
      }
      // A message is free text: stored and answered back exactly, never interpreted.
      const pay = await w.call('POST', '/v1/payments', {
        body: { recipientHandle: ALICE.handle, amountCents: 1, currency: 'EUR', mode: 'private', message: s },
        token,
        headers: { 'idempotency-key': s.replace(/[^\x20-\x7e]/g, '?') },
      });
      expect(pay.status, pay.text).toBe(201);
      expect(pay.body?.message).toBe(s.trim() || null);
      expect(pay.type).toContain('application/json');
    }
    const [tables] = await w.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('payments','accounts','transfers')`,
    );
    expect(tables?.n).toBe(3);
    await w.audit();
  });

  it('should refuse bad Idempotency-Keys and bad bearer tokens with a problem', async () => {
    const before = await w.snapshot();
    const body = { recipientHandle: ALICE.handle, amountCents: 100, currency: 'EUR', mode: 'private' };
    for (const k of ['', 'é', 'tab\there', 'x'.repeat(256)]) {
      expectProblem(
        await w.call('POST', '/v1/payments', { body, token, headers: { 'idempotency-key': k } }),
        `key ${JSON.stringify(k.slice(0, 20))}`,
      );
    }
    expectProblem(await w.call('POST', '/v1/payments', { body, token }), 'no key', 400);
    for (const auth of [
      'Bearer',
      'Bearer ',
      'Basic Zm9vOmJhcg==',
      `Bearer ${token}x`,
      `bearer  ${token} x`,
    ]) {
      expectProblem(
        await w.call('POST', '/v1/payments', {
          body,
          headers: { authorization: auth, 'idempotency-key': key() },
        }),
        `auth ${auth.slice(0, 12)}`,
        401,
      );
    }
    expect(await w.snapshot()).toBe(before);
  });

  it('should never answer 5xx nor store half a payment, over a fuzz of every served operation', async () => {
    const doc = (await w.call('GET', '/v1/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const ops = Object.entries(doc.paths).flatMap(([p, methods]) =>
      Object.keys(methods)
        .map((m) => ({ method: m.toUpperCase(), path: p }))
        // Signing out is not an attack; it would only end the fuzzing session.
        .filter((o) => o.path !== '/v1/auth/logout'),
    );
    expect(ops.length).toBeGreaterThanOrEqual(15);
    const junk = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc.integer(),
      fc.double(),
      fc.bigInt().map(String),
      fc.constantFrom(
        'alice',
        'tp_me',
        'EUR',
        'tweet',
        'private',
        '＠alice',
        'аlice',
        "' OR 1=1 --",
        '<b>x</b>',
      ),
      fc.constantFrom(1, 100, 25_000, 25_001, -1, 0.5, 2 ** 53),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.integer(), { maxLength: 3 }),
    );
    const body = fc.oneof(
      fc.record(
        {
          recipientHandle: junk,
          amountCents: junk,
          currency: junk,
          mode: junk,
          message: junk,
          replyToTweetId: junk,
          email: junk,
          password: junk,
          displayName: junk,
          refreshToken: junk,
          handle: junk,
          xUserId: junk,
          kind: junk,
        },
        { requiredKeys: [] },
      ),
      fc.json().map((s) => ({ raw: s })),
      fc.string().map((s) => ({ raw: s })),
    );
    const op = fc.constantFrom(...ops);
    const param = fc.oneof(fc.constantFrom('alice', '1', 'x'), fc.string({ minLength: 1, maxLength: 30 }));
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(op, body, param, fc.boolean(), async (o, b, p, withKey) => {
        cases++;
        const url = o.path.replace(/\{[^}]+\}/g, encodeURIComponent(p));
        const before = await w.snapshot();
        const isRaw = typeof b === 'object' && b !== null && 'raw' in b && Object.keys(b).length === 1;
        const r = await w.call(o.method, url, {
          ...(o.method === 'GET' ? {} : isRaw ? { raw: (b as { raw: string }).raw } : { body: b }),
          token,
          headers: withKey ? { 'idempotency-key': key() } : {},
        });
        expect(r.status, `${o.method} ${url} ${r.text.slice(0, 200)}`).toBeLessThan(500);
        if (r.status >= 400) {
          // X's redirect back lands in a browser tab: its errors are an HTML page, not problem+json.
          if (o.path === '/v1/x/callback') expect(r.type).toContain('text/html');
          else expectProblem(r, `${o.method} ${url}`);
          // Refused: nothing moved (a refused top-up or payment wrote nothing).
          expect(await w.snapshot(), `${o.method} ${url}`).toBe(before);
        }
      }),
      { numRuns: 300, seed: 7_0707, endOnFailure: true },
    );
    expect(cases).toBe(300);
    await w.audit();
  });
});
