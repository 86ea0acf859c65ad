/**
 * The off switch of the Pay buttons on X: one setting per place (posts, profiles), both on by default. It lives in
 * `storage.local` under its own key, apart from the other settings, because the content script reads it and
 * watches it (`storage.onChanged`) to remove or add its buttons at once. It is a display preference, not a secret
 * and not a permission: whoever can write it can only hide or show buttons.
 */

export type PayButtonPlace = 'posts' | 'profiles';

export interface PayButtonsSetting {
  posts: boolean;
  profiles: boolean;
}

/** The key in `storage.local` (WXT's `local:payButtons`). */
export const PAY_BUTTONS_KEY = 'payButtons';

export const DEFAULT_PAY_BUTTONS: Readonly<PayButtonsSetting> = Object.freeze({
  posts: true,
  profiles: true,
});

/** A stored value read safely: every missing or malformed place is on (the default). */
export function sanitizePayButtons(raw: unknown): PayButtonsSetting {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  return {
    posts: typeof r.posts === 'boolean' ? r.posts : DEFAULT_PAY_BUTTONS.posts,
    profiles: typeof r.profiles === 'boolean' ? r.profiles : DEFAULT_PAY_BUTTONS.profiles,
  };
}

/** The popup's quick switch reads "on" while buttons show anywhere. */
export function anyPayButtons(s: PayButtonsSetting): boolean {
  return s.posts || s.profiles;
}

/** The popup's quick switch: everything off when anything shows, else everything on. */
export function togglePayButtons(s: PayButtonsSetting): PayButtonsSetting {
  const on = !anyPayButtons(s);
  return { posts: on, profiles: on };
}

/** The places whose state differs between two settings. */
export function changedPlaces(before: PayButtonsSetting, after: PayButtonsSetting): PayButtonPlace[] {
  return (['posts', 'profiles'] as const).filter((p) => before[p] !== after[p]);
}
