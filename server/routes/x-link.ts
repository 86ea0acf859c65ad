/** "Sign in with X": start a link (`POST /v1/me/x-link`) and X's redirect back (`GET /v1/x/callback`). */
import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../deps';
import { finishLink, LINK_STATE_MINUTES, startLink, type LinkFailure, type LinkResult } from '../x/oauth';
import { escapeHtml, page, PAGE_HEADERS, pageLang, type Lang } from '../x/pages';
import { bearer, json, problems, type App } from './common';

const XLinkSchema = z
  .object({
    authorizeUrl: z
      .string()
      .url()
      .openapi({
        description: `Send the user there (X's consent page). Valid once, for ${LINK_STATE_MINUTES} minutes.`,
      }),
  })
  .openapi('XLink');

const FAILURES: Record<LinkFailure, { status: 400 | 403 | 409 | 502 | 504; en: string; fr: string }> = {
  not_configured: {
    status: 403,
    en: 'Sign in with X is not set up on this wallet.',
    fr: 'La connexion avec X n’est pas configurée sur ce portefeuille.',
  },
  state_invalid: {
    status: 400,
    en: 'This link has expired or was already used. Start again from the extension.',
    fr: 'Ce lien a expiré ou a déjà servi. Recommencez depuis l’extension.',
  },
  denied: {
    status: 400,
    en: 'X did not authorize the link (you may have cancelled). Nothing was changed.',
    fr: 'X n’a pas autorisé la liaison (vous avez peut-être annulé). Rien n’a été modifié.',
  },
  code_rejected: {
    status: 400,
    en: 'X refused this sign-in (the code was already used or did not match). Start again from the extension.',
    fr: 'X a refusé cette connexion (code déjà utilisé ou non conforme). Recommencez depuis l’extension.',
  },
  x_timeout: {
    status: 504,
    en: 'X did not answer in time. Nothing was changed; try again in a moment.',
    fr: 'X n’a pas répondu à temps. Rien n’a été modifié ; réessayez dans un moment.',
  },
  x_unavailable: {
    status: 502,
    en: 'X is not available right now. Nothing was changed; try again in a moment.',
    fr: 'X n’est pas disponible pour le moment. Rien n’a été modifié ; réessayez dans un moment.',
  },
  conflict: {
    status: 409,
    en: 'This X account is already linked to another wallet.',
    fr: 'Ce compte X est déjà lié à un autre portefeuille.',
  },
  bot_account: {
    status: 403,
    en: 'This is the wallet’s bot account; it cannot be linked to a wallet.',
    fr: 'C’est le compte robot du portefeuille ; il ne peut pas être lié à un portefeuille.',
  },
};

export function linkPage(lang: Lang, r: LinkResult): { status: number; html: string } {
  if (r.ok) {
    const title = lang === 'fr' ? 'Compte X lié' : 'X account linked';
    const msg =
      lang === 'fr' ? `Lié en tant que @${escapeHtml(r.handle)}.` : `Linked as @${escapeHtml(r.handle)}.`;
    const claimed =
      r.claimed > 0
        ? `<p>${lang === 'fr' ? `${r.claimed} paiement(s) en attente crédité(s).` : `${r.claimed} waiting payment(s) credited.`}</p>`
        : '';
    const close =
      lang === 'fr'
        ? 'Vous pouvez fermer cet onglet et revenir à l’extension.'
        : 'You can close this tab and go back to the extension.';
    return {
      status: 200,
      html: page(
        lang,
        title,
        `<h1>${title}</h1><p class="ok" role="status">${msg}</p>${claimed}<p>${close}</p>`,
        'x-link-result',
      ),
    };
  }
  const f = FAILURES[r.reason];
  const title = lang === 'fr' ? 'Liaison du compte X impossible' : 'Could not link the X account';
  return {
    status: f.status,
    html: page(
      lang,
      title,
      `<h1>${title}</h1><p class="err" role="alert" data-reason="${r.reason}">${escapeHtml(f[lang])}</p>`,
      'x-link-result',
    ),
  };
}

export function registerXLinkRoutes(app: App, deps: Deps) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/me/x-link',
      tags: ['accounts'],
      security: bearer,
      description:
        'Starts "Sign in with X" for the signed-in account (OAuth 2.0 Authorization Code with PKCE). Open ' +
        '`authorizeUrl`; X sends the user back to `GET /v1/x/callback`, which links the X account and ' +
        'credits the payments waiting for it. `GET /v1/me` then shows the handle.',
      responses: { 200: json(XLinkSchema, 'Where to send the user'), ...problems(401, 403) },
    }),
    async (c) => c.json({ authorizeUrl: await startLink(deps, c.get('accountId')) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/x/callback',
      tags: ['accounts'],
      description:
        'Where X sends the user back after consent (`state` and `code`, or `error`). Answers a small HTML ' +
        'page (English or French) saying the link worked or why not; a `state` works once.',
      request: {
        query: z.object({
          state: z.string().max(200).optional(),
          code: z.string().max(2000).optional(),
          error: z.string().max(200).optional(),
        }),
      },
      responses: {
        200: { description: 'Linked', content: { 'text/html': { schema: z.string() } } },
        400: {
          description: 'Expired/used state, refused or bad code',
          content: { 'text/html': { schema: z.string() } },
        },
        403: {
          description: 'The bot account, or Sign in with X not configured',
          content: { 'text/html': { schema: z.string() } },
        },
        409: { description: 'Linked to another wallet', content: { 'text/html': { schema: z.string() } } },
        502: { description: 'X unavailable', content: { 'text/html': { schema: z.string() } } },
        504: { description: 'X too slow', content: { 'text/html': { schema: z.string() } } },
      },
    }),
    async (c) => {
      const params = new URL(c.req.url).searchParams;
      const result = await finishLink(deps, params);
      const { status, html } = linkPage(pageLang(c.req.header('accept-language')), result);
      return c.body(html, status as 200, PAGE_HEADERS);
    },
  );
}

/** `GET /claim`: the page the bot's invitations link to (what waits, how to receive it). */
export function claimPage(lang: Lang, claimDays: number): string {
  const t =
    lang === 'fr'
      ? {
          title: 'De l’argent vous attend',
          intro:
            'Quelqu’un vous a payé sur X avec Tweetez Payez. L’argent est gardé pour vous pendant ' +
            `${claimDays} jours ; passé ce délai, il retourne à l’expéditeur.`,
          how: 'Pour le recevoir :',
          steps: [
            'Installez l’extension Tweetez Payez dans Chrome ou Firefox.',
            'Ouvrez un portefeuille (une adresse e-mail et un mot de passe suffisent).',
            'Choisissez « Lier votre compte X » : les paiements qui vous attendent sont crédités aussitôt.',
          ],
          note: 'L’argent suit votre compte X, pas votre pseudo : même si vous en avez changé, il vous attend.',
        }
      : {
          title: 'Money is waiting for you',
          intro:
            'Someone paid you on X with Tweetez Payez. The money is kept for you for ' +
            `${claimDays} days; after that it goes back to the sender.`,
          how: 'To receive it:',
          steps: [
            'Install the Tweetez Payez extension in Chrome or Firefox.',
            'Open a wallet (an email address and a password are enough).',
            'Choose “Link your X account”: the payments waiting for you are credited at once.',
          ],
          note: 'The money follows your X account, not your handle: even if you changed it, it waits for you.',
        };
  return page(
    lang,
    t.title,
    `<h1>${t.title}</h1><p>${escapeHtml(t.intro)}</p><h2>${t.how}</h2><ol>${t.steps
      .map((s) => `<li>${escapeHtml(s)}</li>`)
      .join('')}</ol><p>${escapeHtml(t.note)}</p>`,
    'claim-page',
  );
}

export function registerClaimPage(app: App, deps: Deps) {
  app.get('/claim', (c) => {
    const q = c.req.query('lang');
    const lang = q === 'en' || q === 'fr' ? q : pageLang(c.req.header('accept-language'));
    return c.body(claimPage(lang, deps.config.claimDays), 200, PAGE_HEADERS);
  });
}
