/**
 * libpg-query reports positions as byte offsets into the UTF-8 text it was given; the editor,
 * the CLI and the catalog count UTF-16 code units. One converter per text keeps findings and
 * declarations on the right characters when a comment or literal holds non-ASCII text.
 */

/** Returns a function mapping a UTF-8 byte offset in `text` to a string index. */
export function byteToCharMapper(text: string): (byteOffset: number) => number {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(text)) return (b) => Math.max(0, Math.min(b, text.length));
  const charAtByte: number[] = [];
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!;
    const len = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let k = 0; k < len; k++) charAtByte[bytes + k] = i;
    bytes += len;
    if (code >= 0x10000) i++; // surrogate pair: two code units, one code point
  }
  return (b) => (b <= 0 ? 0 : b >= bytes ? text.length : charAtByte[b]);
}
