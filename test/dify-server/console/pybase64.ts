// Python's `base64.b64decode(s).decode("utf-8")` as Dify's `decrypt_password_field` runs it (CONSOLE.md §2.2).

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * binascii.a2b_base64 in non-strict mode: characters outside the standard alphabet (`-`, `_`, spaces…) are skipped,
 * decoding stops at the padding that completes a quad, and a trailing partial quad is an error ("Incorrect padding").
 * A str with non-ASCII characters is a ValueError first. Invalid UTF-8 fails the `.decode`. Any failure: undefined.
 */
export function pyB64DecodeUtf8(value: unknown): string | undefined {
  if (typeof value !== 'string' || /[^\p{ASCII}]/u.test(value)) return undefined;
  const out: number[] = [];
  let quad = 0;
  let left = 0;
  let pads = 0;
  let done = false;
  for (const ch of value) {
    if (ch === '=') {
      if (quad >= 2 && quad + ++pads >= 4) {
        done = true;
        break;
      }
      continue;
    }
    const v = ALPHABET.indexOf(ch);
    if (v < 0) continue;
    pads = 0;
    // Each character after the first of a quad completes a byte; the bits left over wait for the next one.
    if (quad > 0) out.push(((left << (2 * quad)) | (v >> (6 - 2 * quad))) & 0xff);
    left = v & ((1 << (6 - 2 * quad)) - 1);
    quad = (quad + 1) % 4;
  }
  if (!done && quad !== 0) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(Uint8Array.from(out));
  } catch {
    return undefined;
  }
}
