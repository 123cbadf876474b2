/**
 * The loaded message types as component schemas, in the three shapes a client meets: `T` — the
 * canonical JSON answers have (one shape per MFC type, what generated clients read), `TLossless` —
 * the forms that reproduce unusual wire bytes (answers with `?form=lossless`), and `TInput` — what
 * requests may send (either). Each with an example, so Swagger UI offers real bodies.
 */
import { exampleOf, type TypeRegistry } from '../../archive/index.js';

const PREFIX = '#/components/schemas/';

export type Flavor = 'canonical' | 'lossless' | 'input';
const SUFFIX: Record<Flavor, string> = { canonical: '', lossless: 'Lossless', input: 'Input' };

/** The component name of declared type `name` in `flavor`. */
export function componentName(name: string, flavor: Flavor): string {
  return `${name}${SUFFIX[flavor]}`;
}

/** Points every `$ref` to a declared type at its `flavor` component. */
function retarget(node: unknown, flavor: Flavor): unknown {
  if (Array.isArray(node)) return node.map((n) => retarget(n, flavor));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith(PREFIX) ? PREFIX + componentName(v.slice(PREFIX.length), flavor) : retarget(v, flavor);
  }
  return out;
}

/** Every declared type in every flavor, by component name. */
export function typeComponents(types: TypeRegistry): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of types.names()) {
    const codec = types.get(name);
    const { root, defs } = codec.schemas(PREFIX);
    const all = name in defs ? defs : { ...defs, [name]: root };
    for (const [defName, def] of Object.entries(all)) {
      for (const flavor of ['canonical', 'lossless', 'input'] as const) {
        const key = componentName(defName, flavor);
        // Built-in structs (CPoint, CRect…) appear among the definitions too; declared types get an example.
        const example = types.has(defName) ? { examples: [exampleOf(types.get(defName).plan)] } : {};
        if (!(key in out)) out[key] = { ...(retarget(def, flavor) as object), ...example };
      }
    }
  }
  return out;
}
