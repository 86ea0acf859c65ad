// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { byTestId, mount } from '@/tests/helpers/render';
import { parseAmount } from '@/core/money';
import type { ValidOptions } from './form';
import { App } from './App';

async function flush() {
  await act(async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  });
}

function open(requestOrigin: (origin: string) => Promise<boolean>) {
  const save = vi.fn(async (_: ValidOptions) => {});
  const root = mount(
    <App
      initial={{
        walletUrl: 'http://127.0.0.1:8787',
        language: 'auto',
        defaultMode: 'tweet',
        presets: ['2', '5'],
      }}
      parseAmount={(text) => parseAmount(text, 'en')}
      requestOrigin={requestOrigin}
      save={save}
    />,
  );
  return { root, save };
}

function type(input: HTMLElement, value: string) {
  act(() => {
    (input as HTMLInputElement).value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

describe('options page', () => {
  afterEach(() => {
    render(null, document.body);
    document.body.innerHTML = '';
  });

  it('should ask for the new server origin during the click and save once granted', async () => {
    const requestOrigin = vi.fn(async () => true);
    const { root, save } = open(requestOrigin);
    type(byTestId(root, 'wallet-url'), 'https://wallet.example.com/api/');
    act(() => byTestId(root, 'save').click());
    // Synchronously in the click handler: the browser only prompts during a user gesture.
    expect(requestOrigin).toHaveBeenCalledWith('https://wallet.example.com');
    await flush();
    expect(save).toHaveBeenCalledWith({
      walletUrl: 'https://wallet.example.com/api',
      origin: 'https://wallet.example.com',
      language: 'auto',
      defaultMode: 'tweet',
      presets: [200, 500],
    });
    expect(byTestId(root, 'save-status').textContent).toBe('Settings saved.');
  });

  it('should keep the old server when the permission is refused', async () => {
    const { root, save } = open(async () => false);
    type(byTestId(root, 'wallet-url'), 'https://wallet.example.com');
    act(() => byTestId(root, 'save').click());
    await flush();
    expect(save).not.toHaveBeenCalled();
    expect(byTestId(root, 'save-status').textContent).toContain('https://wallet.example.com was refused');
  });

  it('should add and remove presets within 1 to 6', async () => {
    const { root } = open(async () => true);
    for (let i = 0; i < 4; i++) act(() => byTestId(root, 'add-preset').click());
    expect(root.querySelectorAll('[data-testid^="preset-field-"]')).toHaveLength(6);
    expect(root.querySelector('[data-testid="add-preset"]')).toBeNull();
  });
});
