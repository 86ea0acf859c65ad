/**
 * Tweet length as X counts it: twitter-text v3 ("weighted length"), re-implemented in ~2 KB instead of
 * bundling twitter-text (~21 KB gzipped for parseTweet alone, plus core-js). Held to twitter-text's
 * conformance cases (validate.yml) and, in the tests, to twitter-text itself on random text.
 *
 * Rules (config v3): NFC first; each URL counts 23; each emoji sequence counts 2; any other code point
 * counts 1 in U+0000–U+10FF, U+2000–U+200D, U+2010–U+201F, U+2032–U+2037, and 2 elsewhere.
 * Known approximations: emoji are RGI sequences of the running engine (twitter-text uses twemoji's
 * list); URLs without a protocol are recognised for common gTLDs and every two-letter ccTLD only.
 */

const URL_LENGTH = 23;

function codePointWeight(cp: number): 1 | 2 {
  return cp <= 0x10ff ||
    (cp >= 0x2000 && cp <= 0x200d) ||
    (cp >= 0x2010 && cp <= 0x201f) ||
    (cp >= 0x2032 && cp <= 0x2037)
    ? 1
    : 2;
}

// An emoji sequence (longest RGI match first), a keycap typed without VS16, or a lone pictograph
// (twemoji leaves text-style © and ® alone: they count 1).
// `v` flag (properties of strings): Chrome 112, Firefox 116, Node 20 — below our minimum versions.
const EMOJI = String.raw`\p{RGI_Emoji}|[#*0-9]\u20e3|[\p{Extended_Pictographic}--[\0-\u10ff]]\ufe0f?`;
const UNITS = new RegExp(`(${EMOJI})|[\\s\\S]`, 'gv');

const DOMAIN_CHAR = String.raw`[^\s\p{P}\p{Z}\p{C}\p{Sm}\p{Sc}]`;
const LABEL = String.raw`${DOMAIN_CHAR}(?:(?:${DOMAIN_CHAR}|[_-])*${DOMAIN_CHAR})?`;
const GTLDS =
  'com|net|org|edu|gov|mil|int|info|biz|name|pro|app|dev|xyz|online|site|shop|store|tech|blog|news|art|page|club|live|fun|top|cloud|email|link|media|social|world|today|asia|mobi|tel|travel|jobs|museum|aero|coop|cat|paris|bzh|ovh';
// A TLD: a listed gTLD, any two ASCII letters (ccTLDs, approximated) or an IDN TLD.
const TLD = String.raw`(?:${GTLDS}|[a-z]{2}|[^\x00-\x7f\s\p{P}\p{Z}\p{C}]{2,})(?![\p{L}\p{N}\p{M}_-])`;
// Path, query and fragment characters; "\"", "<", ">", "{", "}" and bidi controls end a URL.
const PATH = String.raw`(?:[/?#][\p{L}\p{N}\p{M}!*';:=+,.$/%#\[\]\-–_~|&@?()]*)?`;
const WITH_PROTOCOL = String.raw`https?://((?:${LABEL}\.)+${TLD})(?::\d{1,5})?${PATH}`;
// Without protocol: ASCII domain, not glued to a preceding ASCII word, @, $, #, dot or slash.
const WITHOUT_PROTOCOL = String.raw`(?<![A-Za-z0-9@＠$#＃._/:-])((?:[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?\.)+${TLD})${PATH}`;
const URLS = new RegExp(`${WITH_PROTOCOL}|${WITHOUT_PROTOCOL}`, 'giu');

/** Drops characters a URL cannot end with, keeping a ")" that closes a "(" inside it (Wikipedia). */
function trimUrl(url: string): string {
  let end = url.length;
  const ending = url.includes('?') ? /[\p{L}\p{N}\-_&=#/]/u : /[\p{L}\p{N}\p{M}\-_+=#/]/u;
  while (end > 0 && !ending.test(url[end - 1] ?? '')) {
    const head = url.slice(0, end - 1);
    if (url[end - 1] === ')' && head.split('(').length > head.split(')').length) break;
    end--;
  }
  return url.slice(0, end);
}

/** Punycode (RFC 3492) encoded length of a non-ASCII label, to apply DNS's 63-octet label limit. */
function punycodeLength(label: string): number {
  const cps = Array.from(label.toLowerCase(), (c) => c.codePointAt(0) ?? 0);
  const basic = cps.filter((c) => c < 0x80).length;
  let out = basic + (basic > 0 ? 1 : 0);
  let n = 128;
  let delta = 0;
  let bias = 72;
  let h = basic;
  while (h < cps.length) {
    const m = Math.min(...cps.filter((c) => c >= n));
    delta += (m - n) * (h + 1);
    n = m;
    for (const c of cps) {
      if (c < n) delta++;
      if (c !== n) continue;
      let q = delta;
      for (let k = 36; ; k += 36) {
        const t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
        if (q < t) break;
        out++;
        q = Math.floor((q - t) / (36 - t));
      }
      out++;
      // Bias adaptation (RFC 3492 §6.1).
      let d = h === basic ? Math.floor(delta / 700) : delta >> 1;
      d += Math.floor(d / (h + 1));
      let k = 0;
      while (d > 455) {
        d = Math.floor(d / 35);
        k += 36;
      }
      bias = k + Math.floor((36 * d) / (d + 38));
      delta = 0;
      h++;
    }
    delta++;
    n++;
  }
  return out;
}

function isValidHost(host: string): boolean {
  return host.split('.').every((label) => {
    if (label.startsWith('-') || label.endsWith('-')) return false;
    return /^\p{ASCII}*$/u.test(label) ? label.length <= 63 : 4 + punycodeLength(label) <= 63;
  });
}

/** [start, end) UTF-16 ranges of the URLs twitter-text would count as 23. */
function urlRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  for (const m of text.matchAll(URLS)) {
    const host = m[1] ?? m[2] ?? '';
    const raw = trimUrl(m[0]);
    if (isValidHost(host)) ranges.push([m.index, m.index + raw.length]);
  }
  return ranges;
}

/** The weighted length of `text` under twitter-text v3 rules (X's 280-character limit). */
export function weightedLength(text: string): number {
  const normalized = text.normalize('NFC');
  let length = 0;
  let from = 0;
  const count = (segment: string) => {
    for (const m of segment.matchAll(UNITS)) {
      length += m[1] !== undefined ? 2 : codePointWeight(m[0].codePointAt(0) ?? 0);
    }
  };
  for (const [start, end] of urlRanges(normalized)) {
    count(normalized.slice(from, start));
    length += URL_LENGTH;
    from = end;
  }
  count(normalized.slice(from));
  return length;
}
