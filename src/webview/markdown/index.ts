// The chat view's markdown renderer: streamed, incremental, and safe with hostile model output.
export { StreamingMarkdown } from './streaming-markdown.js';
export type { MarkdownHooks, MarkdownLabels } from './types.js';
export { BlockScanner, blockBoundaries, stableBlocks } from './blocks.js';
export type { BlockBoundary } from './blocks.js';
export { allowedImage, allowedLink, checkImage } from './url-policy.js';
export type { ImageRefusal } from './url-policy.js';
