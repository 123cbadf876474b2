/**
 * Builds a function from generated source. Each generated function gets its own feedback vector in
 * V8, so its calls stay monomorphic and inline — closures made from one literal share theirs. Only
 * identifiers chosen here and JSON string literals ever enter the source.
 */
export function generate<F>(params: Record<string, unknown>, body: string[]): F {
  const names = Object.keys(params);
  return new Function(...names, body.join('\n'))(...names.map((n) => params[n])) as F;
}
