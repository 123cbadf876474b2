/**
 * The operations a service understands (SPEC §1 "Typed operations"): named request/answer pairs of
 * declared types, as a type file lists them — `"operations": {"placeOrder": {"request": "Order",
 * "response": "OrderAck"}}`. Each becomes a typed route of the gateway with its own operationId.
 */
import { Type, type Static } from 'typebox';
import { ERR_TYPE_FILE } from '../errors.js';

export const OPERATION_NAME = '^[a-z][A-Za-z0-9]{0,63}$';

const OperationSchema = Type.Object(
  {
    request: Type.String({ description: 'the declared type the service reads' }),
    response: Type.String({ description: 'the declared type it answers with' }),
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** `operations` of a type file: camelCase names, as operationIds are. */
export const OperationsSchema = Type.Record(Type.String({ pattern: OPERATION_NAME }), OperationSchema, {
  additionalProperties: false,
  description: 'request/answer pairs the service understands; each gets a typed route (POST /sessions/{name}/ops/{operation})',
});

export type OperationDecl = Static<typeof OperationSchema>;

export interface Operation extends OperationDecl {
  readonly name: string;
  /** The file (or request) that declared it. */
  readonly source: string;
}

/**
 * Checks a file's operations against the types it and the files before it declare; returns them.
 * `isDeclared` says whether a name is a declared type; `taken` why an operation name cannot be used.
 */
export function resolveOperations(
  decls: Record<string, OperationDecl> | undefined,
  source: string,
  isDeclared: (name: string) => boolean,
  taken: (name: string) => string | undefined,
): Operation[] {
  const out: Operation[] = [];
  for (const [name, decl] of Object.entries(decls ?? {})) {
    const path = `/operations/${name}`;
    const why = taken(name);
    if (why !== undefined) throw new ERR_TYPE_FILE(`${source}: ${path} operation '${name}' ${why}`).with({ path });
    for (const side of ['request', 'response'] as const) {
      if (!isDeclared(decl[side])) {
        throw new ERR_TYPE_FILE(`${source}: ${path}/${side} names '${decl[side].slice(0, 64)}', which is not a declared type`).with({ path: `${path}/${side}` });
      }
    }
    out.push({ ...decl, name, source });
  }
  return out;
}
