// Which Dify release the test server speaks. 1.15.0 (the default) adds what CONSOLE.md §11 lists on top of the
// 1.13.2 behaviour CONTRACT.md describes; 1.13.2 keeps exactly the 1.13.2 wire format.
export type DifyVersion = '1.15.0' | '1.13.2';

export const DEFAULT_DIFY_VERSION: DifyVersion = '1.15.0';
export const DIFY_VERSIONS: readonly DifyVersion[] = ['1.15.0', '1.13.2'];

/** True from 1.14.0 on: the events endpoint, Service API human-input forms, the 1.14 paused blocking bodies. */
export function since114(version: DifyVersion): boolean {
  return version !== '1.13.2';
}

/** True from 1.15.0 on: reasoning_chunk, the `agent` mode, approval_channels / submitted_data, segment validation. */
export function since115(version: DifyVersion): boolean {
  return version === '1.15.0';
}

export function parseDifyVersion(value: string): DifyVersion | undefined {
  return DIFY_VERSIONS.find((v) => v === value);
}
