import { describe, expect, it } from 'vitest';
import { parseAmount } from '../../core/money';
import { checkWalletUrl, validateOptions, type OptionsForm } from './form';

const fr = (text: string) => parseAmount(text, 'fr');
const form = (over: Partial<OptionsForm> = {}): OptionsForm => ({
  walletUrl: 'https://wallet.example.com/',
  language: 'auto',
  defaultMode: 'tweet',
  presets: ['2', '5', '10', '20'],
  ...over,
});

describe('checkWalletUrl', () => {
  it('should accept http(s) URLs and normalize the trailing slash', () => {
    expect(checkWalletUrl(' https://wallet.example.com/ ')).toEqual({
      url: 'https://wallet.example.com',
      origin: 'https://wallet.example.com',
    });
    expect(checkWalletUrl('http://127.0.0.1:9000/api/')).toEqual({
      url: 'http://127.0.0.1:9000/api',
      origin: 'http://127.0.0.1:9000',
    });
    expect(checkWalletUrl('http://localhost:8787')?.origin).toBe('http://localhost:8787');
  });
  it('should refuse other schemes, credentials, queries and garbage', () => {
    for (const bad of [
      'ftp://x.org',
      'javascript:alert(1)',
      'https://u:p@x.org',
      'https://x.org/?a=1',
      // plain http only on this computer: a password and tokens never cross a network in clear
      'http://wallet.example.com',
      'http://192.168.1.10:8787',
      'http://127.0.0.1.evil.com',
      'http://localhost.evil.com',
      'http://[::1]:8787',
      'wallet',
      '',
    ]) {
      expect(checkWalletUrl(bad), bad).toBeNull();
    }
  });
});

describe('validateOptions', () => {
  it('should give sorted preset cents and the origin to ask permission for', () => {
    const r = validateOptions(form({ presets: ['10', '2,50', '', '7,5'] }), fr);
    expect(r).toEqual({
      ok: true,
      value: {
        walletUrl: 'https://wallet.example.com',
        origin: 'https://wallet.example.com',
        language: 'auto',
        defaultMode: 'tweet',
        presets: [250, 750, 1000],
      },
    });
  });
  it('should report each bad field on its own', () => {
    const r = validateOptions(form({ walletUrl: 'nope', presets: ['2', 'abc', '2,00', '300', '0'] }), fr);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.walletUrl).toBe('invalid');
    expect(r.errors.presets).toEqual([
      null,
      { code: 'parse', reason: 'not_a_number' },
      { code: 'duplicate' },
      { code: 'range' },
      { code: 'parse', reason: 'zero' },
    ]);
  });
  it('should require between 1 and 6 presets', () => {
    const none = validateOptions(form({ presets: ['', ' '] }), fr);
    expect(none.ok === false && none.errors.presetCount).toBe(true);
    const seven = validateOptions(form({ presets: ['1', '2', '3', '4', '5', '6', '7'] }), fr);
    expect(seven.ok === false && seven.errors.presetCount).toBe(true);
  });
});
