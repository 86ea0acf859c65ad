// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { dispatchPaste } from './paste';

/** An editor that takes pastes the way Draft.js does: from `clipboardData` text/plain, then preventDefault. */
function editor(): { el: HTMLElement; pasted: string[] } {
  const el = document.createElement('div');
  el.contentEditable = 'true';
  document.body.append(el);
  const pasted: string[] = [];
  el.addEventListener('paste', (e) => {
    const text = e.clipboardData?.getData('text/plain');
    if (text) {
      pasted.push(text);
      e.preventDefault();
    }
  });
  return { el, pasted };
}

describe('dispatchPaste (Chromium path: a real DataTransfer)', () => {
  it('should hand the text, paragraphs included, to the paste listener', () => {
    const { el, pasted } = editor();
    const handled = !dispatchPaste(el, '@SMoneyfr #envoyer 5EUR @alice\n\nMerci !');
    expect(pasted).toEqual(['@SMoneyfr #envoyer 5EUR @alice\n\nMerci !']);
    expect(handled).toBe(true);
  });

  it('should bubble to ancestors and report an unhandled paste', () => {
    const parent = document.createElement('div');
    const child = document.createElement('span');
    parent.append(child);
    document.body.append(parent);
    const seen: string[] = [];
    parent.addEventListener('paste', (e) => seen.push(e.clipboardData?.getData('text/plain') ?? ''));
    expect(dispatchPaste(child, 'hello')).toBe(true);
    expect(seen).toEqual(['hello']);
  });
});
