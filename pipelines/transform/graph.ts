// The model DAG: edges from the tables each model reads, a deterministic topological order, cycle and
// unknown-reference errors, and `--select` (model, model+ downstream, +model upstream).
import { JianguanError } from '../../lib/errors.ts';
import { LAYERS, type Model, ModelError } from '../catalog/models.ts';

export interface Graph {
  /** Models in build order. */
  ordered: Model[];
  /** Model name → names of the models it reads. */
  upstream: Map<string, string[]>;
  /** Model name → names of the models that read it. */
  downstream: Map<string, string[]>;
}

const layerRank = (m: Model) => LAYERS.findIndex((l) => l.dir === m.layer);

/**
 * Order `models` so each comes after every model it reads. `sources` are the tables that exist outside the
 * models (raw.*, meta.*, ref.*); a read of anything else is an unknown reference.
 */
export function buildGraph(models: readonly Model[], sources: ReadonlySet<string>): Graph {
  const byName = new Map(models.map((m) => [m.name, m]));
  const modelSchemas = new Set<string>(LAYERS.map((l) => l.schema));
  const upstream = new Map<string, string[]>();
  const downstream = new Map<string, string[]>(models.map((m) => [m.name, []]));
  for (const m of models) {
    const deps: string[] = [];
    for (const t of m.reads) {
      if (byName.has(t)) {
        if (t === m.name) throw new ModelError('model-cycle', `model cycle: ${m.name} reads itself`, m.name);
        deps.push(t);
        continue;
      }
      const schema = t.includes('.') ? t.slice(0, t.indexOf('.')) : '';
      // A stale table left in a model schema is not a source: only the files define staging/core/mart.
      if (!schema || modelSchemas.has(schema) || !sources.has(t)) {
        const hint = schema ? '' : ' (qualify tables with their schema, e.g. raw.license)';
        throw new ModelError('model-unknown-ref', `${m.file}: reads unknown table ${t}${hint}`, m.name);
      }
    }
    upstream.set(m.name, deps);
    for (const d of deps) downstream.get(d)?.push(m.name);
  }
  // Kahn's algorithm; among ready models the earlier layer, then the name, goes first, so the order is stable.
  const indegree = new Map(models.map((m) => [m.name, upstream.get(m.name)?.length ?? 0]));
  const ready = models.filter((m) => indegree.get(m.name) === 0);
  const ordered: Model[] = [];
  const cmp = (a: Model, b: Model) => layerRank(a) - layerRank(b) || (a.name < b.name ? -1 : 1);
  while (ready.length) {
    ready.sort(cmp);
    const m = ready.shift() as Model;
    ordered.push(m);
    for (const d of downstream.get(m.name) ?? []) {
      const n = (indegree.get(d) ?? 0) - 1;
      indegree.set(d, n);
      if (n === 0) ready.push(byName.get(d) as Model);
    }
  }
  if (ordered.length < models.length) {
    const cycle = findCycle(
      models.filter((m) => !ordered.includes(m)).map((m) => m.name),
      upstream,
    );
    throw new ModelError('model-cycle', `model cycle: ${cycle.join(' → ')}`, cycle[0]);
  }
  return { ordered, upstream, downstream };
}

/** One cycle among the unordered models, as a closed path (a → b → a). */
function findCycle(left: readonly string[], upstream: ReadonlyMap<string, string[]>): string[] {
  const inLeft = new Set(left);
  const start = [...left].sort()[0] as string;
  const path: string[] = [];
  const seenAt = new Map<string, number>();
  let cur = start;
  // every unordered model reads at least one other unordered model, so this walk must revisit a node
  while (!seenAt.has(cur)) {
    seenAt.set(cur, path.length);
    path.push(cur);
    cur = (upstream.get(cur) ?? []).filter((d) => inLeft.has(d)).sort()[0] as string;
  }
  // path follows "reads" edges; print it in build direction (a feeds b feeds a)
  return [...path.slice(seenAt.get(cur)), cur].reverse();
}

function closure(from: string, edges: ReadonlyMap<string, string[]>, into: Set<string>): void {
  for (const next of edges.get(from) ?? []) {
    if (!into.has(next)) {
      into.add(next);
      closure(next, edges, into);
    }
  }
}

/** Resolve a model name as given on the command line: `core.licenses`, or `licenses` when unambiguous. */
function resolveName(name: string, graph: Graph): string {
  const names = graph.ordered.map((m) => m.name);
  if (names.includes(name)) return name;
  const matches = names.filter((n) => n.endsWith(`.${name}`));
  if (matches.length === 1) return matches[0] as string;
  const why = matches.length ? `ambiguous (${matches.join(', ')})` : 'no such model';
  throw new JianguanError('model-unknown-select', `--select ${name}: ${why}; models: ${names.join(', ')}`, { exitCode: 2 });
}

/**
 * The models `--select` asks for, in build order. `x` = that model, `x+` = and everything downstream,
 * `+x` = and everything upstream; several selectors are united. No selector = all models.
 */
export function selectModels(graph: Graph, selectors: readonly string[] = []): Model[] {
  if (!selectors.length) return graph.ordered;
  const chosen = new Set<string>();
  for (const s of selectors) {
    const up = s.startsWith('+');
    const down = s.endsWith('+');
    const name = resolveName(s.replace(/^\+/, '').replace(/\+$/, ''), graph);
    chosen.add(name);
    if (down) closure(name, graph.downstream, chosen);
    if (up) closure(name, graph.upstream, chosen);
  }
  return graph.ordered.filter((m) => chosen.has(m.name));
}
