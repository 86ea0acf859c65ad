/**
 * The extension in Firefox ESR (MV2 build), driven over WebDriver BiDi. One Firefox for the whole file:
 * launching it is the slow part.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchFirefox, type FirefoxWithExtension } from './firefox';

describe('Firefox extension', () => {
  let ff: FirefoxWithExtension;

  before(async () => {
    ff = await launchFirefox('.output/firefox-mv2');
  });
  after(async () => {
    await ff?.close();
  });

  it('should install as a temporary add-on with its gecko id', () => {
    assert.equal(ff.extensionId, 'tweetez-payez@tweetezpayez.example');
  });

  it('should render the popup', async () => {
    const popup = await ff.openExtensionPage('popup.html');
    await popup.waitForSelector('[data-testid="popup-root"]', { timeout: 10_000 });
    assert.equal(await popup.evaluate(() => document.title), 'Tweetez Payez');
    await popup.close();
  });
});
