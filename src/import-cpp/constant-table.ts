/**
 * The named constants of the sources — `#define`s, enumerators, `const` variables — under the
 * build's own macros (`--define`, and what the profile decides: `_MFC_VER`, `_UNICODE`…), looked
 * up by name for constant expressions. The first declaration of a name wins, as the first branch
 * read of an undecided `#if` does. Each value is worked out once, until a declaration is added:
 * `#define A1 (A0 + A0)` … `A30` would otherwise be 2^30 evaluations.
 */
import { evaluate, type NameValues } from './constant-expression.js';
import { predefined, type BuildConfig } from './build-config.js';

/** An enumerator is `offset` places after the last one given a value (`base`, "0" if none was). */
interface Enumerator {
  base: string;
  offset: number;
  enumName: string | undefined;
}

/** Names inside names: deeper, a value is unknown (each level is some 30 stack frames of `evaluate`). */
const MAX_NESTING = 64;

export class ConstantTable implements NameValues {
  private readonly enumerators = new Map<string, Enumerator>();
  private readonly macros = new Map<string, string>();
  private readonly consts = new Map<string, string>();
  private readonly predefined: Map<string, string | null>;
  /** Values worked out so far (undefined: unknown). */
  private readonly known = new Map<string, number | undefined>();
  /** Names whose value is being worked out: met again, they refer to themselves. */
  private readonly pending = new Set<string>();
  sizeOf?: (typeText: string) => number | undefined;

  constructor(readonly build: BuildConfig) {
    this.predefined = predefined(build);
  }

  /** `#define NAME text` (an empty value is "1"). */
  addMacro(name: string, text: string): void {
    if (this.macros.has(name)) return;
    this.macros.set(name, text);
    this.forget();
  }

  /** `const T NAME = text;` */
  addConst(name: string, text: string): void {
    if (this.consts.has(name)) return;
    this.consts.set(name, text);
    this.forget();
  }

  addEnumerator(name: string, base: string, offset: number, enumName: string | undefined): void {
    if (this.enumerators.has(name)) return;
    this.enumerators.set(name, { base, offset, enumName });
    this.forget();
  }

  /** Drops the values worked out: a declaration added since may make an unknown one known. */
  protected forget(): void {
    this.known.clear();
  }

  value(name: string): number | undefined {
    if (this.known.has(name)) return this.known.get(name);
    if (this.pending.has(name) || this.pending.size >= MAX_NESTING) return undefined;
    this.pending.add(name);
    let v: number | undefined;
    try {
      v = this.workOut(name);
    } finally {
      this.pending.delete(name);
    }
    // A value worked out while a name was cut short (a cycle, the nesting limit) is unknown or
    // right, never wrong: kept, or a cycle through a doubling chain would be exponential again.
    this.known.set(name, v);
    return v;
  }

  private workOut(name: string): number | undefined {
    const text = this.build.defines.get(name) ?? this.predefinedValue(name) ?? this.macros.get(name) ?? this.consts.get(name);
    if (text !== undefined) return this.evaluate(text);
    const e = this.enumerators.get(name);
    if (e === undefined) return undefined;
    const base = this.evaluate(e.base);
    return base === undefined ? undefined : base + e.offset;
  }

  defined(name: string): boolean | undefined {
    if (this.build.undefines.has(name)) return false;
    if (this.build.defines.has(name)) return true;
    if (this.predefined.has(name)) return this.predefined.get(name) !== null;
    if (this.macros.has(name)) return true;
    return undefined;
  }

  /** The enum an enumerator belongs to (`KIND_LOGIN` → `MsgKind`). */
  enumOf(enumerator: string): string | undefined {
    return this.enumerators.get(enumerator)?.enumName;
  }

  isEnumerator(name: string): boolean {
    return this.enumerators.has(name);
  }

  isConstant(name: string): boolean {
    return this.enumerators.has(name) || this.macros.has(name) || this.consts.has(name) || this.build.defines.has(name);
  }

  private predefinedValue(name: string): string | undefined {
    return this.predefined.get(name) ?? undefined;
  }

  evaluate(text: string): number | undefined {
    return evaluate(text, { value: (n) => this.value(n), defined: (n) => this.defined(n), sizeOf: (t) => this.sizeOf?.(t) });
  }
}
