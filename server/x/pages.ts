/**
 * The wallet server's few HTML pages (the end of "Sign in with X", the claim page): small, in English and
 * French (from Accept-Language, French by default), accessible (language set, one heading, the outcome in
 * a live region, no script), and safe (everything interpolated is escaped; a strict CSP).
 */
export type Lang = 'fr' | 'en';

/** The reader's language: the first of Accept-Language that we speak, French otherwise. */
export function pageLang(acceptLanguage: string | undefined): Lang {
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0]!.trim().toLowerCase();
    if (tag.startsWith('fr')) return 'fr';
    if (tag.startsWith('en')) return 'en';
  }
  return 'fr';
}

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** A whole page; `body` is trusted HTML built by the caller with `escapeHtml`. */
export function page(lang: Lang, title: string, body: string, testId: string): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Tweetez Payez</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; padding: 2rem 1rem; color: #0f1419; background: #fff; }
  main { max-width: 36rem; margin: 0 auto; }
  h1 { font-size: 1.5rem; }
  a { color: #0b5cad; }
  .ok { color: #0b6b2e; } .err { color: #a4161a; }
  @media (prefers-color-scheme: dark) { body { color: #e7e9ea; background: #15202b; } a { color: #8ec5ff; }
    .ok { color: #7ee2a8; } .err { color: #ffb3b3; } }
</style>
</head>
<body>
<main data-testid="${testId}">
${body}
</main>
</body>
</html>`;
}
