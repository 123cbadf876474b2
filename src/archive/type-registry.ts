/**
 * The message types known to one process (or one gateway instance: nothing here is global). Files
 * are added whole or not at all; types never change once added, so codecs in use stay valid.
 * Ad-hoc types (`{"type": "DWORD"}`, `{"type": {"list": "CString"}}`) compile on first use, keyed
 * by the peer profile and code page they are written for.
 */
import { codePage as getCodePage, codePageExists } from './code-page.js';
import { ERR_TYPE_FILE, unknownType } from './errors.js';
import { resolveLimits, type Limits } from './limits.js';
import { MessageCodec } from './message-codec.js';
import { profileFlags, type Profile } from './profile.js';
import { parseTypeFile, readTypeFileText, type TypeExpr, type TypeFile } from './type-file.js';
import type { StructPlan } from './type-plan.js';
import { resolveExpression, resolveTypeFile } from './type-resolver.js';

/** Ad-hoc codecs kept compiled at most. */
const MAX_AD_HOC = 512;

export interface WireOptions {
  profile?: Partial<Profile>;
  codePage?: number;
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
  private readonly fileInfo: TypeFileInfo[] = [];

  constructor(limits: Partial<Limits> = {}) {
    this.limits = resolveLimits(limits);
  }

  /** Adds every type of a parsed (or raw JSON) type file; returns their names. */
  add(file: TypeFile | unknown, source = 'inline'): string[] {
    const parsed = parseTypeFile(file);
    const added = resolveTypeFile(parsed, this.structs, this.limits);
    for (const [name, plan] of added) {
      this.structs.set(name, plan);
      this.codecs.set(name, new MessageCodec(name, plan, this.limits));
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
    const flags = profileFlags(wire.profile);
    const cp = wire.codePage ?? 1252;
    const key = `${JSON.stringify(expr)}|${flags.mfc}|${flags.unicode}|${flags.win64}|${cp}`;
    let codec = this.adHoc.get(key);
    if (codec === undefined) {
      if (!codePageExists(cp)) throw new ERR_TYPE_FILE(`code page ${cp} is not supported`);
      let plan;
      try {
        plan = resolveExpression(expr, this.structs, { flags, codePage: getCodePage(cp), wide: flags.unicode, limits: this.limits });
      } catch (err) {
        if (!ERR_TYPE_FILE.is(err)) throw err;
        throw unknownType(JSON.stringify(expr), this.names(), err.message.replace(/^type: (\(root\) )?/, ''));
      }
      codec = new MessageCodec(typeof expr === 'string' ? expr : JSON.stringify(expr), plan, this.limits);
      // Bounded: expressions may come from requests, and each compiles to code. The oldest goes.
      if (this.adHoc.size >= MAX_AD_HOC) this.adHoc.delete(this.adHoc.keys().next().value!);
      this.adHoc.set(key, codec);
    }
    return codec;
  }
}
