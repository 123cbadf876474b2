/**
 * The gateway's OpenAPI document as the fuzz sees it: every operation with its parameters, request
 * body and documented answers, and validators (ajv, JSON Schema 2020-12 with ajv-formats) for
 * request bodies and for each documented answer. Schemas are compiled by JSON pointer into the
 * document itself, so `$ref`s to components resolve as the document says.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// CommonJS: its default export arrives as `default` under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: unknown) => unknown;

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Schema = Record<string, any> | boolean;

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

  constructor(readonly doc: Record<string, any>) {
    this.ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true, discriminator: true, validateSchema: false });
    addFormats(this.ajv);
    this.ajv.addSchema(doc, DOC_ID, undefined, false);
    for (const [template, item] of Object.entries<Record<string, any>>(doc.paths ?? {})) {
      const shared: any[] = item.parameters ?? [];
      for (const method of METHODS) {
        const op = item[method];
        if (op === undefined) continue;
        const base = `#/paths/${escapePointer(template)}/${method}`;
        const params = new Map<string, Param>();
        for (const [i, raw] of [...shared.map((p, j) => [p, `#/paths/${escapePointer(template)}/parameters/${j}`] as const), ...(op.parameters ?? []).map((p: any, j: number) => [p, `${base}/parameters/${j}`] as const)].entries()) {
          void i;
          const [p0] = raw;
          const p = this.deref(p0);
          params.set(`${p.in}:${p.name}`, { name: p.name, in: p.in, required: p.required === true || p.in === 'path', schema: this.deref(p.schema ?? {}) });
        }
        let body: Operation['body'];
        if (op.requestBody !== undefined) {
          const rb = this.deref(op.requestBody);
          const rbBase = op.requestBody.$ref !== undefined ? op.requestBody.$ref : `${base}/requestBody`;
          const media = new Map<string, string>();
          for (const type of Object.keys(rb.content ?? {})) media.set(type, `${rbBase}/content/${escapePointer(type)}/schema`);
          body = { required: rb.required === true, media };
        }
        const answers = new Map<string, DocumentedAnswer>();
        for (const [status, r0] of Object.entries<any>(op.responses ?? {})) {
          const r = this.deref(r0);
          const rBase = r0.$ref !== undefined ? r0.$ref : `${base}/responses/${escapePointer(status)}`;
          const media = new Map<string, string | undefined>();
          for (const [type, m] of Object.entries<any>(r.content ?? {})) media.set(type.toLowerCase(), m.schema === undefined ? undefined : `${rBase}/content/${escapePointer(type)}/schema`);
          const { codes, from } = this.documentedCodes(r);
          answers.set(status, { status, description: r.description ?? '', media, codes, codesFrom: from });
        }
        this.operations.push({
          key: `${method.toUpperCase()} ${template}`,
          method: method.toUpperCase(),
          template,
          operationId: op.operationId,
          params: [...params.values()],
          body,
          answers,
        });
      }
    }
  }

  /** Follows a local `$ref` (one level at a time until none is left). */
  deref<T = any>(node: any): T {
    let cur = node;
    for (let i = 0; i < 32 && cur !== null && typeof cur === 'object' && typeof cur.$ref === 'string' && cur.$ref.startsWith('#'); i++) cur = pointerGet(this.doc, cur.$ref);
    return cur as T;
  }

  /** The codes a documented error answer allows, from the most precise place the document has them. */
  private documentedCodes(answer: any): { codes: string[] | undefined; from: DocumentedAnswer['codesFrom'] } {
    const xs = answer['x-error-codes'];
    for (const m of Object.values<any>(answer.content ?? {})) {
      const enumCodes = this.findCodeEnum(m.schema, 0);
      if (enumCodes !== undefined) return { codes: enumCodes, from: 'enum' };
      const sx = m.schema?.['x-error-codes'] ?? this.deref(m.schema ?? {})?.['x-error-codes'];
      if (Array.isArray(sx)) return { codes: sx, from: 'x-error-codes' };
    }
    if (Array.isArray(xs)) return { codes: xs, from: 'x-error-codes' };
    const fromText: string[] = [...String(answer.description ?? '').matchAll(/`([A-Z][A-Z0-9_]{2,})`/g)].map((m) => m[1]!);
    if (fromText.length > 0) return { codes: [...new Set(fromText)], from: 'description' };
    return { codes: undefined, from: 'none' };
  }

  private findCodeEnum(schema: any, depth: number): string[] | undefined {
    if (schema === undefined || schema === null || typeof schema !== 'object' || depth > 8) return undefined;
    const s = this.deref(schema);
    const code = s.properties?.code === undefined ? undefined : this.deref(s.properties.code);
    if (Array.isArray(code?.enum)) return code.enum;
    if (code?.const !== undefined) return [code.const];
    for (const k of ['allOf', 'anyOf', 'oneOf']) {
      if (!Array.isArray(s[k])) continue;
      const found: string[] = s[k].flatMap((x: any) => this.findCodeEnum(x, depth + 1) ?? []);
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
    return this.ajv.compile(schema as object);
  }

  schemaAt(pointer: string): Schema {
    return pointerGet(this.doc, pointer) as Schema;
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
