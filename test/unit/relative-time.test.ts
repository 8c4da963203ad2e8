// When a run started, as the Runs view says it: like VS Code's Timeline, in the user's language.
import assert from 'node:assert/strict';
import { relativeTime } from '../../src/core/relative-time.js';

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
const ago = (seconds: number, locale = 'en'): string => relativeTime(NOW - seconds * 1000, NOW, locale);

describe('relative time', () => {
  it('says now, minutes, hours, yesterday, days, weeks, months and years ago', () => {
    assert.equal(ago(10), 'now');
    assert.equal(ago(50), '1 minute ago');
    assert.equal(ago(5 * 60), '5 minutes ago');
    assert.equal(ago(3 * 3600), '3 hours ago');
    assert.equal(ago(26 * 3600), 'yesterday');
    assert.equal(ago(3 * 86400), '3 days ago');
    assert.equal(ago(8 * 86400), 'last week');
    assert.equal(ago(20 * 86400), '3 weeks ago');
    assert.equal(ago(70 * 86400), '2 months ago');
    assert.equal(ago(800 * 86400), '2 years ago');
  });

  it("a time ahead of this machine's clock is now", () => {
    assert.equal(ago(-120), 'now');
  });

  it("speaks VS Code's display language, and English for a tag Intl does not know", () => {
    assert.equal(ago(5 * 60, 'zh-cn'), '5分钟前');
    assert.equal(ago(26 * 3600, 'zh-cn'), '昨天');
    assert.equal(ago(5 * 60, 'not a language'), '5 minutes ago');
  });
});
