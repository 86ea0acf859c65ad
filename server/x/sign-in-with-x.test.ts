/**
 * "Sign in with X" against the local stand-in for X: the happy path (claims credited at once), and every
 * way it can fail without writing anything: forged, replayed or expired state, a reused code, a PKCE
 * mismatch, a refusal, X down or too slow, an X account linked elsewhere, the bot's own account.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeX } from '../../tests/fake-x/server';
import {
  BOT_ID,
  setupWalletAndX,
  uniq,
  xid,
  type TestWallet,
  type User,
} from '../../tests/helpers/server-app';
import { X_AUTHORIZE_URL } from './config';

let w: TestWallet;
let fx: FakeX;
let close: () => Promise<void>;
beforeAll(async () => ({ w, fx, close } = await setupWalletAndX()));
afterAll(() => close());
beforeEach(() => {
  fx.set({ mode: 'ok' });
  w.deps.x = fx.walletConfig();
});

/** An X user known to the stand-in, who consents on the next authorize. */
function xUser(handle = uniq('x')) {
  const u = { id: xid(), username: handle };
  fx.users.set(u.id, u);
  fx.consentAs = u.id;
  return u;
}
const start = async (u: User) => {
  const r = await w.req('POST', '/v1/me/x-link', { token: u.tokens.accessToken });
  expect(r.status).toBe(200);
  return new URL(r.body.authorizeUrl as string);
};
/** Visits X's consent page; returns the callback path + query X redirects to. */
async function consent(authorizeUrl: URL): Promise<string> {
  const res = await fetch(authorizeUrl, { redirect: 'manual' });
  const location = new URL(res.headers.get('location')!);
  expect(location.origin + location.pathname).toBe('https://wallet.example/v1/x/callback');
  return location.pathname + location.search;
}
const callback = async (path: string, lang = 'en') => {
  const r = await w.req('GET', path, { headers: { 'accept-language': lang } });
  const reason = /data-reason="([a-z_]+)"/.exec(String(r.body))?.[1];
  return { status: r.status, html: String(r.body), reason, headers: r.headers };
};

describe('sign in with X', () => {
  it('links the X user X vouches for, and credits the payments waiting for them at once', async () => {
    const payer = await w.user({ balanceCents: 5_000 });
    const friend = await w.user({ linked: false });
    const x = xUser();
    const p = await w.pay(payer, { recipientHandle: x.username, amountCents: 1_500, mode: 'private' });
    expect(p.status).toBe('claimable');

    const url = await start(friend);
    expect(url.origin + url.pathname).toBe(`${fx.url}/i/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: fx.clientId,
      redirect_uri: 'https://wallet.example/v1/x/callback',
      scope: 'tweet.read users.read offline.access',
      code_challenge_method: 'S256',
    });
    const r = await callback(await consent(url));
    expect(r.status).toBe(200);
    expect(r.html).toContain(`Linked as @${x.username}`);
    expect(r.html).toContain('<html lang="en">');
    expect(r.headers.get('content-type')).toContain('text/html');
    const me = await w.me(friend);
    expect(me).toMatchObject({ xHandle: x.username, xUserId: x.id });
    expect(me.balance.availableCents).toBe(1_500);
  });

  it('speaks French to a French browser', async () => {
    const u = await w.user({ linked: false });
    const x = xUser();
    const r = await callback(await consent(await start(u)), 'fr-FR,fr;q=0.9,en;q=0.5');
    expect(r.html).toContain('<html lang="fr">');
    expect(r.html).toContain(`Lié en tant que @${x.username}`);
  });

  it('a replayed or forged state, or one over 10 minutes old, links nothing', async () => {
    const u = await w.user({ linked: false });
    xUser();
    const path = await consent(await start(u));
    expect((await callback(path)).status).toBe(200);
    const again = await callback(path);
    expect([again.status, again.reason]).toEqual([400, 'state_invalid']);

    const v = await w.user({ linked: false });
    xUser();
    const forged = new URL(await consent(await start(v)), 'https://wallet.example');
    forged.searchParams.set('state', 'forged-state');
    expect((await callback(forged.pathname + forged.search)).reason).toBe('state_invalid');
    const noState = new URL(forged);
    noState.searchParams.delete('state');
    expect((await callback(noState.pathname + noState.search)).reason).toBe('state_invalid');

    const late = await consent(await start(v));
    w.clock.advance(10 * 60_000 + 1_000);
    try {
      expect((await callback(late)).reason).toBe('state_invalid');
    } finally {
      w.clock.reset();
    }
    expect((await w.me(v)).xUserId).toBeNull();
  });

  it('a reused code and a PKCE mismatch are refused by X; nothing is linked', async () => {
    const u = await w.user({ linked: false });
    xUser();
    const first = new URL(await consent(await start(u)), 'https://wallet.example');
    expect((await callback(first.pathname + first.search)).status).toBe(200);

    const v = await w.user({ linked: false });
    xUser();
    const second = new URL(await consent(await start(v)), 'https://wallet.example');
    second.searchParams.set('code', first.searchParams.get('code')!);
    const reused = await callback(second.pathname + second.search);
    expect([reused.status, reused.reason]).toEqual([400, 'code_rejected']);

    // someone swapped the challenge on the way to X: the verifier the wallet holds no longer matches
    const url = await start(v);
    url.searchParams.set('code_challenge', 'A'.repeat(43));
    const mismatch = await callback(await consent(url));
    expect([mismatch.status, mismatch.reason]).toEqual([400, 'code_rejected']);
    expect((await w.me(v)).xUserId).toBeNull();
  });

  it('a refusal at X, X down, X too slow: a clear page, nothing written', async () => {
    const u = await w.user({ linked: false });
    fx.consentAs = undefined;
    const denied = await callback(await consent(await start(u)));
    expect([denied.status, denied.reason]).toEqual([400, 'denied']);

    xUser();
    let path = await consent(await start(u));
    fx.set({ mode: 'down' });
    const down = await callback(path);
    expect([down.status, down.reason]).toEqual([502, 'x_unavailable']);
    expect(down.html).toContain('Nothing was changed');

    fx.set({ mode: 'ok' });
    path = await consent(await start(u));
    fx.set({ mode: 'slow', slowMs: 60_000 });
    w.deps.x!.timeoutMs = 100;
    const slow = await callback(path);
    expect([slow.status, slow.reason]).toEqual([504, 'x_timeout']);

    fx.set({ mode: 'ok' });
    path = await consent(await start(u));
    fx.set({ mode: 'malformed' });
    expect((await callback(path)).reason).toBe('x_unavailable');
    expect((await w.me(u)).xUserId).toBeNull();
  });

  it('an X account linked to another wallet is a conflict; the bot’s account is never linkable', async () => {
    const owner = await w.user();
    const u = await w.user({ linked: false });
    fx.users.set(owner.xUserId, { id: owner.xUserId, username: owner.handle });
    fx.consentAs = owner.xUserId;
    const conflict = await callback(await consent(await start(u)));
    expect([conflict.status, conflict.reason]).toEqual([409, 'conflict']);
    expect((await w.me(u)).xUserId).toBeNull();
    expect((await w.me(owner)).xUserId).toBe(owner.xUserId);

    fx.consentAs = BOT_ID;
    const bot = await callback(await consent(await start(u)));
    expect([bot.status, bot.reason]).toEqual([403, 'bot_account']);
    expect((await w.me(u)).xUserId).toBeNull();
  });

  it('the handle comes from X: a wallet still showing it (renamed on X since) loses it', async () => {
    const stale = await w.user();
    const u = await w.user({ linked: false });
    const x = xUser(stale.handle); // another X user took the handle @stale gave up
    expect((await callback(await consent(await start(u)))).status).toBe(200);
    expect((await w.me(u)).xHandle).toBe(x.username);
    expect((await w.me(stale)).xHandle).toBeNull();
    expect((await w.me(stale)).xUserId).toBe(stale.xUserId);
  });

  it('POST /v1/me/x-link needs a signed-in user and a configured X app', async () => {
    expect((await w.req('POST', '/v1/me/x-link')).status).toBe(401);
    const u = await w.user({ linked: false });
    delete w.deps.x;
    const r = await w.req('POST', '/v1/me/x-link', { token: u.tokens.accessToken });
    expect([r.status, r.body.code]).toEqual([403, 'forbidden']);
    expect((await callback('/v1/x/callback?state=a&code=b')).reason).toBe('not_configured');
  });

  it('defaults to X’s real addresses and is in the OpenAPI document', async () => {
    expect(X_AUTHORIZE_URL).toBe('https://x.com/i/oauth2/authorize');
    const doc = (await w.req('GET', '/v1/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/me/x-link', '/v1/x/callback']));
  });

  it('the claim page the invitations link to explains what waits, in French or English', async () => {
    const fr = await w.req('GET', '/claim', { headers: { 'accept-language': 'fr' } });
    expect(fr.status).toBe(200);
    expect(fr.headers.get('content-type')).toContain('text/html');
    expect(fr.body).toContain('<html lang="fr">');
    expect(fr.body).toContain(`pendant ${w.deps.config.claimDays} jours`);
    expect(fr.body).toContain('Lier votre compte X');
    const en = await w.req('GET', '/claim?lang=en');
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('Money is waiting for you');
  });
});
