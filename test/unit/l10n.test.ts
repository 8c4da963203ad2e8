// zh-cn is complete: every string shown through vscode.l10n.t and every manifest string has a translation with the
// same placeholders, and nothing stale is left in the translation files.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { l10nStrings } from '../helpers/l10n-strings.js';

const root = join(__dirname, '..', '..');
const json = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8')) as Record<string, string>;
const placeholders = (s: string) => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();

describe('localisation (zh-cn)', () => {
  it('every vscode.l10n.t string has a zh-cn translation with the same placeholders', () => {
    const source = l10nStrings(join(root, 'src'));
    const zh = json('l10n/bundle.l10n.zh-cn.json');
    assert.ok(source.size > 20, 'strings found in the sources');
    for (const [text, file] of source) {
      assert.ok(text in zh, `missing zh-cn for ${JSON.stringify(text)} (${file})`);
      assert.deepEqual(placeholders(zh[text]!), placeholders(text), `placeholders of ${JSON.stringify(text)}`);
    }
    for (const key of Object.keys(zh)) assert.ok(source.has(key), `stale zh-cn entry ${JSON.stringify(key)}`);
  });

  it('counts agree with their number: every "{n} <plural noun>" string has a string for one', () => {
    const source = [...l10nStrings(join(root, 'src')).keys()];
    const plural = /\{\d\} (documents|words|hits|apps|files|datasets|tokens|events|steps|segments|conversations|times)\b/;
    for (const text of source) {
      const noun = plural.exec(text)?.[1];
      if (!noun) continue;
      const one = new RegExp(`\\b(1|one) ${noun.slice(0, -1)}\\b|\\bonce\\b`);
      assert.ok(source.some((t) => one.test(t)), `"${text}" has no string for one ${noun.slice(0, -1)}`);
    }
  });

  it('every manifest string (package.nls.json) has a zh-cn translation, and every %key% used exists', () => {
    const en = json('package.nls.json');
    const zh = json('package.nls.zh-cn.json');
    assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
    const manifest = readFileSync(join(root, 'package.json'), 'utf8');
    for (const [, key] of manifest.matchAll(/"%([^%"]+)%"/g)) assert.ok(key! in en, `package.json uses %${key}% but package.nls.json lacks it`);
    for (const key of Object.keys(en)) assert.ok(manifest.includes(`%${key}%`), `unused package.nls.json key ${key}`);
  });
});
