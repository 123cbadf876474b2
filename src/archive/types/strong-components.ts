/**
 * Strongly connected components of a graph (Tarjan), walked with an explicit stack: the graphs
 * are the types of a file a web client may send, so nothing here recurses along them.
 */

interface Visit<T> {
  readonly id: number;
  readonly edges: readonly T[];
  next: number;
}

/**
 * The components of the nodes reachable from `roots` along `next`, each after every component it
 * reaches (successors first: a bottom-up walk can read its successors' results).
 */
export function strongComponents<T>(roots: Iterable<T>, next: (node: T) => readonly T[]): T[][] {
  const ids = new Map<T, number>();
  const nodes: T[] = [];
  const low: number[] = [];
  const onStack: boolean[] = [];
  const stack: number[] = [];
  const out: T[][] = [];
  const work: Visit<T>[] = [];
  const visit = (node: T): void => {
    const id = nodes.length;
    ids.set(node, id);
    nodes.push(node);
    low.push(id);
    onStack.push(true);
    stack.push(id);
    work.push({ id, edges: next(node), next: 0 });
  };
  for (const root of roots) {
    if (!ids.has(root)) visit(root);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      if (top.next < top.edges.length) {
        const to = top.edges[top.next++]!;
        const seen = ids.get(to);
        if (seen === undefined) visit(to);
        else if (onStack[seen]) low[top.id] = Math.min(low[top.id]!, seen);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low[parent.id] = Math.min(low[parent.id]!, low[top.id]!);
      if (low[top.id] !== top.id) continue;
      const component: T[] = [];
      let id: number;
      do {
        id = stack.pop()!;
        onStack[id] = false;
        component.push(nodes[id]!);
      } while (id !== top.id);
      out.push(component);
    }
  }
  return out;
}

/** The nodes of `components` that reach themselves (a component of several, or a node with a loop). */
export function onCycles<T>(components: readonly (readonly T[])[], next: (node: T) => readonly T[]): Set<T> {
  const cyclic = new Set<T>();
  for (const c of components) {
    if (c.length > 1 || next(c[0]!).includes(c[0]!)) for (const node of c) cyclic.add(node);
  }
  return cyclic;
}
