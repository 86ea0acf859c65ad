import { describe, expect, it } from 'vitest';
import {
  anyPayButtons,
  changedPlaces,
  DEFAULT_PAY_BUTTONS,
  sanitizePayButtons,
  togglePayButtons,
} from './pay-buttons';

describe('pay buttons setting', () => {
  it('is on everywhere by default, and for every malformed place', () => {
    expect(sanitizePayButtons(undefined)).toEqual({ posts: true, profiles: true });
    expect(sanitizePayButtons('off')).toEqual(DEFAULT_PAY_BUTTONS);
    expect(sanitizePayButtons({ posts: 'no', profiles: 0 })).toEqual({ posts: true, profiles: true });
    expect(sanitizePayButtons({ posts: false })).toEqual({ posts: false, profiles: true });
    expect(sanitizePayButtons({ posts: false, profiles: false })).toEqual({ posts: false, profiles: false });
  });

  it('the quick switch turns everything off while anything shows, else everything on', () => {
    expect(togglePayButtons({ posts: true, profiles: true })).toEqual({ posts: false, profiles: false });
    expect(togglePayButtons({ posts: false, profiles: true })).toEqual({ posts: false, profiles: false });
    expect(togglePayButtons({ posts: false, profiles: false })).toEqual({ posts: true, profiles: true });
    expect(anyPayButtons({ posts: false, profiles: true })).toBe(true);
    expect(anyPayButtons({ posts: false, profiles: false })).toBe(false);
  });

  it('names the places that changed', () => {
    expect(changedPlaces({ posts: true, profiles: true }, { posts: false, profiles: true })).toEqual([
      'posts',
    ]);
    expect(changedPlaces({ posts: true, profiles: false }, { posts: false, profiles: true })).toEqual([
      'posts',
      'profiles',
    ]);
    expect(changedPlaces(DEFAULT_PAY_BUTTONS, DEFAULT_PAY_BUTTONS)).toEqual([]);
  });
});
