import { describe, expect, it } from 'vitest';
import { isLocalWalletOrigin, originPattern } from './host-permission';

describe('originPattern', () => {
  it('should drop the port, which Firefox match patterns cannot carry', () => {
    expect(originPattern('https://wallet.example.com:8443')).toBe('https://wallet.example.com/*');
    expect(originPattern('http://127.0.0.1:8787')).toBe('http://127.0.0.1/*');
  });
  it('should keep the scheme and the host, and ignore the path', () => {
    expect(originPattern('https://wallet.example.com/base')).toBe('https://wallet.example.com/*');
    expect(originPattern('http://[::1]:9000')).toBe('http://[::1]/*');
  });
});

describe('isLocalWalletOrigin', () => {
  it('should accept a wallet on this machine over http, on any port', () => {
    expect(isLocalWalletOrigin('http://127.0.0.1:8787')).toBe(true);
    expect(isLocalWalletOrigin('http://localhost:45123')).toBe(true);
    expect(isLocalWalletOrigin('http://localhost')).toBe(true);
  });
  it('should refuse any other host or scheme', () => {
    expect(isLocalWalletOrigin('https://127.0.0.1:8787')).toBe(false);
    expect(isLocalWalletOrigin('http://127.0.0.2:8787')).toBe(false);
    expect(isLocalWalletOrigin('http://localhost.example.com')).toBe(false);
    expect(isLocalWalletOrigin('https://wallet.example.com')).toBe(false);
  });
});
