/**
 * The named constants of the sources — `#define`s, enumerators, `const` variables — under the
 * build's own macros (`--define`, and what the profile decides: `_MFC_VER`, `_UNICODE`…), looked
 * up by name for constant expressions. The first declaration of a name wins, as the first branch
 * read of an undecided `#if` does.
 */
import { evaluate, type NameValues } from './constant-expression.js';
import { predefined, type BuildConfig } from './build-config.js';

export class ConstantTable implements NameValues {
  /** Enumerator → its value expression and the enum it belongs to. */
  private readonly enumerators = new Map<string, { text: string; enumName: string | undefined }>();
  private readonly macros = new Map<string, string>();
  private readonly consts = new Map<string, string>();
  private readonly predefined: Map<string, string | null>;
  sizeOf?: (typeText: string) => number | undefined;

  constructor(readonly build: BuildConfig) {
    this.predefined = predefined(build);
  }

  /** `#define NAME text` (an empty value is "1"). */
  addMacro(name: string, text: string): void {
    if (!this.macros.has(name)) this.macros.set(name, text);
  }

  /** `const T NAME = text;` */
  addConst(name: string, text: string): void {
    if (!this.consts.has(name)) this.consts.set(name, text);
  }

  addEnumerator(name: string, text: string, enumName: string | undefined): void {
    if (!this.enumerators.has(name)) this.enumerators.set(name, { text, enumName });
  }

  value(name: string, depth = 0): number | undefined {
    const text = this.build.defines.get(name) ?? this.predefinedValue(name) ?? this.macros.get(name) ?? this.consts.get(name);
    if (text !== undefined) return evaluate(text, { ...this.bound(), value: (n) => this.value(n, depth + 1) }, depth + 1);
    const e = this.enumerators.get(name);
    if (e !== undefined) return evaluate(e.text, { ...this.bound(), value: (n) => this.value(n, depth + 1) }, depth + 1);
    return undefined;
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

  private bound(): NameValues {
    return { value: (n) => this.value(n), defined: (n) => this.defined(n), sizeOf: (t) => this.sizeOf?.(t) };
  }

  evaluate(text: string): number | undefined {
    return evaluate(text, this.bound());
  }
}
