/**
 * The content script's health check: does X's page clearly show posts or a profile that should carry Pay
 * buttons, while none could be placed? Pure (the document is a parameter) and cheap: one scoped query for
 * permalinks and one for our own hosts, run at most once per check interval, never per post.
 *
 * Only counts leave the content script (to the background, for the toolbar badge and the popup): no handle, no
 * URL, no text of the page.
 */
import { profileHandleFromPath } from './page';
import * as s from './selectors';

export interface PageHealthReport {
  /** Distinct posts by someone else the page shows (their status permalinks). */
  posts: number;
  /** Pay buttons in posts. */
  postButtons: number;
  /** The page is someone else's profile and shows its "@handle". */
  profile: boolean;
  /** That profile's Pay button is there. */
  profileButton: boolean;
}

/** How many posts by others must show before "no Pay button at all" means X changed its page. */
export const PAUSED_MIN_POSTS = 3;

/** True when the page shows what should carry Pay buttons and none could be placed. */
export function isPaused(report: PageHealthReport): boolean {
  return (
    (report.posts >= PAUSED_MIN_POSTS && report.postButtons === 0) ||
    (report.profile && !report.profileButton)
  );
}

const MAX_COUNT = 100_000;

/** The report as the background gets it from an untrusted page's content script, or null when malformed. */
export function parsePageHealthReport(data: unknown): PageHealthReport | null {
  if (!data || typeof data !== 'object') return null;
  const d = data as Record<string, unknown>;
  const count = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_COUNT;
  if (Object.keys(d).length !== 4 || !count(d.posts) || !count(d.postButtons)) return null;
  if (typeof d.profile !== 'boolean' || typeof d.profileButton !== 'boolean') return null;
  return {
    posts: d.posts as number,
    postButtons: d.postButtons as number,
    profile: d.profile,
    profileButton: d.profileButton,
  };
}

/**
 * What the page at `pathname` shows, for the signed-in `own` handle (null: unknown or logged out). Posts are
 * counted by their status permalinks (links to `/<handle>/status/<id>`, less those of the signed-in user's posts),
 * not by X's post markers, so that the count survives the changes that lose the buttons. A profile is shown when
 * the page's title names it, as X's titles do ("Name (@handle) / X").
 */
export function readPageHealth(doc: Document, pathname: string, own: string | null): PageHealthReport {
  const ids = new Set<string>();
  /** Posts a link says are the signed-in user's (a handle-less permalink does not say). */
  const mine = new Set<string>();
  const ownPath = own && `/${own.toLowerCase()}/`;
  for (const link of doc.querySelectorAll(s.STATUS_LINK)) {
    const href = link.getAttribute('href')?.toLowerCase() ?? '';
    const id = /\/status\/(\d+)/.exec(href)?.[1];
    if (id) (ownPath && href.includes(ownPath) ? mine : ids).add(id);
  }
  for (const id of mine) ids.delete(id);
  const handle = profileHandleFromPath(pathname)?.toLowerCase();
  return {
    posts: ids.size,
    postButtons: doc.querySelectorAll(s.PAY_HOST_TWEET).length,
    profile: !!handle && handle !== own?.toLowerCase() && doc.title.toLowerCase().includes(`(@${handle})`),
    profileButton: !!doc.querySelector(s.PAY_HOST_PROFILE),
  };
}
