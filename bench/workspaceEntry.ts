/** Entry bundled by bench/workspace.ts: the workspace index as it ships. */
export { WorkspaceIndex, parseSummaries, serializeSummaries } from '../src/core/workspace/index';
export { extractSql } from '../src/core/embedded/extract';
export { findNPlusOne } from '../src/core/embedded/nPlusOne';
export { parseSource } from '../src/core/embedded/source';
