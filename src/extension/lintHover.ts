/**
 * Hover on a lint finding: the rule's rationale (why the index cannot be used), the fix in
 * a sentence, the suggested index DDL when there is one, and a link to the rule's page.
 * VS Code already shows the diagnostic message itself; this adds the "why", once per rule.
 */
import * as vscode from 'vscode';
import { ruleById } from '../core/rules/index';
import type { LintService } from './lintDiagnostics';
import { findingsAt, LINTED_LANGUAGE_IDS } from './lintModel';


class LintHoverProvider implements vscode.HoverProvider {
  constructor(private readonly lint: LintService) {}

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const here = findingsAt(this.lint.reportedFindings(doc), doc.offsetAt(position));
    if (here.length === 0) return undefined;
    const md = new vscode.MarkdownString();
    const seen = new Set<string>();
    for (const f of here) {
      if (seen.has(f.ruleId)) continue;
      seen.add(f.ruleId);
      const meta = ruleById(f.ruleId);
      if (!meta) continue;
      if (md.value) md.appendMarkdown('\n\n---\n\n');
      md.appendMarkdown(`**${meta.id}** — `);
      md.appendText(meta.rationale);
      if (meta.fix) {
        md.appendMarkdown('\n\n*Fix:* ');
        md.appendText(meta.fix);
      }
      if (f.suggestedIndex) md.appendCodeblock(f.suggestedIndex.ddl, 'sql');
      md.appendMarkdown(`\n\n[Rule documentation](${this.lint.ruleDocUri(meta.id).toString()})`);
    }
    if (!md.value) return undefined;
    const first = here[0];
    return new vscode.Hover(md, new vscode.Range(doc.positionAt(first.start), doc.positionAt(first.end)));
  }
}

/** Registers the rationale hover for linted languages. */
export function registerLintHover(context: vscode.ExtensionContext, lint: LintService): void {
  const selector = LINTED_LANGUAGE_IDS.map((language) => ({ language }));
  context.subscriptions.push(vscode.languages.registerHoverProvider(selector, new LintHoverProvider(lint)));
}
