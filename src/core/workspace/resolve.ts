/**
 * Module resolution for the workspace index, the way TypeScript and bundlers resolve a
 * project's own imports: relative paths, `tsconfig.json`/`jsconfig.json` `baseUrl` and
 * `paths` (following `extends`), extension-less specifiers, `.js` written for `.ts`, and
 * folder `index` files. Packages (node_modules) are not followed: their SQL is not ours.
 */
import * as path from 'node:path';
import ts = require('typescript');

/** File access the index needs; the CLI passes `fs`, the extension its workspace reader. */
export interface IndexHost {
  readFile(file: string): string | undefined;
  fileExists(file: string): boolean;
}

interface PathsConfig {
  /** Folder `paths` targets are relative to. */
  base: string;
  baseUrl?: string;
  paths: [string, string[]][];
}

const SOURCE_EXTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** Resolves import specifiers of project files to project files. */
export class ModuleResolver {
  private readonly configs = new Map<string, PathsConfig | null>();
  private readonly cache = new Map<string, string | null>();

  constructor(private readonly host: IndexHost) {}

  /** Forgets cached answers (a file was added or removed, or a tsconfig changed). */
  reset(): void {
    this.configs.clear();
    this.cache.clear();
  }

  /** The project file `specifier` names from `fromFile`, or undefined (a package, or not found). */
  resolve(specifier: string, fromFile: string): string | undefined {
    const dir = path.dirname(fromFile);
    const key = dir + '\u0000' + specifier;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const found = this.resolveUncached(specifier, dir);
    this.cache.set(key, found ?? null);
    return found;
  }

  private resolveUncached(specifier: string, dir: string): string | undefined {
    if (specifier.startsWith('.') || path.isAbsolute(specifier)) return this.asFile(path.resolve(dir, specifier));
    const config = this.configFor(dir);
    if (!config) return undefined;
    for (const [pattern, targets] of config.paths) {
      const star = pattern.indexOf('*');
      let captured: string | undefined;
      if (star < 0) captured = pattern === specifier ? '' : undefined;
      else {
        const pre = pattern.slice(0, star);
        const post = pattern.slice(star + 1);
        if (specifier.startsWith(pre) && specifier.endsWith(post) && specifier.length >= pre.length + post.length) {
          captured = specifier.slice(pre.length, specifier.length - post.length);
        }
      }
      if (captured === undefined) continue;
      for (const t of targets) {
        const f = this.asFile(path.resolve(config.base, t.replace('*', captured)));
        if (f) return f;
      }
    }
    if (config.baseUrl) return this.asFile(path.resolve(config.baseUrl, specifier));
    return undefined;
  }

  /** `x` → `x.ts`, `x/index.ts`…; `x.js` → `x.ts` (ESM TypeScript style). */
  private asFile(p: string): string | undefined {
    const ext = path.extname(p);
    if (SOURCE_EXTS.includes(ext) && this.host.fileExists(p) && !p.endsWith('.d.ts')) return p;
    if (ext === '.js' || ext === '.jsx' || ext === '.mjs' || ext === '.cjs') {
      const stem = p.slice(0, -ext.length);
      for (const e of ['.ts', '.tsx', '.mts', '.cts']) if (this.host.fileExists(stem + e)) return stem + e;
    }
    for (const e of SOURCE_EXTS) if (this.host.fileExists(p + e)) return p + e;
    for (const e of SOURCE_EXTS) {
      const idx = path.join(p, 'index' + e);
      if (this.host.fileExists(idx)) return idx;
    }
    return undefined;
  }

  /** The `paths`/`baseUrl` of the nearest tsconfig.json or jsconfig.json above `dir`. */
  private configFor(dir: string): PathsConfig | undefined {
    const hit = this.configs.get(dir);
    if (hit !== undefined) return hit ?? undefined;
    let found: PathsConfig | undefined;
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      const file = path.join(dir, name);
      if (this.host.fileExists(file)) {
        found = this.readConfig(file, 0);
        break;
      }
    }
    if (!found) {
      const parent = path.dirname(dir);
      found = parent !== dir ? this.configFor(parent) : undefined;
    }
    this.configs.set(dir, found ?? null);
    return found;
  }

  /** Reads compilerOptions.baseUrl/paths, inheriting from `extends` (relative files only). */
  private readConfig(file: string, depth: number): PathsConfig | undefined {
    const text = this.host.readFile(file);
    if (text === undefined || depth > 5) return undefined;
    const parsed = ts.parseConfigFileTextToJson(file, text);
    const json = parsed.config as { extends?: string | string[]; compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> } } | undefined;
    if (!json) return undefined;
    const dir = path.dirname(file);
    let inherited: PathsConfig | undefined;
    for (const ext of ([] as string[]).concat(json.extends ?? [])) {
      if (!ext.startsWith('.')) continue; // a package preset: no project paths in it
      const target = path.resolve(dir, ext.endsWith('.json') ? ext : ext + '.json');
      inherited = this.readConfig(target, depth + 1) ?? inherited;
    }
    const co = json.compilerOptions ?? {};
    const baseUrl = co.baseUrl !== undefined ? path.resolve(dir, co.baseUrl) : inherited?.baseUrl;
    if (co.paths) {
      const paths = Object.entries(co.paths).filter((e): e is [string, string[]] => Array.isArray(e[1]));
      return { base: baseUrl ?? dir, baseUrl, paths };
    }
    if (inherited) return { ...inherited, baseUrl, base: co.baseUrl !== undefined ? baseUrl! : inherited.base };
    return baseUrl ? { base: baseUrl, baseUrl, paths: [] } : undefined;
  }
}
