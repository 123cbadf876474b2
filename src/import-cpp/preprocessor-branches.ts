/**
 * `#if` / `#ifdef` / `#ifndef` … `#elif` … `#else` as tree-sitter nests them, decided against what
 * the importer knows of the build. Each branch is taken (true), not taken (false), or unknown
 * (undefined): declarations under an unknown branch are all read (first declaration wins); code
 * under one becomes a todo.
 */
import type { NameValues } from './constant-expression.js';
import { evaluate } from './constant-expression.js';
import type { CppNode } from './cpp-parser.js';

export interface Branch {
  taken: boolean | undefined;
  /** `#ifdef _UNICODE`, `#else`: the directive line, for notes. */
  directive: string;
  /** The directive node (its line is the branch's line). */
  node: CppNode;
  body: CppNode[];
}

export function preprocessorBranches(node: CppNode, names: NameValues): Branch[] {
  const branches: Branch[] = [];
  let settled = false;
  let unknownBefore = false;
  let current: CppNode | null = node;
  while (current !== null) {
    const condition = conditionOf(current, names);
    const alternative = current.childForFieldName('alternative');
    const skip = new Set([current.childForFieldName('name')?.id, current.childForFieldName('condition')?.id, alternative?.id]);
    const body = current.namedChildren.filter((c) => !skip.has(c.id));
    let taken: boolean | undefined;
    if (settled) taken = false;
    else if (condition === false) taken = false;
    else if (condition === true) {
      taken = unknownBefore ? undefined : true;
      settled = true;
    } else {
      taken = undefined;
      unknownBefore = true;
    }
    branches.push({ taken, directive: current.text.split('\n')[0]!.trim(), node: current, body });
    current = alternative;
  }
  return branches;
}

function conditionOf(node: CppNode, names: NameValues): boolean | undefined {
  const first = node.child(0)?.text ?? '';
  if (node.type === 'preproc_else') return true;
  if (node.type === 'preproc_ifdef' || node.type === 'preproc_elifdef') {
    const name = node.childForFieldName('name')?.text ?? '';
    const d = names.defined(name);
    if (d === undefined) return undefined;
    return first.endsWith('ndef') ? !d : d;
  }
  const text = node.childForFieldName('condition')?.text;
  if (text === undefined) return undefined;
  const v = evaluate(text, names);
  return v === undefined ? undefined : v !== 0;
}
