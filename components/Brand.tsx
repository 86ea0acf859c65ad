import type { ComponentChildren } from 'preact';
import { useI18n } from './i18n-context';

/** The header of every extension page: the mark and name, with optional actions on the right. */
export function Brand({ children, title }: { children?: ComponentChildren; title?: string }) {
  const { t } = useI18n();
  return (
    <header class="topbar">
      <h1 class="brand">
        <span class="brand__mark" aria-hidden="true">
          €
        </span>
        {title ?? t('appName')}
      </h1>
      {children && <div class="row">{children}</div>}
    </header>
  );
}

export function Spinner() {
  const { t } = useI18n();
  return (
    <div class="center" role="status" data-testid="loading">
      <span class="spinner" aria-hidden="true" />
      {t('loading')}
    </div>
  );
}
