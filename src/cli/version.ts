/** The CLI's version, taken from package.json at build time (esbuild inlines the JSON). */
import { version } from '../../package.json';

export const VERSION: string = version;
