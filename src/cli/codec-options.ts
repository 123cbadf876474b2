/**
 * `--types FILE --type NAME [--code-page N]`, shared by `encode` and `decode`: loads the message-type
 * file (JSON or YAML) and picks the codec of a declared type or of any type expression.
 */
import { readFile } from 'node:fs/promises';
// Light modules only: the codec (with TypeBox, about half a second to load) is imported when a
// type file is read, so usage errors and --help answer at once.
import type { MessageCodec, TypeExpr } from '../archive/index.js';
import { codePageExists } from '../archive/values/code-page.js';
import { ERR_TYPE_FILE } from '../archive/errors.js';
import { integerOption, required, usage } from './options.js';
import type { OptionValues } from './options.js';

export const CODEC_OPTIONS = {
  types: { type: 'string' },
  type: { type: 'string' },
  'code-page': { type: 'string' },
} as const;

export const CODEC_OPTIONS_HELP = [
  '  --types FILE     the message-type file (JSON or YAML, SPEC section 2)',
  '  --type NAME      a type the file declares, or a type expression: DWORD, CStringArray,',
  '                   \'{"list":"WORD"}\'',
  '  --code-page N    the ANSI code page of narrow strings, instead of the file\'s "codePage"',
];

export interface CodecChoice {
  typesFile: string;
  type: string;
  codePage: number | undefined;
}

/** Checks the options (usage errors, exit 2) before any file is read. */
export function codecChoice(values: OptionValues<typeof CODEC_OPTIONS>, synopsis: string): CodecChoice {
  const typesFile = required(values.types, '--types', synopsis);
  const type = required(values.type, '--type', synopsis);
  const codePage = integerOption(values['code-page'], '--code-page', 1, 65535, synopsis);
  if (codePage !== undefined && !codePageExists(codePage)) {
    throw usage(`--code-page ${codePage} is not a supported code page`, synopsis);
  }
  return { typesFile, type, codePage };
}

/** The codec `choice` names; throws `ArchwayError`s (TYPE_FILE, UNKNOWN_TYPE) for bad input. */
export async function loadCodec(choice: CodecChoice): Promise<MessageCodec> {
  let text: string;
  try {
    text = await readFile(choice.typesFile, 'utf8');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ERR_TYPE_FILE(`cannot read the message-type file: ${reason}`);
  }
  const [{ TypeRegistry, TypeExprSchema, readTypeFileText }, { default: Compile }] = await Promise.all([
    import('../archive/index.js'),
    import('typebox/compile'),
  ]);
  const registry = new TypeRegistry();
  try {
    const file = readTypeFileText(text, choice.typesFile);
    // The override replaces the file-wide code page only; fields with their own "codePage" keep it.
    registry.add(choice.codePage === undefined ? file : { ...file, codePage: choice.codePage }, choice.typesFile);
  } catch (err) {
    // Schema problems do not say which file; the person running the CLI may have passed several.
    if (ERR_TYPE_FILE.is(err) && !err.message.includes(choice.typesFile)) err.message = `${choice.typesFile}: ${err.message}`;
    throw err;
  }
  const info = registry.files()[0];
  const expr = typeExpression(choice.type, (value) => Compile(TypeExprSchema).Check(value));
  return registry.codecFor(expr, {
    profile: info?.profile,
    codePage: choice.codePage ?? info?.codePage,
  });
}

/** `--type` is a name unless it looks like JSON (`{"list": "WORD"}`). */
function typeExpression(text: string, isTypeExpr: (value: unknown) => boolean): TypeExpr {
  if (!text.trimStart().startsWith('{')) return text;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ERR_TYPE_FILE(`--type is neither a type name nor a JSON type expression: ${reason}`);
  }
  // Checked here because the resolver assumes a well-formed expression and reports odd reasons.
  if (!isTypeExpr(value)) {
    throw new ERR_TYPE_FILE(
      `--type ${text} is not a type expression: use {"list": T}, {"fixed": T, "length": N}, {"map": [K, V]}, {"object": C} or {"bytes": N}`,
    );
  }
  return value as TypeExpr;
}
