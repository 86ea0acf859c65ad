/**
 * fill-composer: on `fillComposer({ text, replyToTweetId? })` from the background (after a confirmed tweet-mode
 * payment), open the right composer in this X tab, fill it and verify it (utils/x/fill.ts). Never submits: the
 * user posts. Which composer:
 * - a reply (`replyToTweetId`): the reply box when this tab shows that post; else the post's own Reply button
 *   when the post is on screen (X opens its reply modal); else none;
 * - a new post: the compose modal if it is open and empty, else X's "Post" button in the side nav opens it.
 * A composer that already holds text (the user's draft) is never overwritten.
 *
 * Outcome: `{ ok: true, method: 'paste' | 'execCommand' }`, or `{ ok: false, code: 'no_composer' | 'verify_failed'
 * | 'invalid_request' }`. On `no_composer` / `verify_failed` the BACKGROUND opens X's web intent
 * `https://x.com/intent/post?text=…(&in_reply_to=…)` in a new tab (entrypoints/background/fill.ts); this script
 * never navigates the page away (the user's place and drafts stay) and leaves no half-filled composer.
 */
import { browser } from 'wxt/browser';
import { TWEET_ID_RE } from '../../core/x-ids';
import type { FillComposerData, MessageReply } from '../../utils/messaging';
import { fillEditor, isEmptyEditor, waitFor } from '../../utils/x/fill';
import type { ScriptContext } from '../../utils/x/lifecycle';
import {
  findDialogComposer,
  findInlineComposer,
  findPostById,
  findReplyButton,
  statusFromPath,
} from '../../utils/x/page';
import { NEW_POST_LINK } from '../../utils/x/selectors';
import { guardFilledComposer } from './composer-guard';

type Reply = MessageReply<'fillComposer'>;

/** Longest text accepted (a tweet is ≤ 280 weighted characters; this only bounds garbage). */
const MAX_TEXT = 2000;
/** How long X gets to open a composer after we asked for one. */
const OPEN_TIMEOUT_MS = 3000;

function parse(data: unknown): FillComposerData | null {
  if (!data || typeof data !== 'object') return null;
  const { text, replyToTweetId } = data as Record<string, unknown>;
  if (typeof text !== 'string' || !text.trim() || text.length > MAX_TEXT) return null;
  if (replyToTweetId === undefined || replyToTweetId === null) return { text };
  if (typeof replyToTweetId !== 'string' || !TWEET_ID_RE.test(replyToTweetId)) return null;
  return { text, replyToTweetId };
}

const emptyOrNull = (editor: HTMLElement | null) => (editor && isEmptyEditor(editor) ? editor : null);

/** Clicks `button` (X's own control) and waits for an empty dialog composer. */
async function openDialogWith(button: HTMLElement | null): Promise<HTMLElement | null> {
  if (!button) return null;
  const before = findDialogComposer(document);
  button.click();
  let found: HTMLElement | null = null;
  await waitFor(() => {
    const editor = findDialogComposer(document);
    found = editor && editor !== before ? emptyOrNull(editor) : null;
    return !!found;
  }, OPEN_TIMEOUT_MS);
  return found;
}

async function openComposer({ replyToTweetId }: FillComposerData): Promise<HTMLElement | null> {
  if (replyToTweetId) {
    if (statusFromPath(location.pathname)?.tweetId === replyToTweetId) {
      const inline = emptyOrNull(findInlineComposer(document));
      if (inline) return inline;
    }
    const post = findPostById(document, replyToTweetId);
    return openDialogWith(post && findReplyButton(post));
  }
  const open = emptyOrNull(findDialogComposer(document));
  return open ?? openDialogWith(document.querySelector<HTMLElement>(NEW_POST_LINK));
}

async function fill(data: unknown): Promise<Reply> {
  const request = parse(data);
  if (!request) return { ok: false, code: 'invalid_request' };
  const editor = await openComposer(request);
  if (!editor) return { ok: false, code: 'no_composer' };
  const method = await fillEditor(editor, request.text);
  if (!method) return { ok: false, code: 'verify_failed' };
  guardFilledComposer(editor, request.text);
  return { ok: true, method };
}

/** Answers the background's `fillComposer` messages in this tab. */
export function fillComposer(ctx: ScriptContext): void {
  let busy: Promise<Reply> | null = null;
  const listener = (message: unknown, sender: { id?: string }): Promise<Reply> | undefined => {
    if (!message || typeof message !== 'object' || (message as { type?: unknown }).type !== 'fillComposer') {
      return undefined;
    }
    if (sender.id !== browser.runtime.id) return Promise.resolve({ ok: false, code: 'invalid_request' });
    // One fill at a time: a second request waits for the first (both target the same composer).
    const run = (busy ?? Promise.resolve()).then(() => fill((message as { data?: unknown }).data));
    busy = run.finally(() => {
      if (busy === run) busy = null;
    });
    return run;
  };
  browser.runtime.onMessage.addListener(listener);
  ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(listener));
}

/*
 * Manual test: 1. pay someone from a post in tweet mode and confirm  2. the reply box (post page) or X's reply
 * modal (timeline) holds the payment tweet, Post is enabled  3. nothing was posted until you press Post.
 */
