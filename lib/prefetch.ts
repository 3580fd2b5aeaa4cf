// Pulls up to `depth` items of an async iterator ahead of the consumer, so a producer (file scanning in JS)
// runs while the consumer awaits something else (DuckDB loading the previous part).
export async function* prefetch<T>(source: AsyncIterator<T> | AsyncIterable<T>, depth: number): AsyncGenerator<T> {
  const it = Symbol.asyncIterator in source ? (source as AsyncIterable<T>)[Symbol.asyncIterator]() : (source as AsyncIterator<T>);
  const queue: Promise<IteratorResult<T>>[] = [];
  let done = false;
  const fill = () => {
    while (!done && queue.length < depth) {
      const p = it.next();
      queue.push(p);
      // Stop asking once the source is finished or failed; the failure surfaces when its turn comes.
      p.then(
        (r) => {
          if (r.done) done = true;
        },
        () => {
          done = true;
        },
      );
      if (queue.length >= depth) break;
    }
  };
  try {
    fill();
    while (queue.length) {
      const r = await queue.shift()!;
      if (r.done) return;
      fill();
      yield r.value;
    }
  } finally {
    await it.return?.();
  }
}
