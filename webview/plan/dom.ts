/**
 * Small DOM helpers for the plan webview. Text always goes in through `textContent` and
 * attributes through `setAttribute`, never as markup, so plan text, SQL and DDL cannot inject.
 */
import type { SvgEl } from '../../src/core/plan/scene';
import type { PlanModel, PlanNode } from '../../src/core/plan/model';
import type { PlanTree } from './protocol';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an element with a class and (escaped) text. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function button(label: string, onClick: () => void, secondary = false, title?: string): HTMLButtonElement {
  const b = el('button', secondary ? 'secondary' : undefined, label);
  b.type = 'button';
  if (title) {
    b.title = title;
    b.setAttribute('aria-label', title);
  }
  b.addEventListener('click', onClick);
  return b;
}

/** A labelled `<select>` whose change calls `onChange` with the chosen value. */
export function select<T extends string>(label: string, options: readonly { value: T; label: string }[], value: T, onChange: (v: T) => void): HTMLLabelElement {
  const wrap = el('label', 'select');
  wrap.append(el('span', 'select-label', label));
  const s = el('select');
  for (const o of options) {
    const opt = el('option', undefined, o.label);
    opt.value = o.value;
    if (o.value === value) opt.selected = true;
    s.append(opt);
  }
  s.addEventListener('change', () => onChange(s.value as T));
  wrap.append(s);
  return wrap;
}

/** Builds SVG DOM from the core's scene tree (attributes and text set, never parsed). */
export function svgFromScene(scene: SvgEl): SVGElement {
  const e = document.createElementNS(SVG_NS, scene.tag);
  for (const [k, v] of Object.entries(scene.attrs)) if (k !== 'xmlns') e.setAttribute(k, String(v));
  if (scene.text !== undefined) e.textContent = scene.text;
  for (const c of scene.children ?? []) e.appendChild(svgFromScene(c));
  return e;
}

/** The model the webview works with: the tree as sent plus the flat pre-order node list. */
export type ViewModel = PlanTree & { nodes: PlanNode[] };

/** Rebuilds the flat `nodes` list (`nodes[n.id] === n`) from the tree the host sent. */
export function withNodes(model: PlanTree): ViewModel {
  const nodes: PlanNode[] = [];
  const stack: PlanNode[] = [model.root];
  while (stack.length) {
    const n = stack.pop()!;
    nodes[n.id] = n;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  return { ...model, nodes } as ViewModel & PlanModel;
}

export function count(v: number): string {
  const r = Math.abs(v) >= 100 || Number.isInteger(v) ? Math.round(v) : Math.round(v * 10) / 10;
  return r.toLocaleString('en-US');
}

export function ms(v: number): string {
  return v < 1 ? `${v.toFixed(3)} ms` : v < 100 ? `${v.toFixed(1)} ms` : `${Math.round(v).toLocaleString('en-US')} ms`;
}

export function pct(f: number): string {
  const v = Math.max(0, Math.min(1, f)) * 100;
  return v >= 10 || v === 0 ? `${Math.round(v)}%` : `${v.toFixed(1)}%`;
}
