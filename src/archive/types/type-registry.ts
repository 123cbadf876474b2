/**
 * The message types known to one process (or one gateway instance: nothing here is global). Files
 * are added whole or not at all; types never change once added, so codecs in use stay valid.
 * Ad-hoc types (`{"type": "DWORD"}`, `{"type": {"list": "CString"}}`) compile on first use, keyed
 * by the peer profile and code page they are written for.
 */
import { codePage as getCodePage, codePageProblem } from '../values/code-page.js';
import { ERR_TOO_MANY_TYPES, ERR_TYPE_FILE, ERR_TYPE_IN_USE, unknownOperation, unknownType, validationError } from '../errors.js';
import { resolveOperations, type Operation } from './operations.js';
import { resolveLimits, type Limits } from '../values/limits.js';
import { MessageCodec } from './message-codec.js';
import { profileFlags, type Profile } from '../values/profile.js';
import { checkNesting } from './nesting.js';
import { parseTypeFile, readTypeFileText, type TypeExpr, type TypeFile } from './type-file.js';
import { children, type Plan, type StructPlan } from './type-plan.js';
import { resolveExpression, resolveTypeFile } from './type-resolver.js';

/** Ad-hoc codecs kept compiled at most. */
const MAX_AD_HOC = 512;

/**
 * The longest ad-hoc expression, as JSON: each one kept is keyed by its JSON, and a request of
 * `{"object": ["C", "C", …]}` (8 MB each) filled the 512 places with 4 GB. A longer one belongs in
 * a type file.
 */
export const MAX_AD_HOC_JSON = 16 * 1024;

export interface WireOptions {
  profile?: Partial<Profile>;
  codePage?: number;
}

interface RegistryOptions {
  /** Declared types held at most (default: no limit). */
  maxTypes?: number;
}

export interface TypeFileInfo {
  source: string;
  profile: Profile;
  codePage: number;
  types: string[];
}

export class TypeRegistry {
  readonly limits: Limits;
  private readonly structs = new Map<string, StructPlan>();
  private readonly codecs = new Map<string, MessageCodec>();
  private readonly adHoc = new Map<string, MessageCodec>();
  private fileInfo: TypeFileInfo[] = [];
  private readonly maxTypes: number;
  private readonly ops = new Map<string, Operation>();
  /** Changes with every type or operation added or removed (documents built from it are stale). */
  version = 0;
  private reserved: (name: string) => boolean = () => false;

  constructor(limits: Partial<Limits> = {}, options: RegistryOptions = {}) {
    this.limits = resolveLimits(limits);
    this.maxTypes = options.maxTypes ?? Number.POSITIVE_INFINITY;
  }

  /** Adds every type of a parsed (or raw JSON) type file, all or none; returns their names. */
  add(file: TypeFile | unknown, source = 'inline'): string[] {
    const parsed = parseTypeFile(file);
    const adding = Object.keys(parsed.types).length;
    if (this.structs.size + adding > this.maxTypes) throw new ERR_TOO_MANY_TYPES(this.structs.size, adding, this.maxTypes);
    const added = resolveTypeFile(parsed, this.structs, this.limits);
    const operations = resolveOperations(parsed.operations, source, (n) => this.structs.has(n) || added.has(n), (n) =>
      this.ops.has(n) ? 'is already declared' : this.reserved(n) ? 'is a name the gateway uses for a route of its own: choose another' : undefined);
    // Compiled before anything is kept: a file is added whole or not at all.
    const codecs = [...added].map(([name, plan]) => [plan, new MessageCodec(name, plan, this.limits)] as const);
    for (const op of operations) this.ops.set(op.name, op);
    this.version++;
    for (const [plan, codec] of codecs) {
      this.structs.set(plan.name, plan);
      this.codecs.set(plan.name, codec);
    }
    const flags = profileFlags(parsed.profile);
    this.fileInfo.push({
      source,
      profile: { mfc: flags.mfc, unicode: flags.unicode, win64: flags.win64 },
      codePage: parsed.codePage ?? 1252,
      types: [...added.keys()],
    });
    return [...added.keys()];
  }

  /** Adds a type file given as JSON or YAML text. */
  addText(text: string, source = 'inline'): string[] {
    return this.add(readTypeFileText(text, source), source);
  }

  /**
   * Removes a declared type that no other type uses (TYPE_IN_USE otherwise); codecs already handed
   * out keep working. Its memory goes with the last codec that holds it.
   */
  remove(name: string): void {
    const plan = this.structs.get(name);
    if (plan === undefined) throw unknownType(name, this.names());
    for (const other of this.structs.values()) {
      if (other !== plan && uses(other, plan)) throw new ERR_TYPE_IN_USE(name, other.name);
    }
    for (const op of this.ops.values()) {
      if (op.request === name || op.response === name) throw new ERR_TYPE_IN_USE(name, `operation ${op.name}`);
    }
    this.version++;
    this.structs.delete(name);
    this.codecs.delete(name);
    this.adHoc.clear(); // compiled expressions may reach the type: they compile again on demand
    this.fileInfo = this.fileInfo
      .map((f) => ({ ...f, types: f.types.filter((t) => t !== name) }))
      .filter((f) => f.types.length > 0);
  }

  /** The operation of that name, or UNKNOWN_OPERATION naming those declared. */
  operation(name: string): Operation {
    const op = this.ops.get(name);
    if (op === undefined) throw unknownOperation(name, [...this.ops.keys()]);
    return op;
  }

  /**
   * Names that no operation may take (a gateway's own operationIds); checked for files added from
   * now on — the caller checks those already added with `operations()`.
   */
  reserve(isReserved: (name: string) => boolean): void {
    this.reserved = isReserved;
  }

  /** Every operation, in the order their files were added. */
  operations(): Operation[] {
    return [...this.ops.values()];
  }

  has(name: string): boolean {
    return this.codecs.has(name);
  }

  /** The codec of a declared type. */
  get(name: string): MessageCodec {
    const codec = this.codecs.get(name);
    if (codec === undefined) throw unknownType(name, this.names());
    return codec;
  }

  names(): string[] {
    return [...this.codecs.keys()];
  }

  files(): readonly TypeFileInfo[] {
    return this.fileInfo;
  }

  /**
   * The codec of any type expression: a declared type, a primitive (`"DWORD"`), a collection
   * (`"CStringArray"`) or a construct (`{"list": "WORD"}`), for a peer built as `wire` says.
   */
  codecFor(expr: TypeExpr, wire: WireOptions = {}): MessageCodec {
    if (typeof expr === 'string') {
      const declared = this.codecs.get(expr);
      if (declared !== undefined) return declared;
    }
    checkNesting(expr, 'expression', 'the type expression');
    const json = JSON.stringify(expr);
    // A name is short or unknown, and an unknown one is never kept: only constructs are capped.
    if (typeof expr !== 'string' && json.length > MAX_AD_HOC_JSON) {
      throw validationError(`the type expression is ${json.length} characters of JSON, more than ${MAX_AD_HOC_JSON}: declare it as a type in a type file and name that`);
    }
    const flags = profileFlags(wire.profile);
    const cp = wire.codePage ?? 1252;
    const key = `${json}|${flags.mfc}|${flags.unicode}|${flags.win64}|${cp}`;
    let codec = this.adHoc.get(key);
    if (codec === undefined) {
      const cpProblem = codePageProblem(cp);
      if (cpProblem !== undefined) throw new ERR_TYPE_FILE(`code page ${cp} ${cpProblem}`);
      let plan;
      try {
        plan = resolveExpression(expr, this.structs, { flags, codePage: getCodePage(cp), wide: flags.unicode, limits: this.limits });
      } catch (err) {
        if (!ERR_TYPE_FILE.is(err)) throw err;
        throw unknownType(typeof expr === 'string' ? expr : json, this.names(), err.message.replace(/^type: (\(root\) )?/, ''));
      }
      codec = new MessageCodec(typeof expr === 'string' ? expr : json, plan, this.limits);
      // Bounded: expressions may come from requests, and each compiles to code. The oldest goes.
      if (this.adHoc.size >= MAX_AD_HOC) this.adHoc.delete(this.adHoc.keys().next().value!);
      this.adHoc.set(key, codec);
    }
    return codec;
  }
}

/** True when `from`'s fields reach `target` without going through another declared type. */
function uses(from: StructPlan, target: StructPlan): boolean {
  const stack: Plan[] = from.fields.map((f) => f.plan);
  const seen = new Set<Plan>();
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (p === target) return true;
    if (seen.has(p) || p.kind === 'struct') continue;
    seen.add(p);
    for (const c of children(p)) stack.push(c);
  }
  return false;
}
