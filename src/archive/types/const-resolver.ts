/**
 * A field's `"const"` (SPEC §2 "Constants": magic markers, fixed versions): checked when the file
 * loads by writing it as the field's type — so a const the type cannot hold is refused there, not at
 * the first message — and kept with the canonical JSON of those bytes, which is what decoding
 * compares against (a bool const `true` matches any non-zero byte, as MFC reads it).
 */
import { readerOf, schemaOf } from '../values/json-form.js';
import { fromBase64, toBase64 } from '../wire/base64.js';
import { ArchiveReader } from '../wire/archive-reader.js';
import { ArchiveWriter } from '../wire/archive-writer.js';
import { isArchwayError } from '../../core/index.js';
import type { RefContext } from './field-refs.js';
import type { ConstPlan, Plan } from './type-plan.js';

export function resolveConst(value: number | string | boolean, plan: Plan, ctx: RefContext, at: string): ConstPlan {
  if (plan.kind === 'bytes' && plan.length !== undefined) {
    const raw = typeof value === 'string' ? fromBase64(value) : null;
    if (raw === null || raw.length !== plan.length) {
      ctx.fail(`"const" of a ${plan.length}-byte block must be the base64 of exactly ${plan.length} bytes`, at);
    }
    return { json: value, canonical: toBase64(raw), bytes: raw.length };
  }
  if (plan.kind !== 'prim' || (schemaOf(plan.prim, 'canonical') as { type?: unknown }).type === 'object') {
    ctx.fail(`"const" applies to integers, booleans, strings, floats and fixed byte blocks, not to this field's type`, at);
  }
  const w = new ArchiveWriter(32);
  try {
    plan.prim.write(w, value);
  } catch (err) {
    if (!isArchwayError(err)) throw err;
    ctx.fail(`"const" ${JSON.stringify(value)} is not a ${plan.prim.name}: ${err.message}`, at);
  }
  const canonical = readerOf(plan.prim, 'canonical')(new ArchiveReader(w.view()));
  return { json: value, canonical, bytes: w.pos };
}
