// Chat app features around the streamed answer (CONTRACT §4.1, §4.3, §4.4): output moderation, which replaces the
// whole answer with `message_replace`, and text-to-speech autoplay, which interleaves `tts_message` audio frames
// with the answer and ends the stream with `tts_message_end`.
import type { Sink } from './context.js';
import type { AppSpec } from './fixtures.js';
import { fakeMp3 } from './files.js';

/** The preset response when keyword output moderation flags this query's answer, else undefined. */
export function moderatedAnswer(app: AppSpec, query: string): string | undefined {
  const moderation = app.outputModeration;
  if (!moderation) return undefined;
  const word = moderation.keyword.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\b${word}\\b`, 'i').test(query) ? moderation.presetResponse : undefined;
}

/** Audio is synthesised in chunks of this many MP3 bytes, each a base64 `tts_message`. */
const AUDIO_CHUNK = 1024;
const SENTENCE = /^[\s\S]*?[。！？.!?\n]+/;

/**
 * AppGeneratorTTSPublisher as the stream sees it: the answer text is cut into sentences, each sentence's audio is
 * ready one event later (synthesis takes a moment), ready audio goes out before the next event, and what is still
 * being synthesised when message_end is sent follows it; `tts_message_end` (audio "") is the very last frame.
 */
export class TtsAutoPlay {
  private text = '';
  private synthesising: string[] = [];
  private ready: string[] = [];

  constructor(
    private readonly sink: Sink,
    private readonly envelope: (event: string) => Record<string, unknown>,
    private readonly taskId: string,
  ) {}

  /** The answer grew by `delta`. */
  append(delta: string): void {
    this.text += delta;
    for (let m = SENTENCE.exec(this.text); m; m = SENTENCE.exec(this.text)) {
      this.text = this.text.slice(m[0].length);
      if (m[0].trim()) this.synthesising.push(m[0].trim());
    }
  }

  /** Sends the audio that is ready (before the next stream event, as `_listen_audio_msg` does). */
  async flush(): Promise<void> {
    for (const audio of this.ready.splice(0)) {
      await this.sink.send({ ...this.envelope('tts_message'), task_id: this.taskId, audio });
    }
    for (const sentence of this.synthesising.splice(0)) this.ready.push(...audioChunks(sentence));
  }

  /** After message_end: the rest of the audio, then `tts_message_end`. */
  async end(): Promise<void> {
    if (this.text.trim()) this.synthesising.push(this.text.trim());
    this.text = '';
    await this.flush();
    await this.flush();
    await this.sink.send({ ...this.envelope('tts_message_end'), task_id: this.taskId, audio: '' });
  }
}

function audioChunks(sentence: string): string[] {
  const mp3 = fakeMp3(sentence);
  const chunks: string[] = [];
  for (let i = 0; i < mp3.length; i += AUDIO_CHUNK) chunks.push(mp3.subarray(i, i + AUDIO_CHUNK).toString('base64'));
  return chunks;
}
