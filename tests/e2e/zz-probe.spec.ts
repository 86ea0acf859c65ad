import { test } from './fixtures';
test('probe', async ({ context, extensionId }) => {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/options.html`);
  await page.waitForTimeout(800);
  console.log(await page.evaluate(() => { const i = document.querySelector('#wallet-url')!; const cs = getComputedStyle(i); return [cs.fontSize, cs.fontFamily, getComputedStyle(i.parentElement!).fontSize]; }));
});
