/** Where `npm run zip` puts the store packages (WXT's default artifact names). */
import fs from 'node:fs';
import path from 'node:path';

const { version, name } = JSON.parse(fs.readFileSync('package.json', 'utf8'));

export const ZIPS = {
  chrome: path.join('.output', `${name}-${version}-chrome.zip`),
  firefox: path.join('.output', `${name}-${version}-firefox.zip`),
  sources: path.join('.output', `${name}-${version}-sources.zip`),
};
