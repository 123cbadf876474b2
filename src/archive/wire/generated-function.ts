/**
 * Builds a function from generated source. Each generated function gets its own feedback vector in
 * V8, so its calls stay monomorphic and inline — closures made from one literal share theirs. Only
 * identifiers chosen here and JSON string literals ever enter the source.
 */
export function generate<F>(params: Record<string, unknown>, body: string[]): F {
  // The parameters become locals of the outer function, read from one object: spread as arguments,
  // a struct of 20,000 const fields (80,000 of them) overflowed the stack.
  const names = Object.keys(params);
  const locals = names.length === 0 ? '' : `var ${names.map((n) => `${n} = $.${n}`).join(', ')};\n`;
  return new Function('$', locals + body.join('\n'))(params) as F;
}
