// How many tokens a text is, estimated without the app's tokenizer (Dify does not say which model an app uses, so no
// tokenizer can be exact): CJK characters are about one token each in the common BPE vocabularies, other text about
// four characters per token. Used for VS Code's token budgets (provideTokenCount), never to bill anything.

/** Han, kana, Hangul, CJK punctuation and full-width forms: about one token each. */
const CJK = /[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3200-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]|[\ud840-\ud87f][\udc00-\udfff]/g;

/** Characters per token of other text (English prose and code average 3.5–4.5 in GPT- and Llama-style vocabularies). */
const CHARS_PER_TOKEN = 4;

/** The estimated token count of `text`: 0 for an empty text, else at least 1. */
export function estimateTokens(text: string): number {
  if (!text) return 0;
  const cjk = text.match(CJK)?.length ?? 0;
  // Characters, not UTF-16 units: an emoji or a rare Han character outside the BMP is one character.
  let other = 0;
  for (const _ of text.replace(CJK, '')) other++;
  return Math.max(1, cjk + Math.ceil(other / CHARS_PER_TOKEN));
}

/** Tokens a chat message costs beyond its text (role and separators, as chat formats frame each message). */
export const MESSAGE_OVERHEAD_TOKENS = 4;
