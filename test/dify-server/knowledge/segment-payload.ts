// 1.15 validation of `POST …/segments` (CONSOLE §11 item 8): the body is a pydantic model whose `segments` needs at
// least one item, each with a `content` of at least one character and typed `answer`, `keywords`, `attachment_ids`.
// A failure keeps the non-standard body, now with pydantic's text: 400 `{"error": "<str(ValidationError)>"}`.
// The item model's name is not in the docs; `SegmentCreateItem` is this server's guess.
import { Checker, validationError } from './text.js';
import { isObject } from './state.js';

function strList(c: Checker, item: Record<string, unknown>, loc: (string | number)[], key: string): void {
  const v = item[key];
  if (v === undefined || v === null) return;
  if (!Array.isArray(v)) return c.add([...loc, key], 'list_type', 'Input should be a valid list', v);
  v.forEach((x, j) => {
    if (typeof x !== 'string') c.add([...loc, key, j], 'string_type', 'Input should be a valid string', x);
  });
}

/** The pydantic message for an invalid body, or undefined when it validates. */
export function segmentPayloadError(body: Record<string, unknown>): string | undefined {
  const c = new Checker(body);
  const segments = body.segments;
  if (segments === undefined) c.add(['segments'], 'missing', 'Field required', body);
  else if (!Array.isArray(segments)) c.add(['segments'], 'list_type', 'Input should be a valid list', segments);
  else if (segments.length === 0) c.add(['segments'], 'too_short', 'List should have at least 1 item after validation, not 0', segments);
  else {
    segments.forEach((item: unknown, i) => {
      const loc = ['segments', i];
      if (!isObject(item)) return c.add(loc, 'model_type', 'Input should be a valid dictionary or instance of SegmentCreateItem', item);
      const content = item.content;
      if (content === undefined) c.add([...loc, 'content'], 'missing', 'Field required', item);
      else if (typeof content !== 'string') c.add([...loc, 'content'], 'string_type', 'Input should be a valid string', content);
      else if (content.length === 0) c.add([...loc, 'content'], 'string_too_short', 'String should have at least 1 character', content);
      const answer = item.answer;
      if (answer !== undefined && answer !== null && typeof answer !== 'string') c.add([...loc, 'answer'], 'string_type', 'Input should be a valid string', answer);
      strList(c, item, loc, 'keywords');
      strList(c, item, loc, 'attachment_ids');
    });
  }
  return c.issues.length ? validationError('SegmentCreatePayload', c.issues).message : undefined;
}
