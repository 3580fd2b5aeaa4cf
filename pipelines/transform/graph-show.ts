// `jianguan graph`: the model DAG as Mermaid, sources → raw → staging → core → marts. Edges come from the
// transform runner's own discovery (the tables each model's SELECT reads, per DuckDB's parser) and, for sources,
// from the sources config or the ledger, so the picture is the order `transform` really runs in.
import { loadSourcesConfig } from '../../schemas/sources-config.ts';
import { col } from '../../warehouse/columns.ts';
import { Warehouse } from '../../warehouse/db.ts';
import { withOpenWarehouse } from '../../warehouse/schema/open.ts';
import { DEFAULT_SQL_DIR, discoverModels, LAYERS, type Layer, type Model } from '../catalog/models.ts';
import { buildGraph } from './graph.ts';

export interface GraphSource {
  id: string;
  feed: string;
  level: string;
}

export interface MermaidOptions {
  /** Each source as its own node (`each`), or one node per level and feed (`grouped`, the default). */
  sourceNodes?: 'each' | 'grouped';
  /** Draw meta.* and ref.* inputs (parameters, ledger, region table) as dotted inputs; default true. */
  reference?: boolean;
}

const nodeId = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '_');
const label = (s: string) => s.replaceAll('"', '#quot;');

/** The Mermaid flowchart of `models` (as discovered by the transform runner) fed by `sources`. */
export function modelGraphMermaid(models: readonly Model[], sources: readonly GraphSource[] = [], o: MermaidOptions = {}): string {
  const modelNames = new Set(models.map((m) => m.name));
  const external = new Set(models.flatMap((m) => m.reads).filter((t) => !modelNames.has(t)));
  // buildGraph validates the references and gives the build order; every non-model read is a source table here
  const graph = buildGraph(models, external);
  const raw = [...external].filter((t) => t.startsWith('raw.')).sort();
  const reference = o.reference === false ? [] : [...external].filter((t) => !t.startsWith('raw.')).sort();
  const out = ['flowchart LR'];
  if (sources.length) {
    out.push('  subgraph sources["sources (departments × levels)"]');
    const groups = new Map<string, GraphSource[]>();
    for (const s of sources) {
      const g = o.sourceNodes === 'each' ? s.id : `${s.level}.${s.feed}`;
      groups.set(g, [...(groups.get(g) ?? []), s]);
    }
    for (const [g, members] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const first = members[0] as GraphSource;
      const text = o.sourceNodes === 'each' ? first.id : `${first.level} ${first.feed}<br/>${members.length} source${members.length > 1 ? 's' : ''}`;
      out.push(`    src_${nodeId(g)}["${label(text)}"]`);
    }
    out.push('  end');
  }
  const section = (id: string, title: string, tables: readonly string[], shape: (t: string) => string) => {
    if (!tables.length) return;
    out.push(`  subgraph ${id}["${title}"]`);
    for (const t of tables) out.push(`    ${nodeId(t)}${shape(t)}`);
    out.push('  end');
  };
  section('raw', 'raw', raw, (t) => `[("${t}")]`);
  for (const layer of LAYERS) {
    const names = graph.ordered.filter((m) => m.layer === layer.dir).map((m) => m.name);
    section(layer.schema, layer.dir, names, (t) => `["${t}"]`);
  }
  section('reference', 'meta / ref', reference, (t) => `[/"${t}"/]`);
  const fed = new Set<string>();
  for (const s of sources) {
    const g = o.sourceNodes === 'each' ? s.id : `${s.level}.${s.feed}`;
    const edge = `  src_${nodeId(g)} --> ${nodeId(`raw.${s.feed}`)}`;
    if (!fed.has(edge) && external.has(`raw.${s.feed}`)) out.push(edge);
    fed.add(edge);
  }
  for (const m of graph.ordered) {
    for (const t of m.reads) {
      if (modelNames.has(t) || t.startsWith('raw.')) out.push(`  ${nodeId(t)} --> ${nodeId(m.name)}`);
      else if (reference.includes(t)) out.push(`  ${nodeId(t)} -.-> ${nodeId(m.name)}`);
    }
  }
  return out.join('\n');
}

/** One node of `graph --json`: a source (or a group of them), a raw table, a model, or a meta/ref input. */
export interface GraphNode {
  /** The table name (`raw.license`, `core.licenses`), or `source:<id>` / `source:<level>.<feed>` for sources. */
  id: string;
  layer: 'source' | 'raw' | Layer | 'reference';
  kind: 'source' | 'raw-table' | 'model' | 'reference';
  /** Models: the file under sql/ that builds it. */
  file?: string;
  /** Source nodes: the configured source ids they stand for. */
  sources?: string[];
}

/** `from` is read by (feeds) `to`; `reference` edges are parameters and ledgers, drawn dotted in Mermaid. */
export interface GraphEdge {
  from: string;
  to: string;
  kind: 'data' | 'reference';
}

export interface GraphDoc {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The same DAG as `modelGraphMermaid`, as data: what `graph --json` prints. */
export function modelGraphDoc(models: readonly Model[], sources: readonly GraphSource[] = [], o: MermaidOptions = {}): GraphDoc {
  const modelNames = new Set(models.map((m) => m.name));
  const external = new Set(models.flatMap((m) => m.reads).filter((t) => !modelNames.has(t)));
  const graph = buildGraph(models, external);
  const raw = [...external].filter((t) => t.startsWith('raw.')).sort();
  const reference = o.reference === false ? [] : [...external].filter((t) => !t.startsWith('raw.')).sort();
  const groups = new Map<string, GraphSource[]>();
  for (const s of sources) {
    const g = `source:${o.sourceNodes === 'each' ? s.id : `${s.level}.${s.feed}`}`;
    groups.set(g, [...(groups.get(g) ?? []), s]);
  }
  const nodes: GraphNode[] = [
    ...[...groups]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([id, members]): GraphNode => ({ id, layer: 'source', kind: 'source', sources: members.map((m) => m.id) })),
    ...raw.map((id): GraphNode => ({ id, layer: 'raw', kind: 'raw-table' })),
    ...LAYERS.flatMap((l) =>
      graph.ordered.filter((m) => m.layer === l.dir).map((m): GraphNode => ({ id: m.name, layer: m.layer, kind: 'model', file: m.file })),
    ),
    ...reference.map((id): GraphNode => ({ id, layer: 'reference', kind: 'reference' })),
  ];
  const edges: GraphEdge[] = [];
  for (const [id, members] of groups) {
    const table = `raw.${(members[0] as GraphSource).feed}`;
    if (external.has(table)) edges.push({ from: id, to: table, kind: 'data' });
  }
  for (const m of graph.ordered) {
    for (const t of m.reads) {
      if (modelNames.has(t) || t.startsWith('raw.')) edges.push({ from: t, to: m.name, kind: 'data' });
      else if (reference.includes(t)) edges.push({ from: t, to: m.name, kind: 'reference' });
    }
  }
  return { nodes, edges };
}

export interface GraphCommandOptions extends MermaidOptions {
  /** The warehouse: its ledger names the sources when no config is given (only then is it opened). */
  db?: string;
  config?: string;
  sqlDir?: string;
}

/** Parse the models (in the warehouse, or in a scratch in-memory database) and draw them. */
export async function runGraph(o: GraphCommandOptions = {}): Promise<string> {
  const { models, sources } = await graphInputs(o);
  return modelGraphMermaid(models, sources, o);
}

/** The node/edge document of the DAG (`graph --json`). */
export async function runGraphDoc(o: GraphCommandOptions = {}): Promise<GraphDoc> {
  const { models, sources } = await graphInputs(o);
  return modelGraphDoc(models, sources, o);
}

async function graphInputs(o: GraphCommandOptions): Promise<{ models: Model[]; sources: GraphSource[] }> {
  const sqlDir = o.sqlDir ?? DEFAULT_SQL_DIR;
  let sources: GraphSource[] = o.config ? loadSourcesConfig(o.config).sources.map((s) => ({ id: s.id, feed: s.feed, level: s.level })) : [];
  const draw = async (wh: Warehouse) => {
    if (!o.config && o.db) {
      sources = await wh.rows('select distinct source_id as id, feed, level from meta.batches order by 1', {
        id: col.text(),
        feed: col.text(),
        level: col.text(),
      });
    }
    return { models: await discoverModels(wh, sqlDir), sources };
  };
  // the warehouse is opened only to name the sources from its ledger; parsing needs no data
  if (o.db && !o.config) return withOpenWarehouse(o.db, draw, { readOnly: true });
  const wh = await Warehouse.open(':memory:');
  try {
    return await draw(wh);
  } finally {
    wh.close();
  }
}
