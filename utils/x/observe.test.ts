// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { createScriptContext } from './lifecycle';
import { observe } from './observe';
import { POST, POST_QUICK } from './selectors';

/** A watcher of posts, with their quick marker (the `article` tag), and the posts it was called for, in order. */
function watch() {
  const ctx = createScriptContext(() => true);
  const seen: string[] = [];
  observe(ctx, POST, (el) => seen.push(el.id), { quick: POST_QUICK });
  return { ctx, seen };
}

/** Lets the observer's microtask run. */
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function cell(html: string): HTMLElement {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('observe', () => {
  it('should find the posts in an added subtree by the quick marker', async () => {
    const { ctx, seen } = watch();
    document.body.append(cell('<div><article id="a"><p>hi</p></article></div><article id="b"></article>'));
    await flush();
    expect(seen.sort()).toEqual(['a', 'b']);
    ctx.invalidate();
  });

  it('should find them by every marker when the subtree holds none with the quick one (X renamed the tag)', async () => {
    const { ctx, seen } = watch();
    document.body.append(
      cell(
        '<div role="article" id="a"></div><div data-testid="tweet" id="b"><span></span></div><div id="c"></div>',
      ),
    );
    await flush();
    expect(seen.sort()).toEqual(['a', 'b']);
    ctx.invalidate();
  });

  it('should look at the post around an element added inside it, whatever its marker', async () => {
    const post = cell('<div role="article" id="p"><div id="bar"></div></div>');
    document.body.append(post);
    const { ctx, seen } = watch();
    expect(seen).toEqual(['p']); // the posts already there
    document.getElementById('bar')!.append(document.createElement('span'));
    await flush();
    expect(seen).toEqual(['p', 'p']);
    ctx.invalidate();
  });

  it('should call nothing once the context has ended', async () => {
    const { ctx, seen } = watch();
    ctx.invalidate();
    document.body.append(cell('<article id="a"></article>'));
    await flush();
    expect(seen).toEqual([]);
  });
});
