/**
 * The loaded message types as component schemas, in the three shapes a client meets: `T` — the
 * canonical JSON answers have (one shape per MFC type, what generated clients read), `TLossless` —
 * the forms that reproduce unusual wire bytes (answers with `?form=lossless`), and `TInput` — what
 * requests may send (either). Each with an example, so Swagger UI offers real bodies.
 */
import { definitionName, type SchemaFlavor, type TypeRegistry } from '../../archive/index.js';

const PREFIX = '#/components/schemas/';

export type Flavor = SchemaFlavor;
const FLAVORS: readonly Flavor[] = ['canonical', 'lossless', 'input'];

/** The component name of declared type `name` in `flavor` (the archive layer names them). */
export function componentName(name: string, flavor: Flavor): string {
  return definitionName(name, flavor);
}

/**
 * Every declared type in every flavor, by component name: the codec's own schemas of each form,
 * so the document says exactly what the compiled decoders give and the encoders take.
 */
export function typeComponents(types: TypeRegistry): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of types.names()) {
    for (const flavor of FLAVORS) {
      const suffix = componentName('', flavor);
      const { root, defs } = types.get(name).schemas(PREFIX, flavor);
      const own = componentName(name, flavor);
      const all = own in defs ? defs : { ...defs, [own]: root };
      for (const [key, def] of Object.entries(all)) {
        if (key in out) continue;
        // Built-in structs (CPoint, CRect…) appear among the definitions too; declared types get an example.
        const type = key.slice(0, key.length - suffix.length);
        const example = types.has(type) ? types.get(type).example : undefined;
        out[key] = example === undefined ? def : { ...def, examples: [example] };
      }
    }
  }
  return out;
}
