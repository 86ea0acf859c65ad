#!/usr/bin/env node
/**
 * `npm start`: build the extension for Chrome and Firefox, then run the wallet server on its embedded
 * database with the demo accounts, and say how to load the builds.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

for (const args of [
  ['wxt', 'build'],
  ['wxt', 'build', '-b', 'firefox'],
]) {
  const res = spawnSync('npx', args, { stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

const chrome = path.resolve('.output/chrome-mv3');
const firefox = path.resolve('.output/firefox-mv2');
const port = process.env.PORT ?? '8787';
console.log(`
Tweetez Payez is built.
  Chrome / Edge / Brave: open chrome://extensions, turn on Developer mode, "Load unpacked" → ${chrome}
  Firefox:               open about:debugging#/runtime/this-firefox, "Load Temporary Add-on…" → ${firefox}/manifest.json
`);

if (!fs.existsSync('server/main.ts')) {
  console.log('(The wallet server is not part of this build yet.)');
  process.exit(0);
}
const SEED = 'server/seed/demo.json';
/** @type {{ accounts?: { email: string, password: string, xHandle?: string }[] }} */
const seed = JSON.parse(fs.readFileSync(SEED, 'utf8'));
const demo = seed.accounts?.[0];
console.log(`Starting the wallet server on http://127.0.0.1:${port} (sandbox, demo accounts from ${SEED}).
  In the extension's popup, sign in as ${demo ? `${demo.email} / ${demo.password}` : 'a demo account'}${demo?.xHandle ? ` (X account @${demo.xHandle})` : ''}.
  Another port: PORT=8788 npm start (then set http://127.0.0.1:8788 in the extension's options). Ctrl+C stops it.
`);
const server = spawn('npx', ['tsx', 'server/main.ts', '--seed', SEED], {
  stdio: 'inherit',
  env: { WALLET_SANDBOX: '1', ...process.env, PORT: port },
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code) => process.exit(code ?? 0));
