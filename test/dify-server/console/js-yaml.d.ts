// The part of js-yaml 4 (already in node_modules through eslint and mocha; no @types package here) the console's
// DSL export and import use.
declare module 'js-yaml' {
  export class YAMLException extends Error {}
  export function load(text: string): unknown;
  export function dump(value: unknown, options?: { sortKeys?: boolean; noArrayIndent?: boolean; lineWidth?: number; noRefs?: boolean }): string;
}
