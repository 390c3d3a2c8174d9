/**
 * The index advisor's public entry points. Analysis and candidate generation are pure (the
 * lint rules may call them); `suggestIndexes` and `adviseWorkspace` verify in the engine.
 */
export { analyzeQuery } from './analyze';
export { generateCandidates, type CandidateOptions } from './candidates';
export { suggestIndexes, AdvisorError, MIN_GAIN, type SuggestOptions } from './verify';
export { adviseWorkspace, type WorkspaceOptions } from './workspace';
export { workspaceReportMarkdown, suggestionsText } from './report';
export { loadStats } from './stats';
export type * from './types';
