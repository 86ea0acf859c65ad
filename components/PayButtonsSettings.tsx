/** The off switch of the Pay buttons on X: two checkboxes in the options, one quick switch in the popup. */
import type { PayButtonPlace, PayButtonsSetting } from '@/utils/pay-buttons';
import { anyPayButtons, togglePayButtons } from '@/utils/pay-buttons';
import { useI18n } from './i18n-context';

/** Options: "Show Pay buttons on posts" / "… on profiles"; each change applies (and is saved) at once. */
export function PayButtonsFieldset(props: {
  value: PayButtonsSetting;
  onChange: (next: PayButtonsSetting) => void;
}) {
  const { t } = useI18n();
  const box = (place: PayButtonPlace, label: string) => (
    <label class="check">
      <input
        type="checkbox"
        data-testid={place === 'posts' ? 'show-pay-posts' : 'show-pay-profiles'}
        checked={props.value[place]}
        onChange={(e) => props.onChange({ ...props.value, [place]: e.currentTarget.checked })}
      />
      <span>{label}</span>
    </label>
  );
  return (
    <fieldset aria-describedby="pay-buttons-hint">
      <legend>{t('options.payButtons')}</legend>
      <div class="stack" style={{ gap: '6px' }}>
        {box('posts', t('options.showPayPosts'))}
        {box('profiles', t('options.showPayProfiles'))}
      </div>
      <p id="pay-buttons-hint" class="muted">
        {t('options.payButtonsHint')}
      </p>
    </fieldset>
  );
}

/** Popup: "Pay buttons on X: on/off" — off hides them everywhere, on shows them everywhere. */
export function PayButtonsToggle(props: {
  value: PayButtonsSetting;
  onChange: (next: PayButtonsSetting) => void;
}) {
  const { t } = useI18n();
  const on = anyPayButtons(props.value);
  return (
    <button
      type="button"
      role="switch"
      class="switch"
      aria-checked={on}
      data-testid="pay-buttons-toggle"
      onClick={() => props.onChange(togglePayButtons(props.value))}
    >
      <span class="switch__label">{t('popup.payButtons')}</span>
      <span class="switch__state" aria-hidden="true">
        {on ? t('popup.on') : t('popup.off')}
      </span>
    </button>
  );
}
