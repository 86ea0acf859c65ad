/** Helpers for component tests (happy-dom): render into a fresh container with a chosen language. */
import { render, type ComponentChildren } from 'preact';
import { act } from 'preact/test-utils';
import { makeI18n, type Lang } from '../../utils/i18n';
import { I18nContext } from '../../components/i18n-context';

export function mount(ui: ComponentChildren, lang: Lang = 'en'): HTMLElement {
  const container = document.createElement('div');
  document.body.append(container);
  act(() => {
    render(<I18nContext.Provider value={makeI18n(lang)}>{ui}</I18nContext.Provider>, container);
  });
  return container;
}

export function byTestId(root: ParentNode, id: string): HTMLElement {
  const el = root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  if (!el) throw new Error(`no [data-testid="${id}"]`);
  return el;
}
