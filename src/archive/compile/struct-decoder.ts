/**
 * The generated decoder of a declared type (one per JSON form, and one more for its use as a
 * CObject with `$class`/`$id`): fields read into locals in order, then one object literal — a
 * stable shape. Part-two fields compile in: a `when` is an `if` around the read (absent fields left
 * out of the object), a `countField` or `switch` passes the earlier value to the field's decoder, a
 * `const` is compared after the read. Nothing is interpreted per message.
 */
import type { ArchiveReader } from '../wire/archive-reader.js';
import type { LoadState } from '../objects/archive-state.js';
import { generate } from '../wire/generated-function.js';
import type { JsonForm } from '../values/json-form.js';
import { NO_SCHEMA, countOf, type FieldPlan, type StructPlan } from '../types/type-plan.js';
import { conditionSource, refAccess } from './condition-source.js';
import { decodeHelpers } from './decode-helpers.js';

/** (r, s) → value; a count or tag read before is the third argument of the decoders that need one. */
export type Decoder = (r: ArchiveReader, s: LoadState, arg?: unknown) => unknown;
export type ClassDecoder = (r: ArchiveReader, s: LoadState, id: number, cls: string, schema: number) => Record<string, unknown>;

/** A decoded field's value: the local `f<index>` of its first step, then the path below it. */
const access = refAccess((step) => `f${step.index}`);

/** The argument a field's decoder takes from earlier fields: a count, or a switch tag. */
function argumentOf(f: FieldPlan): string {
  const p = f.plan;
  if (p.kind === 'switch') return `, ${access(p.tag)}`;
  const count = countOf(p);
  if (count?.kind === 'field') return `, H.count(${access(count.ref)}, r, ${JSON.stringify(count.ref.path)})`;
  return '';
}

export function structDecoder(
  plan: StructPlan,
  form: JsonForm,
  forClass: boolean,
  child: (f: FieldPlan, form: JsonForm) => Decoder,
): Decoder | ClassDecoder {
  const fields = plan.fields;
  const max = plan.limits.maxDepth;
  const params: Record<string, unknown> = { H: decodeHelpers, N: fields.map((f) => f.name) };
  const reads = fields.map((f, i) => {
    params[`D${i}`] = child(f, form);
    let read = `f${i} = D${i}(r, s${argumentOf(f)});`;
    if (f.constant !== undefined) {
      params[`K${i}`] = f.constant.canonical;
      if (form === 'canonical') {
        read = `var o${i} = r.offset; ${read} if (f${i} !== K${i}) H.badConst(o${i}, f${i}, K${i});`;
      } else {
        // The check compares canonical values (a bool const matches any non-zero byte), then the
        // lossless value is read from the same bytes.
        params[`C${i}`] = child(f, 'canonical');
        read = `var p${i} = r.pos, o${i} = r.offset, c${i} = C${i}(r, s); if (c${i} !== K${i}) H.badConst(o${i}, c${i}, K${i}); r.pos = p${i}; ${read}`;
      }
    }
    if (f.when !== undefined) read = `if (${conditionSource(f.when, access)}) { ${read} }`;
    return `    ${read} i = ${i + 1};`;
  });
  const conditional = fields.some((f) => f.when !== undefined);
  const meta = forClass ? ['"$class": cls', '"$id": id'] : [];
  const build = conditional
    ? [
        `  var o = {${meta.join(', ')}};`,
        ...fields.map((f, i) => `  ${f.when === undefined ? '' : `if (f${i} !== undefined) `}o[${JSON.stringify(f.name)}] = f${i};`),
        '  return o;',
      ]
    : [`  return {${[...meta, ...fields.map((f, i) => `${JSON.stringify(f.name)}: f${i}`)].join(', ')}};`];
  const lines = [
    `return function decode_${plan.name.replace(/\W/g, '_')}(r, s${forClass ? ', id, cls, sc' : ''}) {`,
    plan.recursive ? `  if (++s.depth > ${max}) H.tooDeep(r, ${max});` : '',
    !forClass && plan.layout.usesSchema ? `  var sc = ${NO_SCHEMA};` : '',
    `  var i = 0${fields.map((_, i) => `, f${i}`).join('')};`,
    '  try {',
    ...reads,
    '  } catch (e) { throw H.at(e, N[i]); }',
    plan.recursive ? '  s.depth--;' : '',
    ...build,
    '};',
  ];
  return generate<Decoder | ClassDecoder>(params, lines);
}
