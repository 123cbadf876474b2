/**
 * Helpers shared by the property tests: JSON Schema validation of values against a codec's own
 * schemas (draft 2020-12: they use `prefixItems`), canonical JSON, and the one rule for failures
 * of a decode — a typed ArchwayError of the archive layer, never anything else.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type fc from 'fast-check';
import { expect } from 'vitest';
import { ArchwayError, type MessageCodec, type SchemaFlavor } from '../../../src/archive/index.js';

const DRAFT_2020 = 'https://json-schema.org/draft/2020-12/schema';

/** One Ajv for a test file; the codec schemas' annotations are declared so strict mode stays on. */
export function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, strictTypes: false, strictTuples: false, strictRequired: false, allErrors: true });
  ajv.addVocabulary(['example', 'x-mfc-class', 'x-mfc-schema', 'x-archway-todo']);
  return ajv;
}

const compiled = new WeakMap<Ajv2020, Map<string, ValidateFunction>>();

/**
 * Compiles a codec's schema of one flavour (default: what encoders accept): the root, with the
 * declared types under `$defs` where its `$ref`s point. Cached by schema text (shrinking re-runs
 * the same types many times).
 */
export function validatorFor(ajv: Ajv2020, codec: MessageCodec, flavor: SchemaFlavor = 'input'): ValidateFunction {
  const { root, defs } = codec.schemas('#/$defs/', flavor);
  // As a JSON document: TypeBox may hang non-JSON markers on its objects.
  const text = JSON.stringify({ $schema: DRAFT_2020, ...root, $defs: defs });
  let cache = compiled.get(ajv);
  if (cache === undefined) compiled.set(ajv, (cache = new Map()));
  let validate = cache.get(text);
  if (validate === undefined) cache.set(text, (validate = ajv.compile(JSON.parse(text))));
  return validate;
}

/**
 * fast-check options: a modest run count (the suite stays fast on 2 cores), and a time limit so that
 * shrinking a failure (each step re-runs a random type file) reports within the test timeout.
 * Deeper local runs: FC_RUNS_SCALE=20; replay a reported failure: FC_SEED=<seed>.
 */
export function runs(numRuns: number): fc.Parameters<unknown> {
  const scale = Number(process.env.FC_RUNS_SCALE ?? 1);
  const seed = process.env.FC_SEED;
  return {
    numRuns: Math.max(1, Math.round(numRuns * scale)),
    interruptAfterTimeLimit: scale > 1 ? 15_000 * scale : 15_000,
    ...(seed === undefined ? {} : { seed: Number(seed) }),
  };
}

export function expectValid(validate: ValidateFunction, value: unknown, what: string): void {
  const ok = validate(value);
  expect(ok, `${what} value fails the type's JSON Schema: ${JSON.stringify(validate.errors?.slice(0, 3))}\n${JSON.stringify(value)}`).toBe(true);
}

/**
 * The JSON text of a value with object keys sorted: equal for equal JSON values, whatever the key
 * order (and without the test library's prototype checks, which trip over a field named `constructor`).
 */
export function canon(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export const DECODE_CODES = ['ARCHIVE_DECODE', 'ARCHIVE_LIMIT'];

/** Asserts `err` is an archive-layer decode error (ARCHIVE_DECODE or ARCHIVE_LIMIT, with an offset). */
export function expectDecodeError(err: unknown, context: string): ArchwayError {
  if (!(err instanceof ArchwayError)) {
    throw new Error(`${context}: expected an ArchwayError, got ${String(err)}\n${(err as Error)?.stack ?? ''}`);
  }
  expect(DECODE_CODES, `${context}: unexpected code ${err.code}: ${err.message}`).toContain(err.code);
  expect(typeof err.details.offset, `${context}: error without an offset: ${err.message}`).toBe('number');
  return err;
}
