// When something happened, as VS Code's Timeline and Source Control views say it: "now", "5 minutes ago",
// "yesterday", "last week", in the user's language (Intl.RelativeTimeFormat: zh-cn gives "5分钟前", "昨天").

const formatters = new Map<string, Intl.RelativeTimeFormat>();

function formatter(locale: string): Intl.RelativeTimeFormat {
  let format = formatters.get(locale);
  if (!format) {
    try {
      format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    } catch {
      // Not a language tag Intl knows (VS Code's pseudo-locale): English.
      format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
    }
    formatters.set(locale, format);
  }
  return format;
}

/** `then` relative to `now` (ms since the epoch); a time ahead of `now` (another clock) is "now". */
export function relativeTime(then: number, now: number, locale: string): string {
  const format = formatter(locale);
  const seconds = Math.max(0, now - then) / 1000;
  if (seconds < 45) return format.format(0, 'second');
  const minutes = seconds / 60;
  if (minutes < 59.5) return format.format(-Math.max(1, Math.round(minutes)), 'minute');
  const hours = minutes / 60;
  if (hours < 23.5) return format.format(-Math.max(1, Math.round(hours)), 'hour');
  const days = hours / 24;
  if (days < 6.5) return format.format(-Math.max(1, Math.round(days)), 'day');
  if (days < 31) return format.format(-Math.max(1, Math.round(days / 7)), 'week');
  if (days < 345) return format.format(-Math.max(1, Math.round(days / 30.44)), 'month');
  return format.format(-Math.max(1, Math.round(days / 365.25)), 'year');
}
