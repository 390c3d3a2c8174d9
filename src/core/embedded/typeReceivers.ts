/**
 * Receiver types for the N+1 rule: when a workspace has its `tsconfig.json` and its
 * `node_modules` declarations, the TypeScript type checker says where a receiver's type is
 * declared — `pdfDoc.save()` on pdf-lib's `PDFDocument` is not a query, `store.save(u)` on
 * TypeORM's `Repository<User>` is, even when `store` is a parameter typed in another module,
 * which syntax-only provenance (provenance.ts) cannot follow.
 *
 * The judgement is by the declaring file's package: a database client/ORM package → `db`;
 * the TypeScript default libraries (DOM, ES), Node's types and any other installed package →
 * `other`; `any`, unresolved types and the project's own types → `unknown` (the caller falls
 * back to provenance). A project class extending an ORM base (`class User extends Model`) is `db`.
 *
 * One language service per project: the Program is built on first use and rebuilt
 * incrementally (only edited files are re-parsed, declarations are re-used) after
 * `setText`, which overlays an editor's unsaved text.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts = require('typescript');
import { originOfPackage, type Origin } from './provenance';

/** What the N+1 rule needs for one file: the Program's tree of it and the type-based origin of an expression in that tree. */
export interface TypedSource {
  sourceFile: ts.SourceFile;
  originOf(expr: ts.Expression): Origin;
}

/** Answers for files of a project; `undefined` for a file the Program does not hold (or whose text differs). */
export interface ReceiverTypes {
  forFile(fileName: string, text: string): TypedSource | undefined;
}

/** The package a declaration file belongs to (`pg` for …/node_modules/@types/pg/index.d.ts), or undefined for project files. */
export function packageOfFile(fileName: string): string | undefined {
  const norm = fileName.split(path.sep).join('/');
  const at = norm.lastIndexOf('/node_modules/');
  if (at < 0) return undefined;
  const parts = norm.slice(at + '/node_modules/'.length).split('/');
  let name = parts[0].startsWith('@') && parts.length > 1 ? `${parts[0]}/${parts[1]}` : parts[0];
  // Prisma's generated client lives in `.prisma/client`.
  if (name === '.prisma' && parts[1] === 'client') name = '.prisma/client';
  // DefinitelyTyped: `@types/pg` declares `pg`, `@types/scope__pkg` declares `@scope/pkg`.
  if (name.startsWith('@types/')) {
    const bare = name.slice('@types/'.length);
    name = bare.includes('__') ? '@' + bare.replace('__', '/') : bare;
  }
  return name;
}

/** Node's built-in modules (declared by @types/node) are never database handles. */
function isNodeBuiltin(pkg: string): boolean {
  return pkg === 'node' || pkg === 'undici-types';
}

const MAX_BASE_DEPTH = 4;

/** Judges types by where their symbols are declared. */
export class TypeJudge {
  constructor(private readonly program: ts.Program, private readonly checker: ts.TypeChecker) {}

  /** Origin of an expression's value by its type. Never throws. */
  originOf(expr: ts.Expression): Origin {
    try {
      return this.originOfType(this.checker.getTypeAtLocation(expr), 0);
    } catch {
      return 'unknown';
    }
  }

  private originOfType(type: ts.Type, depth: number): Origin {
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never | ts.TypeFlags.TypeParameter)) return 'unknown';
    // Strings, numbers, booleans, bigints, symbols: never a database handle.
    if (type.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.ESSymbolLike)) return 'other';
    if (type.isUnion()) {
      const parts = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
      const origins = parts.map((t) => this.originOfType(t, depth + 1));
      if (origins.includes('db')) return 'db';
      return origins.length > 0 && origins.every((o) => o === 'other') ? 'other' : 'unknown';
    }
    if (type.isIntersection()) {
      const origins = type.types.map((t) => this.originOfType(t, depth + 1));
      if (origins.includes('db')) return 'db';
      return origins.every((o) => o === 'other') ? 'other' : 'unknown';
    }
    // The type's own symbol first: `type UserStore = Repository<User>` is declared in the
    // project, but its type is TypeORM's.
    const symbol = type.getSymbol();
    const byDecl = this.originOfSymbol(symbol);
    if (byDecl !== 'unknown') return byDecl;
    if (!symbol && type.aliasSymbol) return this.originOfSymbol(type.aliasSymbol);
    if (depth >= MAX_BASE_DEPTH || !symbol) return 'unknown';
    // A project class over an ORM base: `class User extends Model` (`User.findAll()`, `user.save()`).
    const instance = symbol.flags & ts.SymbolFlags.Class ? this.checker.getDeclaredTypeOfSymbol(symbol) : type;
    if (instance.isClassOrInterface()) {
      for (const base of this.checker.getBaseTypes(instance)) {
        if (this.originOfType(base, depth + 1) === 'db') return 'db';
      }
    }
    return 'unknown';
  }

  private originOfSymbol(symbol: ts.Symbol | undefined): Origin {
    const decls = symbol?.declarations;
    if (!decls || decls.length === 0) return 'unknown';
    let other = 0;
    for (const d of decls) {
      const o = this.originOfFile(d.getSourceFile());
      if (o === 'db') return 'db';
      if (o === 'other') other++;
    }
    return other === decls.length ? 'other' : 'unknown';
  }

  private originOfFile(sf: ts.SourceFile): Origin {
    if (this.program.isSourceFileDefaultLibrary(sf)) return 'other';
    const pkg = packageOfFile(sf.fileName);
    if (pkg === undefined) return 'unknown';
    if (isNodeBuiltin(pkg)) return 'other';
    const byName = originOfPackage(pkg);
    // An installed package that is not a database package (pdf-lib, konva, @tiptap/core): its
    // types are not database handles. A db-ish name (`@acme/db`) may wrap one: unknown.
    if (byName === 'unknown' && pkg.startsWith('@') && !/(sql|db|orm|prisma|mongo|knex|sequel|postgres|mysql|sqlite|drizzle|kysely|supabase|database)/i.test(pkg)) return 'other';
    return byName;
  }
}

/** Finds the `tsconfig.json` governing `dir` (searching upwards), or undefined. */
export function findTsconfig(dir: string): string | undefined {
  return ts.findConfigFile(dir, (f) => fs.existsSync(f)) ?? undefined;
}

/** True when a `node_modules` folder sits beside the tsconfig or in a folder above it (a monorepo's root). */
export function hasNodeModules(dir: string): boolean {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'node_modules'))) return true;
    if (path.dirname(d) === d) return false;
  }
}

/** Timings of the last Program build (for `bench` and the CLI's `--verbose` figures). */
export interface ProgramStats {
  files: number;
  buildMs: number;
}

/**
 * A project's type information through a TypeScript language service, built lazily from its
 * `tsconfig.json` on the first `forFile` and updated incrementally by `setText`.
 */
export class ProjectTypes implements ReceiverTypes {
  private readonly versions = new Map<string, number>();
  private readonly overlays = new Map<string, string>();
  private service: ts.LanguageService | undefined;
  private parsed: ts.ParsedCommandLine | undefined;
  private rootFiles: Set<string> | undefined;
  private judge: { program: ts.Program; judge: TypeJudge } | undefined;
  /** Set after each (re)build: file count and milliseconds. */
  lastBuild: ProgramStats | undefined;
  /** A problem reading the tsconfig (the project is then used without types). */
  problem: string | undefined;

  private constructor(private readonly tsconfig: string) {}

  /** Types for the project of `tsconfig` when it has `node_modules`; undefined otherwise. */
  static open(tsconfig: string): ProjectTypes | undefined {
    if (!fs.existsSync(tsconfig) || !hasNodeModules(path.dirname(tsconfig))) return undefined;
    return new ProjectTypes(path.resolve(tsconfig));
  }

  /** Overlays a file's current (possibly unsaved) text; the next answer re-checks incrementally. */
  setText(fileName: string, text: string): void {
    const f = path.resolve(fileName);
    if (this.overlays.get(f) === text) return;
    this.overlays.set(f, text);
    this.versions.set(f, (this.versions.get(f) ?? 0) + 1);
  }

  /** The Program's tree of `fileName` and a type judge, when the Program holds the file with exactly `text`. */
  forFile(fileName: string, text: string): TypedSource | undefined {
    const f = path.resolve(fileName);
    const service = this.languageService();
    // Only the project's own files: another project's file would be checked with the wrong options.
    if (!service || !this.rootFiles!.has(f)) return undefined;
    const current = this.overlays.get(f) ?? readText(f);
    if (current !== text) this.setText(f, text);
    const started = performance.now();
    const program = service.getProgram();
    if (!program) return undefined;
    if (this.judge?.program !== program) {
      this.judge = { program, judge: new TypeJudge(program, program.getTypeChecker()) };
      this.lastBuild = { files: program.getSourceFiles().length, buildMs: performance.now() - started };
    }
    const sourceFile = program.getSourceFile(f);
    if (!sourceFile || sourceFile.text !== text) return undefined;
    const judge = this.judge.judge;
    return { sourceFile, originOf: (e) => judge.originOf(e) };
  }

  private languageService(): ts.LanguageService | undefined {
    if (this.service) return this.service;
    const read = ts.readConfigFile(this.tsconfig, ts.sys.readFile);
    if (read.error) {
      this.problem = ts.flattenDiagnosticMessageText(read.error.messageText, '\n');
      return undefined;
    }
    this.parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(this.tsconfig), undefined, this.tsconfig);
    this.rootFiles = new Set(this.parsed.fileNames.map((x) => path.resolve(x)));
    // Only types are needed: no emit, and JS files join when the project allows them.
    const options: ts.CompilerOptions = { ...this.parsed.options, noEmit: true, incremental: false, composite: false, declaration: false, sourceMap: false };
    const libDir = defaultLibDir(path.dirname(this.tsconfig));
    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => options,
      getScriptFileNames: () => [...this.rootFiles!],
      getScriptVersion: (f) => String(this.versions.get(path.resolve(f)) ?? 0),
      getScriptSnapshot: (f) => {
        const text = this.overlays.get(path.resolve(f)) ?? readText(f);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => path.dirname(this.tsconfig),
      // Bundled, our compiler ships without its lib .d.ts files: the project's own
      // `typescript` supplies them (DOM, ES); failing both, lib types stay unresolved (unknown).
      getDefaultLibFileName: (o) => path.join(libDir, ts.getDefaultLibFileName(o)),
      fileExists: ts.sys.fileExists,
      readFile: ts.sys.readFile,
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
      realpath: ts.sys.realpath,
    };
    this.service = ts.createLanguageService(host, ts.createDocumentRegistry());
    return this.service;
  }

  /** Releases the language service. */
  dispose(): void {
    this.service?.dispose();
    this.service = undefined;
    this.judge = undefined;
  }
}

/** The folder of the TypeScript default libraries: the project's `typescript` package first, then ours. */
function defaultLibDir(projectDir: string): string {
  for (let d = path.resolve(projectDir); ; d = path.dirname(d)) {
    const lib = path.join(d, 'node_modules', 'typescript', 'lib');
    if (fs.existsSync(path.join(lib, 'lib.d.ts'))) return lib;
    if (path.dirname(d) === d) break;
  }
  return path.dirname(ts.getDefaultLibFilePath({}));
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Type information for files anywhere under a folder: each file is answered by the project of
 * the `tsconfig.json` governing it (opened once, lazily). `onMissing` hears once per folder that
 * has no tsconfig or no node_modules (its files are judged by provenance).
 */
export class WorkspaceTypes implements ReceiverTypes {
  private readonly projects = new Map<string, ProjectTypes | undefined>();
  private readonly missing = new Set<string>();

  constructor(private readonly onMissing?: (dir: string, why: string) => void) {}

  forFile(fileName: string, text: string): TypedSource | undefined {
    const dir = path.dirname(path.resolve(fileName));
    const tsconfig = findTsconfig(dir);
    if (!tsconfig) return this.miss(dir, 'no tsconfig.json');
    if (!this.projects.has(tsconfig)) this.projects.set(tsconfig, ProjectTypes.open(tsconfig));
    const project = this.projects.get(tsconfig);
    if (!project) return this.miss(path.dirname(tsconfig), 'no node_modules');
    const typed = project.forFile(fileName, text);
    if (project.problem) this.miss(path.dirname(tsconfig), project.problem);
    return typed;
  }

  /** The projects opened so far, with their last build figures. */
  stats(): { tsconfig: string; build?: ProgramStats }[] {
    return [...this.projects].flatMap(([tsconfig, p]) => (p ? [{ tsconfig, build: p.lastBuild }] : []));
  }

  private miss(dir: string, why: string): undefined {
    if (!this.missing.has(dir)) {
      this.missing.add(dir);
      this.onMissing?.(dir, why);
    }
    return undefined;
  }
}
