/**
 * The gateway's OpenAPI document as the fuzz sees it: every operation with its parameters, request
 * body and documented answers, and validators (ajv, JSON Schema 2020-12 with ajv-formats) for
 * request bodies and for each documented answer. Schemas are compiled by JSON pointer into the
 * document itself, so `$ref`s to components resolve as the document says.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { asArray, asObject, field, isObject, isSchema, strings, type JsonObject, type Schema } from './json.js';

// CommonJS: its default export arrives as `default` under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: unknown) => unknown;

export interface Param {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Schema;
}

export interface DocumentedAnswer {
  status: string;
  description: string;
  /** Media type (without parameters) → JSON pointer of its schema in the document. */
  media: Map<string, string | undefined>;
  /** Error codes the document gives for this answer (enum, x-error-codes, or backticked in the description). */
  codes: string[] | undefined;
  codesFrom: 'enum' | 'x-error-codes' | 'description' | 'none';
}

export interface Operation {
  key: string;
  method: string;
  template: string;
  operationId: string | undefined;
  params: Param[];
  body: { required: boolean; media: Map<string, string> } | undefined;
  answers: Map<string, DocumentedAnswer>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const DOC_ID = 'urn:archway:openapi';
const PARAM_PLACES: readonly Param['in'][] = ['path', 'query', 'header', 'cookie'];

function isParamPlace(v: unknown): v is Param['in'] {
  return PARAM_PLACES.some((place) => place === v);
}

/** The `$ref` of a node, when it has one. */
function refOf(node: unknown): string | undefined {
  const ref = field(node, '$ref');
  return typeof ref === 'string' ? ref : undefined;
}

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointerGet(root: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '#') return root;
  const parts = pointer.replace(/^#/, '').split('/').slice(1).map((p) => decodeURIComponent(p).replace(/~1/g, '/').replace(/~0/g, '~'));
  let cur: unknown = root;
  for (const p of parts) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

export class ApiModel {
  readonly operations: Operation[] = [];
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(readonly doc: JsonObject) {
    this.ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true, discriminator: true, validateSchema: false });
    addFormats(this.ajv);
    this.ajv.addSchema(doc, DOC_ID, undefined, false);
    for (const [template, item] of Object.entries(asObject(doc.paths))) {
      if (!isObject(item)) continue;
      const shared = asArray(item.parameters) ?? [];
      for (const method of METHODS) {
        const op = item[method];
        if (op === undefined) continue;
        const key = `${method.toUpperCase()} ${template}`;
        if (!isObject(op)) throw new Error(`the document: ${key} is not an object`);
        const base = `#/paths/${escapePointer(template)}/${method}`;
        const params = new Map<string, Param>();
        for (const raw of [...shared, ...(asArray(op.parameters) ?? [])]) {
          const p = this.derefObject(raw, `a parameter of ${key}`);
          const schema = this.deref(p.schema ?? {});
          if (typeof p.name !== 'string' || !isParamPlace(p.in) || !isSchema(schema)) throw new Error(`the document: a parameter of ${key} without a name, a place or a schema`);
          params.set(`${p.in}:${p.name}`, { name: p.name, in: p.in, required: p.required === true || p.in === 'path', schema });
        }
        let body: Operation['body'];
        if (op.requestBody !== undefined) {
          const rb = this.derefObject(op.requestBody, `the request body of ${key}`);
          const rbBase = refOf(op.requestBody) ?? `${base}/requestBody`;
          const media = new Map<string, string>();
          for (const type of Object.keys(asObject(rb.content))) media.set(type, `${rbBase}/content/${escapePointer(type)}/schema`);
          body = { required: rb.required === true, media };
        }
        const answers = new Map<string, DocumentedAnswer>();
        for (const [status, r0] of Object.entries(asObject(op.responses))) {
          const r = this.derefObject(r0, `the ${status} answer of ${key}`);
          const rBase = refOf(r0) ?? `${base}/responses/${escapePointer(status)}`;
          const media = new Map<string, string | undefined>();
          for (const [type, m] of Object.entries(asObject(r.content))) media.set(type.toLowerCase(), field(m, 'schema') === undefined ? undefined : `${rBase}/content/${escapePointer(type)}/schema`);
          const { codes, from } = this.documentedCodes(r);
          answers.set(status, { status, description: typeof r.description === 'string' ? r.description : '', media, codes, codesFrom: from });
        }
        this.operations.push({
          key,
          method: method.toUpperCase(),
          template,
          operationId: typeof op.operationId === 'string' ? op.operationId : undefined,
          params: [...params.values()],
          body,
          answers,
        });
      }
    }
  }

  /** Follows a local `$ref` (one level at a time until none is left). */
  deref(node: unknown): unknown {
    let cur = node;
    for (let i = 0; i < 32; i++) {
      const ref = refOf(cur);
      if (ref === undefined || !ref.startsWith('#')) break;
      cur = pointerGet(this.doc, ref);
    }
    return cur;
  }

  /** `deref`, for a part of the document that must be an object (the document is broken otherwise). */
  private derefObject(node: unknown, what: string): JsonObject {
    const o = this.deref(node);
    if (!isObject(o)) throw new Error(`the document: ${what} is not an object`);
    return o;
  }

  /** The codes a documented error answer allows, from the most precise place the document has them. */
  private documentedCodes(answer: JsonObject): { codes: string[] | undefined; from: DocumentedAnswer['codesFrom'] } {
    const xs = answer['x-error-codes'];
    for (const m of Object.values(asObject(answer.content))) {
      const schema = field(m, 'schema');
      const enumCodes = this.findCodeEnum(schema, 0);
      if (enumCodes !== undefined) return { codes: enumCodes, from: 'enum' };
      const sx = field(schema, 'x-error-codes') ?? field(this.deref(schema ?? {}), 'x-error-codes');
      if (Array.isArray(sx)) return { codes: strings(sx), from: 'x-error-codes' };
    }
    if (Array.isArray(xs)) return { codes: strings(xs), from: 'x-error-codes' };
    const fromText: string[] = [...String(answer.description ?? '').matchAll(/`([A-Z][A-Z0-9_]{2,})`/g)].map((m) => m[1]!);
    if (fromText.length > 0) return { codes: [...new Set(fromText)], from: 'description' };
    return { codes: undefined, from: 'none' };
  }

  private findCodeEnum(schema: unknown, depth: number): string[] | undefined {
    if (!isObject(schema) || depth > 8) return undefined;
    const s = this.deref(schema);
    if (!isObject(s)) return undefined;
    const code = this.deref(field(s.properties, 'code'));
    const values = field(code, 'enum');
    if (Array.isArray(values)) return strings(values);
    const only = field(code, 'const');
    if (only !== undefined) return strings([only]);
    for (const k of ['allOf', 'anyOf', 'oneOf']) {
      const branches = asArray(s[k]);
      if (branches === undefined) continue;
      const found: string[] = branches.flatMap((x) => this.findCodeEnum(x, depth + 1) ?? []);
      if (found.length > 0) return found;
    }
    return undefined;
  }

  /** A validator for the schema at `pointer` in the document. */
  validator(pointer: string): ValidateFunction {
    const known = this.compiled.get(pointer);
    if (known !== undefined) return known;
    const v = this.ajv.compile({ $ref: `${DOC_ID}${pointer}` });
    this.compiled.set(pointer, v);
    return v;
  }

  /** A validator for a free-standing schema whose `$ref`s point into `root` (GET /types/{name} answers). */
  standalone(schema: Schema): ValidateFunction {
    return this.ajv.compile(schema);
  }

  /** The schema at `pointer`, or undefined when the document has none there. */
  schemaAt(pointer: string): Schema | undefined {
    const s = pointerGet(this.doc, pointer);
    return isSchema(s) ? s : undefined;
  }

  /**
   * The operations a raw path reaches, as the router would match it: literal segments equal,
   * a parameter matching any one segment (even an empty one). Query strings are ignored.
   */
  match(method: string, rawPath: string): Operation | undefined {
    const segs = rawPath.split('?')[0]!.split('/');
    return this.operations.find((op) => {
      if (op.method !== method) return false;
      const t = op.template.split('/');
      return t.length === segs.length && t.every((part, i) => /^\{[^}]+\}$/.test(part) || part === segs[i]);
    });
  }

  /** The documented answer for a status: the exact code, then `4XX`-style ranges, then `default`. */
  answerFor(op: Operation, status: number): DocumentedAnswer | undefined {
    return op.answers.get(String(status)) ?? op.answers.get(`${String(status)[0]}XX`) ?? op.answers.get(`${String(status)[0]}xx`) ?? op.answers.get('default');
  }
}
