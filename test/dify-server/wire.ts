// Byte-level serialisation as Dify 1.13.2 puts it on the wire (CONTRACT.md §2.1, §4.1, §5).

/** A float that Python prints with a fractional part (`1.0`), where JavaScript would print `1`. */
export class PyFloat {
  constructor(readonly value: number) {}
  toJSON(): number {
    return this.value;
  }
}

interface Style {
  item: string;
  key: string;
  ascii: boolean;
}
const PYTHON: Style = { item: ', ', key: ': ', ascii: true };
const ORJSON: Style = { item: ',', key: ':', ascii: false };
const PYTHON_UTF8: Style = { item: ', ', key: ': ', ascii: false };

function encode(value: unknown, style: Style): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return encodeString(value, style);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof PyFloat) return Number.isInteger(value.value) ? `${value.value}.0` : String(value.value);
  if (Array.isArray(value)) return `[${value.map((v) => encode(v, style)).join(style.item)}]`;
  if (typeof value === 'object') {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) parts.push(`${encodeString(k, style)}${style.key}${encode(v, style)}`);
    }
    return `{${parts.join(style.item)}}`;
  }
  return encodeString(String(value), style);
}

function encodeString(s: string, style: Style): string {
  const json = JSON.stringify(s);
  return style.ascii ? json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}

/** Python `json.dumps(obj)`: `", "` and `": "` separators, non-ASCII escaped as \uXXXX. */
export function pyJson(value: unknown): string {
  return encode(value, PYTHON);
}

/** Python `json.dumps(obj, ensure_ascii=False)`: Python separators, raw UTF-8. */
export function pyJsonUtf8(value: unknown): string {
  return encode(value, PYTHON_UTF8);
}

/** orjson: compact, raw UTF-8, never a newline inside. */
export function orjson(value: unknown): string {
  return encode(value, ORJSON);
}

/** One SSE frame exactly as Dify writes it: `data: <json>\n\n`. */
export function sseData(value: unknown): string {
  return `data: ${orjson(value)}\n\n`;
}

/** The keep-alive frame: an event line and no data line. */
export const SSE_PING = 'event: ping\n\n';

/** werkzeug's HTML page for a URL that matched no route. */
export const WERKZEUG_404_HTML =
  '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n' +
  '<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n';

/** nginx's default 502 page, as a reverse proxy in front of Dify sends it. */
export const NGINX_502_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n' +
  '<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** nginx's default 413 page (`client_max_body_size`, 100M in Dify's docker nginx config). */
export const NGINX_413_HTML =
  '<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n' +
  '<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
