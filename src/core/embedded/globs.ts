/**
 * Path globs for settings such as `sqlPlanAdvisor.nPlusOne.relaxedGlobs`: `**` spans
 * folders, `*` and `?` stay within one path segment, `{a,b}` alternates. Matched against
 * forward-slash paths; a glob without a slash matches the file name anywhere.
 */

/** Default globs where `n-plus-one` reports at `info`: tests, seeds, migrations. */
export const DEFAULT_RELAXED_GLOBS: readonly string[] = ['**/*.test.*', '**/*.spec.*', '**/seed*/**', '**/seed*.*', '**/migrations/**', '**/__tests__/**'];

const compiled = new Map<string, RegExp>();

function toRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more folders.
      if (glob[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i++;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const close = glob.indexOf('}', i);
      if (close < 0) re += '\\{';
      else {
        re += '(?:' + glob.slice(i + 1, close).split(',').map((p) => p.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')).join('|') + ')';
        i = close;
      }
    } else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp((glob.includes('/') ? '(?:^|/)' : '(?:^|/)') + re + '$');
}

/** True when `file` (any separator) matches one of `globs`. */
export function matchesAnyGlob(file: string, globs: readonly string[]): boolean {
  const p = file.replace(/\\/g, '/');
  for (const g of globs) {
    let re = compiled.get(g);
    if (!re) {
      re = toRegExp(g);
      compiled.set(g, re);
    }
    if (re.test(p)) return true;
  }
  return false;
}
