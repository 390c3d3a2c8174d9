/**
 * Extension entry: wires providers and commands to the core. Kept thin and cheap so that
 * activation stays well under 100 ms; the engine starts lazily on the first Explain.
 * Each feature registers itself from its own module.
 */
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  // Registrations are added here by each feature module (lint, explain, advisor, selection).
  void context;
}

export function deactivate(): void {
  // Disposables registered on the context are disposed by VS Code.
}
