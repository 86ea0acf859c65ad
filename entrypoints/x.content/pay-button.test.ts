// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { createPayHost, isOurHost, removePayHost, updatePayHost, type PayHostOptions } from './pay-button';

const options = (label: string, theme: PayHostOptions['theme'] = 'light'): PayHostOptions => ({
  variant: 'tweet',
  label,
  theme,
  onPress: () => null,
});

/** A cell of X's timeline in the page, holding `host` in its action bar. */
function mount(host: HTMLElement): HTMLElement {
  const cell = document.createElement('div');
  const bar = document.createElement('div');
  bar.append(host);
  cell.append(bar);
  document.body.append(cell);
  return cell;
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('createPayHost', () => {
  it('should reuse a host whose cell X unmounted, with the new label and theme', () => {
    const first = createPayHost(options('Pay @alice'));
    const cell = mount(first);
    cell.remove(); // X unmounted the cell
    const next = createPayHost(options('Pay @bob', 'dark'));
    expect(next).toBe(first);
    expect(next.isConnected).toBe(false);
    const other = mount(next); // inserted in its new post: out of the old cell
    expect(cell.contains(next)).toBe(false);
    expect(other.contains(next)).toBe(true);
    expect(next.getAttribute('data-theme')).toBe('dark');
    expect(isOurHost(next)).toBe(true);
  });

  it('should make a new host while the others are still in the page', () => {
    const first = createPayHost(options('Pay @alice'));
    mount(first);
    const next = createPayHost(options('Pay @bob'));
    expect(next).not.toBe(first);
    expect(first.isConnected).toBe(true);
  });

  it('should not reuse a host the script removed, nor one the page added attributes or children to', () => {
    const removed = createPayHost(options('Pay @alice'));
    mount(removed);
    removePayHost(removed);
    const marked = createPayHost(options('Pay @carol'));
    const cell = mount(marked);
    marked.setAttribute('title', 'Pay @mallory');
    const rethemed = createPayHost(options('Pay @dave'));
    cell.append(rethemed);
    rethemed.setAttribute('data-theme', 'neon');
    const filled = createPayHost(options('Pay @frank'));
    cell.append(filled);
    filled.append(document.createElement('span'));
    cell.remove();
    const made = [1, 2, 3].map(() => createPayHost(options('Pay @bob')));
    for (const host of made) {
      expect(host).not.toBe(removed);
      expect(host).not.toBe(marked);
      expect(host).not.toBe(rethemed);
      expect(host).not.toBe(filled);
    }
  });

  it('should keep a host up to date with the label and theme it is given', () => {
    const host = createPayHost(options('Pay @alice'));
    updatePayHost(host, { theme: 'dark' });
    expect(host.getAttribute('data-theme')).toBe('dark');
  });
});
