// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { makePost, ME, type Post, type User } from '../../tests/fixtures/x/data';
import { renderComposer } from '../../tests/fixtures/x/composer';
import { h, renderPostCellContent, renderProfileHeader, userCell } from '../../tests/fixtures/x/render';
import {
  editorText,
  filledComposerState,
  findActionBar,
  findDialogComposer,
  findInlineComposer,
  findPostById,
  findPostButton,
  findReplyButton,
  handleFromHref,
  headerHandle,
  isPostButtonEnabled,
  ownHandle,
  pageLang,
  pageTheme,
  parsePost,
  postPayTarget,
  profileHandleFromPath,
  profileSlot,
  sameTarget,
  statusFromPath,
  visibleHandle,
} from './page';

const ALICE: User = { handle: 'alice', name: 'Alice Martin', id: '100000000000000001' };

/** The first post of the given kind in the fixture timeline. */
function postOfKind(kind: Post['kind']): Post {
  for (let i = 0; i < 100; i++) {
    const post = makePost(i);
    if (post.kind === kind) return post;
  }
  throw new Error(`no ${kind} post`);
}

/** Mounts a timeline cell for `post` in a primary column and returns its (outer) article. */
function mountPost(post: Post): Element {
  const column = h(document, 'div', { 'data-testid': 'primaryColumn' });
  column.append(
    h(document, 'div', { 'data-testid': 'cellInnerDiv' }, renderPostCellContent(document, post, 'en')),
  );
  document.body.append(column);
  return column.querySelector('article') as Element;
}

beforeEach(() => {
  document.body.replaceChildren();
  document.documentElement.lang = 'en';
  document.body.removeAttribute('style');
});

describe('handleFromHref / profileHandleFromPath / statusFromPath', () => {
  it('should read relative and absolute profile links and refuse X pages', () => {
    expect(handleFromHref('/alice')).toBe('alice');
    expect(handleFromHref('https://x.com/Bob_Builder')).toBe('Bob_Builder');
    expect(handleFromHref('/home')).toBeNull();
    expect(handleFromHref('/alice/status/1')).toBeNull();
    expect(handleFromHref('/waytoolonghandle_x')).toBeNull();
    expect(handleFromHref(null)).toBeNull();
  });

  it('should find the profile of a profile page and its tabs only', () => {
    expect(profileHandleFromPath('/alice')).toBe('alice');
    expect(profileHandleFromPath('/alice/media')).toBe('alice');
    expect(profileHandleFromPath('/alice/status/1')).toBeNull();
    expect(profileHandleFromPath('/explore')).toBeNull();
    expect(profileHandleFromPath('/i/bookmarks')).toBeNull();
  });

  it('should parse status permalinks', () => {
    expect(statusFromPath('/alice/status/123')).toEqual({ handle: 'alice', tweetId: '123' });
    expect(statusFromPath('/i/web/status/9')).toEqual({ handle: null, tweetId: '9' });
    expect(statusFromPath('/home/status/9')).toBeNull();
    expect(statusFromPath('/alice')).toBeNull();
  });
});

describe('parsePost / postPayTarget', () => {
  it('should give the id and author of a plain post', () => {
    const post = postOfKind('plain');
    expect(parsePost(mountPost(post))).toEqual({ tweetId: post.id, authorHandle: post.author.handle });
  });

  it('should pay the original author of a repost, not the reposter', () => {
    const post = postOfKind('repost');
    expect(post.reposter?.handle).not.toBe(post.author.handle);
    expect(postPayTarget(mountPost(post), ME.handle)).toEqual({
      tweetId: post.id,
      authorHandle: post.author.handle,
    });
  });

  it('should pay the quoting author, never the quoted one', () => {
    for (const kind of ['quote', 'unavailableQuote'] as const) {
      const post = postOfKind(kind);
      const article = mountPost(post);
      expect(post.quoted?.author.handle).not.toBe(post.author.handle);
      expect(postPayTarget(article, ME.handle)?.authorHandle).toBe(post.author.handle);
      expect(findActionBar(article)?.closest('article')).toBe(article);
    }
  });

  it('should refuse a quoted post shown as a nested article', () => {
    const article = mountPost(postOfKind('unavailableQuote'));
    const nested = article.querySelector('article article');
    expect(nested).not.toBeNull();
    expect(postPayTarget(nested as Element, ME.handle)).toBeNull();
  });

  it('should refuse a promoted post but not a post with a tracked video inside', () => {
    expect(postPayTarget(mountPost(postOfKind('promoted')), ME.handle)).toBeNull();
    const video = postOfKind('video');
    const article = mountPost(video);
    expect(article.querySelector('[data-testid="placementTracking"]')).not.toBeNull();
    expect(postPayTarget(article, ME.handle)?.authorHandle).toBe(video.author.handle);
  });

  it('should refuse your own post, whatever the case of the handle', () => {
    const article = mountPost(postOfKind('own'));
    expect(postPayTarget(article, ME.handle)).toBeNull();
    expect(postPayTarget(article, ME.handle.toUpperCase())).toBeNull();
  });

  it('should refuse a post whose avatar and author link disagree (fail closed)', () => {
    const article = mountPost(postOfKind('plain'));
    article
      .querySelector('[data-testid^="UserAvatar-Container-"]')
      ?.setAttribute('data-testid', 'UserAvatar-Container-mallory');
    expect(parsePost(article)).toBeNull();
  });

  it('should refuse a post whose permalink names another author', () => {
    const article = mountPost(postOfKind('plain'));
    article
      .querySelector('a[href*="/status/"]:not([href$="/analytics"])')
      ?.setAttribute('href', '/mallory/status/1');
    expect(parsePost(article)).toBeNull();
  });

  /** The post's "@handle" text node and its display name's, in its own User-Name block. */
  function authorTexts(article: Element): { name: Text; handle: Text } {
    const block = article.querySelector('[data-testid="User-Name"]') as Element;
    const texts: Text[] = [];
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) texts.push(n as Text);
    return {
      name: texts[0] as Text,
      handle: texts.find((t) => t.data.startsWith('@')) as Text,
    };
  }

  it('should refuse a post that shows another @handle than its links, avatar and permalink', () => {
    const article = mountPost(postOfKind('plain'));
    const { name, handle } = authorTexts(article);
    name.data = 'Alice Martin';
    handle.data = '@alicepays';
    expect(parsePost(article)).toBeNull();
  });

  it('should refuse a post whose links, avatar and permalink name someone the post does not show', () => {
    const post = postOfKind('plain');
    const article = mountPost(post);
    for (const a of article.querySelectorAll('a[href]')) {
      const href = a.getAttribute('href') as string;
      a.setAttribute('href', href.replace(new RegExp(`^/${post.author.handle}(?=/|$)`), '/mallory_pay'));
    }
    article
      .querySelector('[data-testid^="UserAvatar-Container-"]')
      ?.setAttribute('data-testid', 'UserAvatar-Container-mallory_pay');
    expect(parsePost(article)).toBeNull();
    // Rewritten everywhere, the post is consistently mallory_pay's: that is who it shows.
    authorTexts(article).handle.data = '@mallory_pay';
    expect(parsePost(article)?.authorHandle).toBe('mallory_pay');
  });

  it('should refuse a display name that shows another handle, or no "@handle" at all', () => {
    const post = postOfKind('plain');
    const article = mountPost(post);
    const { name, handle } = authorTexts(article);
    for (const shown of ['@mallory', 'Pay ＠mallory here', 'Alice (@mallory)', `@${post.author.handle}x`]) {
      name.data = shown;
      expect(parsePost(article), shown).toBeNull();
    }
    for (const fine of ['Eve @ work', 'mail me: a@b.fr', `Me (@${post.author.handle.toUpperCase()})`]) {
      name.data = fine;
      expect(parsePost(article)?.authorHandle, fine).toBe(post.author.handle);
    }
    handle.data = post.author.handle; // no at sign: no visible handle
    expect(parsePost(article)).toBeNull();
  });

  it('should compare targets by post and case-insensitive author', () => {
    expect(sameTarget({ tweetId: '1', authorHandle: 'Alice' }, { tweetId: '1', authorHandle: 'alice' })).toBe(
      true,
    );
    expect(sameTarget({ tweetId: '1', authorHandle: 'alice' }, { tweetId: '2', authorHandle: 'alice' })).toBe(
      false,
    );
    expect(sameTarget({ tweetId: '1', authorHandle: 'alice' }, null)).toBe(false);
  });

  it('should find a rendered post by id and its own Reply button', () => {
    const post = postOfKind('quote');
    const article = mountPost(post);
    expect(findPostById(document, post.id)).toBe(article);
    expect(findPostById(document, post.quoted!.id)).toBeNull();
    expect(findReplyButton(article)?.closest('article')).toBe(article);
  });
});

describe('visibleHandle', () => {
  it('should read the one "@handle" a User-Name block shows', () => {
    const block = h(
      document,
      'div',
      {},
      h(document, 'span', {}, 'Bob 🇫🇷'),
      h(document, 'span', {}, '@Bob_Builder'),
    );
    expect(visibleHandle(block)).toBe('Bob_Builder');
    block.append(h(document, 'span', {}, '@bob_builder'));
    expect(visibleHandle(block)).toBe('bob_builder'); // the same handle, whatever its case
    block.append(h(document, 'span', {}, '@mallory'));
    expect(visibleHandle(block)).toBeNull();
  });
});

describe('ownHandle / pageLang / pageTheme', () => {
  it('should read the signed-in handle from the nav, else the account switcher', () => {
    expect(ownHandle(document)).toBeNull();
    document.body.append(
      h(
        document,
        'div',
        { 'data-testid': 'SideNav_AccountSwitcher_Button' },
        h(document, 'div', { 'data-testid': 'UserAvatar-Container-tp_me' }),
      ),
    );
    expect(ownHandle(document)).toBe('tp_me');
    document.body.prepend(h(document, 'a', { 'data-testid': 'AppTabBar_Profile_Link', href: '/Real_Me' }));
    expect(ownHandle(document)).toBe('Real_Me');
  });

  it('should keep the nav link it found, and find it again once X replaced it', () => {
    const seen = { link: null as Element | null };
    expect(ownHandle(document, seen)).toBeNull();
    const first = h(document, 'a', { 'data-testid': 'AppTabBar_Profile_Link', href: '/first_me' });
    document.body.append(first);
    expect(ownHandle(document, seen)).toBe('first_me');
    expect(seen.link).toBe(first);
    first.setAttribute('href', '/switched_me'); // the same link, rewritten: read again
    expect(ownHandle(document, seen)).toBe('switched_me');
    first.remove();
    document.body.append(h(document, 'a', { 'data-testid': 'AppTabBar_Profile_Link', href: '/second_me' }));
    expect(ownHandle(document, seen)).toBe('second_me');
    seen.link?.removeAttribute('data-testid'); // no longer the nav's profile link: not trusted any more
    expect(ownHandle(document, seen)).toBeNull();
  });

  it('should take the language from the <html lang> prefix', () => {
    document.documentElement.lang = 'fr-CA';
    expect(pageLang(document)).toBe('fr');
    document.documentElement.lang = 'en-GB';
    expect(pageLang(document)).toBe('en');
  });

  it('should tell dark from light by the body background luminance', () => {
    document.body.style.backgroundColor = 'rgb(0, 0, 0)';
    expect(pageTheme(document)).toBe('dark');
    document.body.style.backgroundColor = 'rgb(5, 5, 5)';
    expect(pageTheme(document)).toBe('dark');
    document.body.style.backgroundColor = 'rgb(21, 32, 43)';
    expect(pageTheme(document)).toBe('dark');
    document.body.style.backgroundColor = 'rgb(255, 255, 255)';
    expect(pageTheme(document)).toBe('light');
  });
});

describe('profileSlot', () => {
  function mountProfile(user: User, opts: { own?: boolean; shownHandle?: string } = {}): Element {
    const column = h(document, 'div', { 'data-testid': 'primaryColumn' });
    column.append(
      renderProfileHeader(document, user, {
        own: !!opts.own,
        following: false,
        lang: 'en',
        shownHandle: opts.shownHandle,
      }),
    );
    // A Who-to-follow row below, with its own Follow button, must never be taken for the header's.
    column.append(userCell(document, { handle: 'frank', name: 'Frank', id: '100000000000000006' }, 'en'));
    document.body.append(column);
    return column;
  }

  it('should put the button before the Follow button wrapper of the profile in the URL', () => {
    mountProfile(ALICE);
    const slot = profileSlot(document, '/alice');
    expect(slot.kind).toBe('other');
    if (slot.kind !== 'other') return;
    expect(slot.handle).toBe('alice');
    expect(slot.anchor.getAttribute('data-testid')).toBe('placementTracking');
    expect(slot.anchor.querySelector('[data-testid$="-follow"]')?.getAttribute('data-testid')).toBe(
      `${ALICE.id}-follow`,
    );
    expect(headerHandle(document.querySelector('[data-testid="UserName"]')!)).toBe('alice');
  });

  it('should say "own" on your own profile and "none" elsewhere', () => {
    mountProfile(ME, { own: true });
    expect(profileSlot(document, `/${ME.handle}`)).toEqual({ kind: 'own' });
    expect(profileSlot(document, '/home')).toEqual({ kind: 'none' });
  });

  it('should refuse a header that names another handle than the URL', () => {
    mountProfile(ALICE, { shownHandle: 'mallory' });
    expect(profileSlot(document, '/alice')).toEqual({ kind: 'none' });
  });
});

describe('composer helpers', () => {
  function composer(testid: 'tweetButton' | 'tweetButtonInline', text = '') {
    return renderComposer(document, {
      lang: 'en',
      buttonTestId: testid,
      placeholder: 'p',
      buttonLabel: 'Post',
      onSubmit: () => undefined,
      initialText: text,
    });
  }

  it('should prefer the dialog composer and tell the inline one apart', () => {
    const column = h(document, 'div', { 'data-testid': 'primaryColumn' }, composer('tweetButtonInline'));
    const layers = h(
      document,
      'div',
      { id: 'layers' },
      h(document, 'div', { role: 'dialog' }, composer('tweetButton')),
    );
    document.body.append(layers, column);
    const inline = findInlineComposer(document);
    const dialog = findDialogComposer(document);
    expect(inline?.closest('[role="dialog"]')).toBeNull();
    expect(dialog?.closest('[role="dialog"]')).not.toBeNull();
    expect(findPostButton(dialog!)?.getAttribute('data-testid')).toBe('tweetButton');
    expect(findPostButton(inline!)?.getAttribute('data-testid')).toBe('tweetButtonInline');
  });

  it('should tell a filled composer that still holds its text from a changed or gone one', () => {
    const composer = renderComposer(document, {
      lang: 'en',
      buttonTestId: 'tweetButtonInline',
      placeholder: '',
      buttonLabel: 'Post',
      onSubmit: () => undefined,
      initialText: '@SMoneyfr #envoyer 5EUR @alice\nmerci',
    });
    document.body.append(composer);
    const editor =
      findInlineComposer(document) ?? (composer.querySelector('[contenteditable="true"]') as Element);
    expect(filledComposerState(editor, '@SMoneyfr #envoyer 5EUR @alice\r\nmerci')).toBe('same');
    expect(filledComposerState(editor, '@SMoneyfr #envoyer 249EUR @mallory_pay')).toBe('changed');
    composer.remove();
    expect(filledComposerState(editor, '@SMoneyfr #envoyer 5EUR @alice\nmerci')).toBe('gone');
  });

  it('should read Draft blocks as lines and the Post button state', () => {
    document.body.append(composer('tweetButton', '@SMoneyfr #envoyer 5EUR @alice\n\nMerci'));
    const editor =
      findDialogComposer(document) ?? document.querySelector<HTMLElement>('[data-testid^="tweetTextarea_"]')!;
    expect(editorText(editor)).toBe('@SMoneyfr #envoyer 5EUR @alice\n\nMerci');
    expect(isPostButtonEnabled(findPostButton(editor))).toBe(true);
    document.body.replaceChildren(composer('tweetButton'));
    const empty = document.querySelector<HTMLElement>('[data-testid^="tweetTextarea_"]')!;
    expect(editorText(empty)).toBe('');
    expect(isPostButtonEnabled(findPostButton(empty))).toBe(false);
  });
});
