// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makePost, ME, type User } from '../../tests/fixtures/x/data';
import { findDrift } from '../../tests/fixtures/x/drift';
import { h, renderPostCellContent, renderProfileHeader, setDrift } from '../../tests/fixtures/x/render';
import { isPaused, parsePageHealthReport, readPageHealth } from './health';
import { statusFromPath } from './page';

const ALICE: User = { handle: 'alice', name: 'Alice Martin', id: '100000000000000001' };

function column(...children: HTMLElement[]): HTMLElement {
  const el = h(document, 'div', { 'data-testid': 'primaryColumn' }, ...children);
  document.body.append(el);
  return el;
}

const host = (variant: 'tweet' | 'profile') => h(document, 'div', { 'data-tweetez-payez': variant });

beforeEach(() => {
  document.body.replaceChildren();
  document.title = 'X';
});
afterEach(() => setDrift(null));

describe('readPageHealth / isPaused', () => {
  it('counts the posts by others a timeline shows, by their permalinks, whatever X renamed', () => {
    setDrift(findDrift('multi-everything'));
    column(...Array.from({ length: 14 }, (_, i) => renderPostCellContent(document, makePost(i), 'en')));
    const report = readPageHealth(document, '/home', ME.handle);
    // 14 posts, one of them the signed-in user's (index 4): 13 by others (permalinks are `/i/status/<id>` here).
    expect(report).toEqual({ posts: 13, postButtons: 0, profile: false, profileButton: false });
    expect(isPaused(report)).toBe(true);
  });

  it('is not paused when a post got its button, nor on a timeline of your own posts', () => {
    const posts = column(
      ...Array.from({ length: 4 }, (_, i) => renderPostCellContent(document, makePost(i), 'en')),
    );
    posts.querySelector('[role="group"]')!.append(host('tweet'));
    expect(isPaused(readPageHealth(document, '/home', ME.handle))).toBe(false);
    document.body.replaceChildren();
    const mine = { ...makePost(0), author: ME };
    column(
      renderPostCellContent(document, mine, 'en'),
      renderPostCellContent(document, { ...mine, id: '7' }, 'en'),
    );
    expect(readPageHealth(document, '/home', ME.handle).posts).toBe(0);
  });

  it("is paused on someone else's profile without its button, not on your own", () => {
    document.title = 'Alice Martin (@alice) / X';
    column(renderProfileHeader(document, ALICE, { own: false, following: false, lang: 'en' }));
    expect(isPaused(readPageHealth(document, '/alice', ME.handle))).toBe(true);
    document.querySelector('[data-testid="placementTracking"]')!.before(host('profile'));
    expect(isPaused(readPageHealth(document, '/alice', ME.handle))).toBe(false);
    document.body.replaceChildren();
    document.title = `Test Payer (@${ME.handle}) / X`;
    column(renderProfileHeader(document, ME, { own: true, following: false, lang: 'en' }));
    expect(readPageHealth(document, `/${ME.handle}`, ME.handle).profile).toBe(false);
    document.title = 'X';
    expect(readPageHealth(document, '/alice', ME.handle).profile).toBe(false); // not (yet) the profile's page
  });

  it('takes from the page only well-formed counts', () => {
    const ok = { posts: 3, postButtons: 0, profile: false, profileButton: false };
    expect(parsePageHealthReport(ok)).toEqual(ok);
    expect(parsePageHealthReport({ ...ok, posts: -1 })).toBeNull();
    expect(parsePageHealthReport({ ...ok, posts: 1.5 })).toBeNull();
    expect(parsePageHealthReport({ ...ok, profile: 'yes' })).toBeNull();
    expect(parsePageHealthReport({ ...ok, url: 'https://x.com/alice' })).toBeNull();
    expect(parsePageHealthReport(null)).toBeNull();
  });

  it('reads handle-less permalinks (/i/status/<id>) as status links', () => {
    expect(statusFromPath('/i/status/9')).toEqual({ handle: null, tweetId: '9' });
    expect(statusFromPath('/ivan/status/9')).toEqual({ handle: 'ivan', tweetId: '9' });
  });
});
