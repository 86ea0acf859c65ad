// @vitest-environment happy-dom
/**
 * The redundant signals of page.ts over every drift variant of the offline X pages (tests/fixtures/x/drift.ts):
 * never a wrong post or a wrong recipient, and at least 80 % of the payable posts keep a target and an action bar
 * when one marker changed. The same variants run against the built extension in Chromium (tests/e2e/drift.spec.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderComposer } from '../../tests/fixtures/x/composer';
import { makePost, ME, payeeOf, type User } from '../../tests/fixtures/x/data';
import { DRIFTS, findDrift, type Drift } from '../../tests/fixtures/x/drift';
import { h, renderPostCellContent, renderProfileHeader, setDrift } from '../../tests/fixtures/x/render';
import {
  findActionBar,
  findComposer,
  findDialogComposer,
  findInlineComposer,
  parsePost,
  postPayTarget,
  profileSlot,
} from './page';
import { POST } from './selectors';

const ALICE: User = { handle: 'alice', name: 'Alice Martin', id: '100000000000000001' };

function mountTimeline(drift: Drift | null, count: number) {
  setDrift(drift);
  const column = h(document, 'div', { 'data-testid': 'primaryColumn' });
  const posts = Array.from({ length: count }, (_, i) => makePost(i));
  for (const post of posts)
    column.append(h(document, 'div', {}, renderPostCellContent(document, post, 'en')));
  document.body.append(column);
  const articles = [...column.querySelectorAll('[data-fixture-post]')];
  return posts.map((post, i) => ({ post, article: articles[i] as Element }));
}

beforeEach(() => document.body.replaceChildren());
afterEach(() => setDrift(null));

describe('every drift variant: right post, right person, most buttons kept', () => {
  for (const drift of DRIFTS) {
    it(`${drift.name}: ${drift.change}`, () => {
      const rows = mountTimeline(drift, 60);
      let payable = 0;
      let placed = 0;
      // What the content script sees: every element any post marker matches, outermost first.
      for (const candidate of document.querySelectorAll(POST)) {
        const target = postPayTarget(candidate, ME.handle);
        if (!target) continue;
        const row = rows.find((r) => r.article === candidate);
        expect(row, `a target on something that is not a post (${drift.name})`).toBeDefined();
        expect(target).toEqual({ tweetId: row!.post.id, authorHandle: payeeOf(row!.post) });
        const bar = findActionBar(candidate);
        if (bar) expect(bar.closest('[data-fixture-post]')).toBe(candidate);
      }
      for (const { post, article } of rows) {
        if (!payeeOf(post)) continue;
        payable++;
        if (postPayTarget(article, ME.handle) && findActionBar(article)) placed++;
      }
      if (drift.single) expect(placed / payable, `${placed} of ${payable}`).toBeGreaterThanOrEqual(0.8);
    });
  }

  for (const drift of DRIFTS) {
    it(`${drift.name}: the profile header names the URL's handle or gets no slot`, () => {
      setDrift(drift);
      const column = h(document, 'div', { 'data-testid': 'primaryColumn' });
      column.append(renderProfileHeader(document, ALICE, { own: false, following: false, lang: 'en' }));
      document.body.append(column);
      const slot = profileSlot(document, '/alice');
      if (drift.single) expect(slot.kind).toBe('other');
      if (slot.kind === 'other') {
        expect(slot.handle).toBe('alice');
        expect(slot.anchor.querySelector('button')?.getAttribute('aria-label')).toBe('Follow @alice');
      }
      // A stale header that shows another handle: never a slot, whatever changed.
      document.body.replaceChildren();
      const stale = h(document, 'div', { 'data-testid': 'primaryColumn' });
      stale.append(
        renderProfileHeader(document, ALICE, {
          own: false,
          following: false,
          lang: 'en',
          shownHandle: 'mallory',
        }),
      );
      document.body.append(stale);
      expect(profileSlot(document, '/alice').kind).not.toBe('other');
    });
  }

  it('composer-testid: the editor is still found (its role and contenteditable)', () => {
    setDrift(findDrift('composer-testid'));
    document.body.append(
      renderComposer(document, {
        lang: 'en',
        buttonTestId: 'tweetButton',
        placeholder: 'p',
        buttonLabel: 'Post',
        onSubmit: () => undefined,
      }),
    );
    expect(document.querySelector('[data-testid^="tweetTextarea_"]')).toBeNull();
    expect(findComposer(document)?.getAttribute('contenteditable')).toBe('true');
  });
});

describe('signals that name the author must agree', () => {
  function plainPost(drift: string | null) {
    const [row] = mountTimeline(findDrift(drift), 1);
    return row!;
  }

  it('without User-Name, a permalink naming someone else means no target', () => {
    const { article } = plainPost('user-name-gone');
    expect(parsePost(article)?.authorHandle).toBe('alice');
    const link = article.querySelector('time')!.closest('a')!;
    link.setAttribute('href', link.getAttribute('href')!.replace('/alice/', '/mallory/'));
    expect(parsePost(article)).toBeNull();
  });

  it('without User-Name, a header that also shows another "@handle" means no target', () => {
    const { article } = plainPost('user-name-gone');
    const handleText = [...article.querySelectorAll('span')].find((s) => s.textContent === '@alice')!;
    handleText.after(h(document, 'span', {}, '@mallory'));
    expect(parsePost(article)).toBeNull();
  });

  it('a permalink without a handle needs the avatar to name the author', () => {
    const { article } = plainPost('permalink-no-handle');
    expect(parsePost(article)?.authorHandle).toBe('alice');
    for (const el of article.querySelectorAll(
      '[data-testid^="UserAvatar-Container-"], [data-testid="Tweet-User-Avatar"]',
    ))
      el.removeAttribute('data-testid');
    expect(parsePost(article)).toBeNull();
  });

  it('an avatar link naming someone else means no target', () => {
    const { article } = plainPost('avatars');
    expect(parsePost(article)?.authorHandle).toBe('alice');
    article.querySelector('a[aria-hidden="true"]')!.setAttribute('href', '/mallory');
    const [withTestIds] = mountTimeline(null, 1);
    withTestIds!.article
      .querySelector('[data-testid="Tweet-User-Avatar"] a')!
      .setAttribute('href', '/mallory');
    expect(parsePost(withTestIds!.article)).toBeNull();
  });

  it("without the avatar wrapper's test id, the avatar container and its link must still agree", () => {
    const unwrapped = () => {
      document.body.replaceChildren();
      const [row] = mountTimeline(null, 1);
      row!.article.querySelector('[data-testid="Tweet-User-Avatar"]')!.removeAttribute('data-testid');
      return row!.article;
    };
    expect(parsePost(unwrapped())?.authorHandle).toBe('alice');
    const otherContainer = unwrapped();
    otherContainer
      .querySelector('[data-testid^="UserAvatar-Container-"]')!
      .setAttribute('data-testid', 'UserAvatar-Container-mallory');
    expect(parsePost(otherContainer)).toBeNull();
    const otherLink = unwrapped();
    otherLink
      .querySelector('[data-testid^="UserAvatar-Container-"]')!
      .closest('a')!
      .setAttribute('href', '/mallory');
    expect(parsePost(otherLink)).toBeNull();
  });

  it('without <time>, status links of two different posts mean no target', () => {
    const { article } = plainPost('time-gone');
    expect(parsePost(article)?.tweetId).toBe(makePost(0).id);
    article.append(h(document, 'a', { href: '/alice/status/42' }, 'more'));
    expect(parsePost(article)).toBeNull();
  });

  it('the action bar is the row of action buttons even when another role=group comes after it', () => {
    const { article } = plainPost(null);
    const bar = findActionBar(article);
    bar!.parentElement!.append(h(document, 'div', { role: 'group' }, 'poll'));
    expect(findActionBar(article)).toBe(bar);
  });
});

describe('the composer, by its role when its test id changed', () => {
  it('tells the dialog editor from the inline one', () => {
    setDrift(findDrift('composer-testid'));
    const make = (testid: 'tweetButton' | 'tweetButtonInline') =>
      renderComposer(document, {
        lang: 'en',
        buttonTestId: testid,
        placeholder: 'p',
        buttonLabel: 'Post',
        onSubmit: () => undefined,
      });
    const column = h(document, 'div', { 'data-testid': 'primaryColumn' }, make('tweetButtonInline'));
    const layers = h(
      document,
      'div',
      { id: 'layers' },
      h(document, 'div', { role: 'dialog' }, make('tweetButton')),
    );
    document.body.append(column, layers); // the inline editor comes first in the document
    expect(findDialogComposer(document)?.closest('[role="dialog"]')).not.toBeNull();
    expect(findInlineComposer(document)?.closest('[role="dialog"]')).toBeNull();
    expect(findInlineComposer(document)).not.toBe(findDialogComposer(document));
  });
});
