// Where Apply puts a code block with nothing selected: the definition it redefines, found by name.
import assert from 'node:assert/strict';
import { declaredName, indentedDefinition } from '../../src/core/code-target.js';

describe('code target', () => {
  it('reads the name a block defines first, across languages; none for a plain snippet', () => {
    const cases: Array<[string, string | undefined]> = [
      ['def greet(name):\n    return name', 'greet'],
      ['@cache\nasync def fetch(url):\n    ...', 'fetch'],
      ['export async function load(id: string): Promise<void> {\n}', 'load'],
      ['export default class Parser {}', 'Parser'],
      ['// helper\nconst sum = (a, b) => a + b;', 'sum'],
      ['pub fn parse(input: &str) -> u32 {', 'parse'],
      ['func (s *Server) Start() error {', undefined],
      ['  private render(part: Part): void {', 'render'],
      ['interface Options { a: number }', 'Options'],
      ['print("hello")', undefined],
      ['if (ready) {\n  go();\n}', undefined],
      ['', undefined],
    ];
    for (const [code, name] of cases) assert.equal(declaredName(code), name, code);
  });

  it('finds an indented def or class with its decorators, up to the next line as indented as it', () => {
    const lines = ['import os', '', '@app.route("/")', 'def greet(name):', '    """Say hi."""', '', '    return "hi " + name', '', 'def other():', '    return 1', ''];
    assert.deepEqual(indentedDefinition(lines, 'greet'), { start: 2, end: 7 });
    assert.deepEqual(indentedDefinition(lines, 'other'), { start: 8, end: 10 });
    assert.equal(indentedDefinition(lines, 'gree'), undefined, 'a whole name only');
    const nested = ['class A:', '    def run(self):', '        pass', '    def stop(self):', '        pass'];
    assert.deepEqual(indentedDefinition(nested, 'run'), { start: 1, end: 3 });
  });
});
