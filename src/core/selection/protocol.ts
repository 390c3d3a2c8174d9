/** Messages between the extension host and the selection webview, typed on both sides. */
import type { Answers, QuestionId, Signal } from './types';

/** Everything the webview needs to render; it ranks locally so an answer change re-ranks at once. */
export interface SelectionState {
  answers: Answers;
  signals: Signal[];
  /** Questions whose current answer came from a workspace signal. */
  fromWorkspace: QuestionId[];
  shardKeyHint?: string;
  /** True while the workspace scan is still running. */
  scanning: boolean;
}

export type HostToView = { type: 'state'; state: SelectionState };

export type ViewCommand = 'copyMarkdown' | 'saveDecisionRecord' | 'reset';

export type ViewToHost =
  | { type: 'ready' }
  | { type: 'answers'; answers: Answers }
  | { type: 'command'; command: ViewCommand };
