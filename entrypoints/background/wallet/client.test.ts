import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { settingsItem, tokensItem } from '../../../utils/storage';
import { WalletClient } from './client';
import { createFakeFetch, json, problem, type FakeRoute } from '../../../tests/helpers/fake-fetch';

const ME = {
  id: 'acc-1',
  email: 'a@example.test',
  displayName: 'Alice',
  balance: { availableCents: 100, heldCents: 0 },
};

/** A fake wallet auth: access tokens `A<n>`, refresh tokens `R<n>`; only the latest pair is valid. */
function fakeAuth(extra: Record<string, FakeRoute> = {}) {
  let n = 0;
  let refreshes = 0;
  const valid = { access: '', refresh: '' };
  const pair = () => {
    n++;
    valid.access = `A${n}`;
    valid.refresh = `R${n}`;
    return { accessToken: valid.access, refreshToken: valid.refresh, tokenType: 'Bearer', expiresIn: 900 };
  };
  const authed =
    (route: FakeRoute): FakeRoute =>
    (call) =>
      call.headers.authorization === `Bearer ${valid.access}` ? route(call) : problem(401, 'unauthorized');
  const fake = createFakeFetch({
    'POST /v1/auth/login': (c) =>
      (c.body as { password: string }).password === 'correct horse'
        ? json(200, pair())
        : problem(401, 'unauthorized'),
    'POST /v1/auth/refresh': (c) => {
      refreshes++;
      return (c.body as { refreshToken: string }).refreshToken === valid.refresh
        ? json(200, pair())
        : problem(401, 'unauthorized');
    },
    'POST /v1/auth/logout': authed(() => {
      valid.access = valid.refresh = 'revoked';
      return new Response(null, { status: 204 });
    }),
    'GET /v1/me': authed(() => json(200, ME)),
    ...Object.fromEntries(Object.entries(extra).map(([k, r]) => [k, authed(r)])),
  });
  return {
    ...fake,
    refreshes: () => refreshes,
    expireAccess: () => (valid.access = 'expired-on-server'),
    revoke: () => (valid.access = valid.refresh = 'revoked'),
  };
}

function client(fetch: typeof globalThis.fetch, now = () => 1_000_000) {
  return new WalletClient({ fetch, now, sleep: async () => undefined, backoffMs: [1] });
}

describe('WalletClient', () => {
  beforeEach(() => fakeBrowser.reset());

  it('should call the wallet URL from the settings', async () => {
    await settingsItem.setValue({ walletUrl: 'https://wallet.test:9999' });
    const seen: string[] = [];
    const c = new WalletClient({
      fetch: (async (url: string) => {
        seen.push(url);
        return json(200, { botHandle: 'SMoneyfr' });
      }) as unknown as typeof fetch,
    });
    expect(await c.config()).toMatchObject({ ok: true, value: { botHandle: 'SMoneyfr' } });
    expect(seen).toEqual(['https://wallet.test:9999/v1/config']);
  });

  it('should sign in, store the tokens bound to the account, and send the access token', async () => {
    const fake = fakeAuth();
    const c = client(fake.fetch);
    expect(await c.login('a@example.test', 'wrong')).toMatchObject({ ok: false, code: 'unauthorized' });
    expect(await tokensItem.getValue()).toBeNull();
    expect(await c.login('a@example.test', 'correct horse')).toMatchObject({ ok: true, value: ME });
    expect(await tokensItem.getValue()).toMatchObject({
      accessToken: 'A1',
      refreshToken: 'R1',
      accountId: 'acc-1',
    });
    expect(fake.calls.at(-1)?.headers.authorization).toBe('Bearer A1');
  });

  it('should answer signed_out without a session and without calling the server', async () => {
    const fake = fakeAuth();
    expect(await client(fake.fetch).me()).toEqual({ ok: false, code: 'signed_out', status: null });
    expect(fake.calls).toHaveLength(0);
  });

  it('should refresh once on a 401 and retry with the new token', async () => {
    const fake = fakeAuth();
    const c = client(fake.fetch);
    await c.login('a@example.test', 'correct horse');
    fake.expireAccess();
    expect(await c.me()).toMatchObject({ ok: true, value: ME });
    expect(fake.refreshes()).toBe(1);
    expect(await tokensItem.getValue()).toMatchObject({
      accessToken: 'A2',
      refreshToken: 'R2',
      accountId: 'acc-1',
    });
  });

  it('should refresh ahead of expiry without a failed request', async () => {
    const fake = fakeAuth();
    let now = 1_000_000;
    const c = client(fake.fetch, () => now);
    await c.login('a@example.test', 'correct horse');
    now += 900_000; // the access token's lifetime has passed
    const before = fake.calls.length;
    expect(await c.me()).toMatchObject({ ok: true });
    expect(fake.calls.slice(before).map((x) => x.path)).toEqual(['/v1/auth/refresh', '/v1/me']);
  });

  it('should run one refresh for concurrent 401s', async () => {
    const fake = fakeAuth();
    const c = client(fake.fetch);
    await c.login('a@example.test', 'correct horse');
    fake.expireAccess();
    const results = await Promise.all([c.me(), c.me(), c.me(), c.me()]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(fake.refreshes()).toBe(1);
  });

  it('should sign out (tokens cleared) when the refresh is refused', async () => {
    const fake = fakeAuth();
    const c = client(fake.fetch);
    await c.login('a@example.test', 'correct horse');
    fake.revoke();
    expect(await c.me()).toEqual({ ok: false, code: 'signed_out', status: null });
    expect(await tokensItem.getValue()).toBeNull();
  });

  it('should keep the tokens when the refresh fails on the network', async () => {
    let offline = false;
    const fake = fakeAuth();
    const flaky = (async (url: RequestInfo | URL, init?: RequestInit) => {
      if (offline) throw new TypeError('offline');
      return fake.fetch(url, init);
    }) as typeof fetch;
    const c = client(flaky);
    await c.login('a@example.test', 'correct horse');
    fake.expireAccess();
    offline = true;
    // the 401 cannot even be seen: the request itself fails
    expect(await c.me()).toMatchObject({ ok: false, code: 'network' });
    expect(await tokensItem.getValue()).not.toBeNull();
  });

  it('should revoke the session on logout and forget the tokens', async () => {
    const fake = fakeAuth();
    const c = client(fake.fetch);
    await c.login('a@example.test', 'correct horse');
    await c.logout();
    expect(fake.calls.at(-1)).toMatchObject({ method: 'POST', path: '/v1/auth/logout' });
    expect(await tokensItem.getValue()).toBeNull();
  });

  it('should never send the tokens to another wallet server: a changed URL means signed out', async () => {
    const fake = fakeAuth();
    const c = client(fake.fetch);
    await c.login('a@example.test', 'correct horse');
    expect(await tokensItem.getValue()).toMatchObject({ walletUrl: 'http://127.0.0.1:8787' });
    await settingsItem.setValue({ walletUrl: 'https://evil.example' });
    const before = fake.calls.length;
    expect(await c.me()).toEqual({ ok: false, code: 'signed_out', status: null });
    expect(await c.hasSession()).toBe(false);
    expect(fake.calls.length).toBe(before);
    expect(await tokensItem.getValue()).toBeNull();
  });
});

describe('WalletClient against a forged wallet URL (red team)', () => {
  beforeEach(() => fakeBrowser.reset());

  it('should not send a password to a wallet server the user never granted', async () => {
    // A content script can write storage.local: it points the wallet at its own server…
    await settingsItem.setValue({ walletUrl: 'https://evil.example' });
    const fake = fakeAuth();
    const contains = vi.spyOn(fakeBrowser.permissions, 'contains').mockResolvedValue(false);
    expect(await client(fake.fetch).login('a@example.test', 'correct horse')).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(contains).toHaveBeenCalledWith({ origins: ['https://evil.example/*'] });
    expect(fake.calls).toEqual([]);
    expect(await tokensItem.getValue()).toBeNull();
  });

  it('should sign in to a server the user granted in the options', async () => {
    await settingsItem.setValue({ walletUrl: 'https://wallet.example' });
    const fake = fakeAuth();
    vi.spyOn(fakeBrowser.permissions, 'contains').mockResolvedValue(true);
    expect(await client(fake.fetch).login('a@example.test', 'correct horse')).toMatchObject({ ok: true });
    expect(fake.calls[0]).toMatchObject({ method: 'POST', path: '/v1/auth/login' });
  });
});

describe('WalletClient: opening a wallet and adding money', () => {
  beforeEach(() => fakeBrowser.reset());

  /** A wallet where `taken@example.test` already has a wallet, with the password `their password`. */
  function wallet(opts: { createFails?: 'network' | 'server' } = {}) {
    const accounts = new Map<string, string>([['taken@example.test', 'their password']]);
    let creates = 0;
    const fake = createFakeFetch({
      'POST /v1/accounts': (c) => {
        creates++;
        const b = c.body as { email: string; password: string };
        if (opts.createFails === 'server') return problem(503, 'internal');
        if (accounts.has(b.email))
          return problem(409, 'conflict', 'An account with this email address already exists.');
        accounts.set(b.email, b.password);
        if (opts.createFails === 'network') throw new TypeError('Failed to fetch');
        return json(201, { ...ME, email: b.email });
      },
      'POST /v1/auth/login': (c) => {
        const b = c.body as { email: string; password: string };
        return accounts.get(b.email) === b.password
          ? json(200, { accessToken: 'A1', refreshToken: 'R1', tokenType: 'Bearer', expiresIn: 900 })
          : problem(401, 'unauthorized');
      },
      'GET /v1/me': () => json(200, ME),
      'POST /v1/me/top-ups': (c) =>
        c.headers['idempotency-key'] === 'card-key'
          ? json(202, {
              topUp: { id: 'tu_1', status: 'pending' },
              checkoutUrl: 'https://checkout.stripe.com/c/pay/cs_1',
            })
          : json(201, { ...ME, balance: { availableCents: 2100, heldCents: 0 } }),
      'GET /v1/me/top-ups': () => problem(404, 'not_found'),
    });
    return { ...fake, creates: () => creates };
  }

  it('should open a wallet, then sign in with it', async () => {
    const w = wallet();
    const me = await client(w.fetch).signUp({
      email: 'new@example.test',
      password: 'a long passphrase',
      displayName: 'N',
    });
    expect(me.ok).toBe(true);
    expect(await tokensItem.getValue()).toMatchObject({ accessToken: 'A1', accountId: 'acc-1' });
    expect(w.calls.find((c) => c.path === '/v1/accounts')?.body).toEqual({
      email: 'new@example.test',
      password: 'a long passphrase',
      displayName: 'N',
      kind: 'person',
    });
  });

  it('should say "taken" for an address with another password, and sign in when the password is theirs', async () => {
    const w = wallet();
    const taken = await client(w.fetch).signUp({
      email: 'taken@example.test',
      password: 'not theirs!!',
      displayName: 'T',
    });
    expect(taken).toMatchObject({ ok: false, code: 'conflict' });
    expect(await tokensItem.getValue()).toBeNull();
    const same = await client(w.fetch).signUp({
      email: 'taken@example.test',
      password: 'their password',
      displayName: 'T',
    });
    expect(same.ok).toBe(true);
  });

  it('should never send the creation twice by itself; a lost answer is found by signing in', async () => {
    const lost = wallet({ createFails: 'network' });
    const me = await client(lost.fetch).signUp({
      email: 'new@example.test',
      password: 'a long passphrase',
      displayName: 'N',
    });
    // The account was made but its answer lost: one attempt, then signed in with it.
    expect(lost.creates()).toBe(1);
    expect(me.ok).toBe(true);
    const down = wallet({ createFails: 'server' });
    expect(
      await client(down.fetch).signUp({
        email: 'x@example.test',
        password: 'a long passphrase',
        displayName: 'X',
      }),
    ).toMatchObject({
      ok: false,
      code: 'internal',
    });
    expect(down.creates()).toBe(1);
  });

  it('should tell a card top-up (Checkout page) from an instant one, and read no top-ups from an older wallet', async () => {
    const w = wallet();
    const c = client(w.fetch);
    await c.login('taken@example.test', 'their password');
    const card = await c.topUp(2000, 'card-key');
    expect(card).toMatchObject({
      ok: true,
      value: { kind: 'card', checkout: { checkoutUrl: 'https://checkout.stripe.com/c/pay/cs_1' } },
    });
    const instant = await c.topUp(2000, 'other-key');
    expect(instant).toMatchObject({
      ok: true,
      value: { kind: 'instant', me: { balance: { availableCents: 2100 } } },
    });
    expect(
      w.calls.filter((x) => x.path === '/v1/me/top-ups').map((x) => x.headers['idempotency-key']),
    ).toEqual(['card-key', 'other-key']);
    expect(await c.topUps()).toMatchObject({ ok: true, value: [] });
  });
});
