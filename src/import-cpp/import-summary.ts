/**
 * The stderr report of `archway import-cpp`: one summary line, then one line per todo (type,
 * field, and the note with its C++ line and file:line), so a reader can work through them in order.
 */
import type { ImportReport } from './import-cpp.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function summaryLines(report: ImportReport): string[] {
  return [
    `archway import-cpp: ${plural(report.files, 'file')}, ${plural(report.functions, 'Serialize function')}, ` +
      `${plural(report.types, 'type')}, ${plural(report.fieldsTranslated, 'field')} translated, ${plural(report.todos.length, 'todo')}`,
    ...report.todos.map((t) => `  todo ${t.type}.${t.field}: ${t.note}`),
  ];
}
