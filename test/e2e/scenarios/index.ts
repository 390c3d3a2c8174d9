/**
 * The scenarios in run order. The malformed-file scenario runs first so that every later one
 * proves the extension host survived it; the in-host suite runs last because it drives editors
 * through the API.
 */
import type { Scenario } from '../scenario';
import { concurrentIndexMigration } from './concurrentIndexMigration';
import { embeddedTs } from './embeddedTs';
import { explain } from './explain';
import { inHostSuite } from './inHostSuite';
import { liveExplain } from './liveExplain';
import { malformed } from './malformed';
import { queriesView } from './queriesView';
import { quickFix } from './quickFix';
import { selection } from './selection';
import { sqlDiagnostics } from './sqlDiagnostics';

export const scenarios: Scenario[] = [malformed, sqlDiagnostics, embeddedTs, quickFix, concurrentIndexMigration, explain, liveExplain, selection, queriesView, inHostSuite];
