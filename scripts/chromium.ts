/**
 * How we launch Debian's headless Chromium for screenshots and end-to-end tests. The flags
 * keep it from reaching for the network (this machine has none beyond package registries):
 * without them Chromium retries refused connections many times at every start.
 */
import type { LaunchOptions } from 'playwright-core';

/** Chromium binary: `CHROMIUM_PATH` when set, else Debian's package. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launch options for `chromium.launch` (playwright-core), merged with `extra`. */
export function chromiumLaunchOptions(extra: LaunchOptions = {}): LaunchOptions {
  return { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], ...extra };
}
