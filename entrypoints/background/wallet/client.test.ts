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
