// Pulls up to `depth` items of an async iterator ahead of the consumer, starting at once, so a producer (file
// scanning in JS) runs while the consumer awaits something else (DuckDB loading the previous file or part).
export function prefetch<T>(source: AsyncIterable<T>, depth: number): AsyncIterable<T> & { close(): Promise<void> } {
  const it = source[Symbol.asyncIterator]();
  const queue: Promise<IteratorResult<T>>[] = [];
  let done = false;
  const fill = () => {
    while (!done && queue.length < depth) {
      const p = it.next();
      // A failure surfaces when its turn comes; nothing more is asked of a finished or failed source.
      p.then(
        (r) => {
          if (r.done) done = true;
        },
        () => {
          done = true;
        },
      );
      queue.push(p);
    }
  };
  fill();
  const close = async () => {
    done = true;
    await Promise.allSettled(queue);
    await it.return?.();
  };
  return {
    close,
    async *[Symbol.asyncIterator]() {
      try {
        while (queue.length) {
          const r = await queue.shift()!;
          if (r.done) return;
          fill();
          yield r.value;
        }
      } finally {
        await close();
      }
    },
  };
}
