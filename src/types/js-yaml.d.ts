// The part of js-yaml 4 (no @types package here) the extension (reading DSL files) and the test server's console (DSL
// export and import) use.
declare module 'js-yaml' {
  export class YAMLException extends Error {
    /** What is wrong, without the position and the excerpt `message` adds. */
    reason: string;
    /** Where: 0-based line and column. */
    mark: { line: number; column: number } | null;
  }
  export function load(text: string): unknown;
  export function dump(value: unknown, options?: { sortKeys?: boolean; noArrayIndent?: boolean; lineWidth?: number; noRefs?: boolean }): string;
}
