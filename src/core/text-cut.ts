// Text shortened for a prompt or a confirmation: never a character split in two, never a word left half.

/**
 * At most `max` characters (code points, so no emoji or CJK character is split) of `text`; cut at the last space or
 * line break of the final fifth when there is one.
 */
export function cutAtWord(text: string, max: number): { text: string; cut: boolean } {
  const chars = Array.from(text);
  if (chars.length <= max) return { text, cut: false };
  let end = max;
  for (let i = max; i > max * 0.8; i--) {
    if (/\s/.test(chars[i]!)) {
      end = i;
      break;
    }
  }
  return { text: chars.slice(0, end).join('').trimEnd(), cut: true };
}
