/**
 * The generated encoder of a declared type: fixed property access per field (field names enter the
 * code only as JSON string literals), validation as it writes, the path of a bad value added while
 * the error unwinds. Part-two fields compile in (SPEC §2): a count field the JSON leaves out is
 * filled in from the list it counts, a const the JSON leaves out is written, a `when` refuses a field
 * whose condition is false and requires one whose condition holds, a `switch` or `countField` gets
 * the earlier value it depends on.
 */
import type { ArchiveWriter } from '../wire/archive-writer.js';
import type { StoreState } from '../objects/archive-state.js';
import { generate } from '../wire/generated-function.js';
import { readerOf } from '../values/json-form.js';
import { toBase64 } from '../wire/base64.js';
import { NO_SCHEMA, countOf, type FieldPlan, type Plan, type StructPlan } from '../types/type-plan.js';
import { conditionSource, conditionText, refAccess } from './condition-source.js';
import { META_KEYS, encodeHelpers } from './encode-helpers.js';

/** (w, value, s) → bytes appended; a count or tag from an earlier field is the fourth argument. */
export type Encoder = (w: ArchiveWriter, value: unknown, s: StoreState, arg?: unknown) => void;

/** A field's value as it is written: the local `x<index>` of its first step, then the path below. */
const access = refAccess((step) => `x${step.index}`, true);

function argumentOf(p: Plan): string {
  if (p.kind === 'switch') return `, ${access(p.tag)}`;
  const count = countOf(p);
  return count?.kind === 'field' ? `, H.count(${access(count.ref)})` : '';
}

/** How a const field's written bytes read back canonically (to compare a given value with the const). */
function constReader(plan: Plan): unknown {
  if (plan.kind === 'prim') return readerOf(plan.prim, 'canonical');
  const n = plan.kind === 'bytes' ? plan.length ?? 0 : 0;
  return (r: { bytes(n: number): Buffer }) => toBase64(r.bytes(n));
}

export function structEncoder(plan: StructPlan, child: (p: Plan) => Encoder): Encoder {
  const fields = plan.fields;
  const names = fields.map((f) => f.name);
  const max = plan.limits.maxDepth;
  const params: Record<string, unknown> = { H: encodeHelpers, N: names };
  const fillsOf = (j: number) => plan.layout.fills.filter((f) => f.ref.steps[0]!.index === j);
  const lines = fields.map((f: FieldPlan, j) => {
    params[`E${j}`] = child(f.plan);
    const parts = [`x${j} = v[${JSON.stringify(f.name)}];`];
    for (const fill of fillsOf(j)) {
      const list = JSON.stringify(fields[fill.from]!.name);
      parts.push(
        fill.ref.steps.length === 1
          ? `if (x${j} === undefined) x${j} = H.fill(v[${list}], ${list});`
          : `x${j} = H.fillAt(x${j}, ${JSON.stringify(fill.ref.steps.slice(1).map((s) => s.name))}, v[${list}], ${list});`,
      );
    }
    let write = `E${j}(w, x${j}, s${argumentOf(f.plan)});`;
    if (f.constant !== undefined) {
      params[`K${j}`] = f.constant.json;
      params[`KC${j}`] = f.constant.canonical;
      params[`CR${j}`] = constReader(f.plan);
      write = `if (x${j} === undefined) x${j} = K${j}; var q${j} = w.pos; ${write} if (x${j} !== K${j}) H.checkConst(w, q${j}, CR${j}, KC${j}, x${j});`;
    }
    if (f.when !== undefined) {
      const text = JSON.stringify(conditionText(f.when));
      // A const the JSON leaves out is written; any other field whose condition holds is required.
      const required = f.constant === undefined ? `if (x${j} === undefined) H.required(${text}); ` : '';
      write = `if (${conditionSource(f.when, access)}) { ${required}${write} } else if (x${j} !== undefined) H.forbidden(${text});`;
    }
    return `    ${parts.join(' ')} ${write} i = ${j + 1};`;
  });
  const cls = plan.cls !== undefined;
  // A class type's value usually carries `$class` (and `$id`): counted as given, they no longer send
  // every object to the slow check of each key by name.
  const meta = cls ? META_KEYS.map((k) => ` + (v[${JSON.stringify(k)}] === undefined ? 0 : 1)`).join('') : '';
  const given = plan.layout.hasOptional ? 'H.given(v, N)' : String(names.length);
  const keyCheck = `  if (Object.keys(v).length !== ${given}${meta}) H.extra(v, N, ${cls});`;
  return generate<Encoder>(params, [
    `return function encode_${plan.name.replace(/\W/g, '_')}(w, v, s, sc) {`,
    `  if (typeof v !== "object" || v === null || Array.isArray(v)) H.notObject(v, ${JSON.stringify(plan.name)});`,
    plan.recursive ? `  if (++s.depth > ${max}) H.tooDeep(${max});` : '',
    plan.layout.usesSchema ? `  if (sc === undefined) sc = ${NO_SCHEMA};` : '',
    `  var i = 0${fields.map((_, j) => `, x${j}`).join('')};`,
    '  try {',
    ...lines,
    '  } catch (e) { throw H.at(e, N[i]); }',
    plan.recursive ? '  s.depth--;' : '',
    keyCheck,
    '};',
  ]);
}
