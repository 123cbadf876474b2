/**
 * Random groups of fields that use grammar part two (SPEC §2), for the random type files of the
 * property tests: counts of every width, counts held by an earlier field, raw blocks, big-endian
 * integers, constants, conditional fields and tagged unions — each with its model (`ModelField`),
 * written from SPEC §2, not from the codec's plans.
 */
import type { FieldDecl, TypeExpr } from '../../../src/archive/index.js';
import type { Draw, ModelCond, ModelField, Scope, Ty } from './arbitraries.js';

interface Group {
  decls: FieldDecl[];
  fields: ModelField[];
}

const COUNT_WIDTHS = ['BYTE', 'WORD', 'DWORD', 'int', 'UINT', 'INT_PTR', 'size_t', 'WriteCount'];
const COUNT_FIELDS: [string, Ty][] = [
  ['BYTE', { k: 'int', min: 0, max: 0xff }],
  ['WORD', { k: 'int', min: 0, max: 0xffff }],
  ['DWORD', { k: 'int', min: 0, max: 0xffffffff }],
  ['int', { k: 'int', min: -0x80000000, max: 0x7fffffff }],
];

/** A small element type: a leaf or one level of construct (`elem` draws it from the file's scope). */
type Elem = (depth: number) => { expr: TypeExpr; ty: Ty };

function condition(d: Draw, subject: string, bool: boolean): ModelCond {
  let c: ModelCond;
  if (bool) c = { field: subject, op: d.pick(['eq', 'ne'] as const), value: d.chance(0.5) };
  else {
    const op = d.pick(['eq', 'ne', 'lt', 'ge', 'in', 'anyBits', 'allBits'] as const);
    c = { field: subject, op, value: op === 'in' ? [d.int(0, 3), d.int(0, 3)] : d.int(0, 3) };
  }
  return d.chance(0.2) ? { not: c } : c;
}

function conditionDecl(c: ModelCond): unknown {
  if ('not' in c) return { not: conditionDecl(c.not) };
  return { field: c.field, [c.op]: c.value };
}

export function genPartTwo(d: Draw, s: Scope, prefix: string, elem: Elem): Group {
  const n = (x: string) => `${prefix}${x}`;
  switch (d.int(0, 6)) {
    case 0: {
      // ar << (WORD)n; for (…) ar << item;
      const count = d.pick(COUNT_WIDTHS);
      const e = elem(1);
      return { decls: [{ name: n('list'), type: count === 'WriteCount' && d.chance(0.5) ? { list: e.expr } : { list: e.expr, count } }], fields: [{ name: n('list'), ty: { k: 'list', elem: e.ty } }] };
    }
    case 1: {
      // ar << m_nCount; ar << m_other; for (i < m_nCount) ar << m_items[i];  (or ar.Write(buf, n))
      const [width, ty] = d.pick(COUNT_FIELDS);
      const big = width !== 'BYTE' && d.chance(0.3);
      const between = elem(0);
      const block = d.chance(0.3);
      const e = elem(1);
      const target = n(block ? 'blob' : 'items');
      return {
        decls: [
          { name: n('count'), type: width, ...(big ? { byteOrder: 'big' as const } : {}) },
          { name: n('mid'), type: between.expr },
          { name: target, type: block ? { bytes: { countField: n('count') } } : { list: e.expr, countField: n('count') } },
        ],
        fields: [
          { name: n('count'), ty, countOf: target },
          { name: n('mid'), ty: between.ty },
          { name: target, ty: block ? { k: 'raw' } : { k: 'list', elem: e.ty } },
        ],
      };
    }
    case 2: {
      // ar.Write(&s, sizeof s); ar << (DWORD)cb; ar.Write(p, cb); CArray<SAMPLE> of raw structs
      const fixed = d.int(0, 6);
      return {
        decls: [
          { name: n('raw'), type: { bytes: fixed } },
          { name: n('sized'), type: { bytes: { count: d.pick(['BYTE', 'WORD', 'DWORD', 'size_t']) } } },
          { name: n('raws'), type: { list: { bytes: 2 } } },
        ],
        fields: [
          { name: n('raw'), ty: { k: 'raw', n: fixed } },
          { name: n('sized'), ty: { k: 'raw' } },
          { name: n('raws'), ty: { k: 'list', elem: { k: 'raw', n: 2 } } },
        ],
      };
    }
    case 3: {
      // ar << (DWORD)MAGIC; ar << (WORD)htons(m_wPort);
      const magic = d.int(0, 0xffff);
      return {
        decls: [
          { name: n('magic'), type: 'WORD', const: magic },
          { name: n('port'), type: 'WORD', byteOrder: 'big' },
        ],
        fields: [
          { name: n('magic'), ty: { k: 'int', min: 0, max: 0xffff }, constant: magic },
          { name: n('port'), ty: { k: 'int', min: 0, max: 0xffff } },
        ],
      };
    }
    case 4: {
      // ar << m_nKind; switch (m_nKind) { case 1: …; case 2: …; default: … }
      const keys = [...new Set([d.int(0, 4), d.int(0, 4), d.int(0, 4)])];
      const cases = keys.map((tag) => ({ tag, ...elem(1) }));
      const fallback = d.chance(0.5) ? elem(1) : undefined;
      return {
        decls: [
          { name: n('kind'), type: 'BYTE' },
          {
            name: n('body'),
            type: {
              switch: n('kind'),
              cases: Object.fromEntries(cases.map((c) => [String(c.tag), c.expr])),
              ...(fallback === undefined ? {} : { default: fallback.expr }),
            },
          },
        ],
        fields: [
          { name: n('kind'), ty: { k: 'int', min: 0, max: 0xff }, tagOf: n('body') },
          { name: n('body'), ty: { k: 'switch', tag: n('kind'), cases: cases.map((c) => ({ tag: c.tag, ty: c.ty })), ...(fallback === undefined ? {} : { fallback: fallback.ty }) } },
        ],
      };
    }
    default: {
      // ar << m_bHas (or m_nVersion); if (m_bHas) ar << m_extra;
      const bool = d.chance(0.5);
      const subject: [string, Ty] = bool
        ? ['bool', { k: 'bool', size: s.flags.mfc < 7 ? 4 : 1 }]
        : ['BYTE', { k: 'int', min: 0, max: 3 }];
      const c = condition(d, n('flag'), bool);
      const e = elem(1);
      return {
        decls: [
          { name: n('flag'), type: subject[0] },
          { name: n('opt'), type: e.expr, when: conditionDecl(c) as FieldDecl['when'] },
        ],
        fields: [
          { name: n('flag'), ty: subject[1] },
          { name: n('opt'), ty: e.ty, when: c },
        ],
      };
    }
  }
}
