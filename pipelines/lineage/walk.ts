// The breadth-first walk behind `lineage`: each level's references are collected first, then fetched with one
// keyed statement per table, so the cost grows with the depth of the tree, not with the number of rows in it.
// A row reached twice is expanded once (the second occurrence is a `repeat`), and every list is cut at `limit`
// with the rest counted, so a province-wide aggregate still answers quickly.
import type { Row, Warehouse } from '../../warehouse/db.ts';
import type { Catalog, Edge, TableInfo } from '../catalog/catalog.ts';
import { type BatchInfo, batchesById, resolveIds, rowsByKeys, rowsGrouped, tupleId } from './fetch.ts';
import type { LineageNode } from './types.ts';

interface Open {
  node: LineageNode;
  info: TableInfo;
  row: Row;
  /** Position in the tree (child indexes from the root), so that each level is expanded in reading order. */
  path: number[];
}

interface Pending {
  node: LineageNode;
  info: TableInfo;
  tuple: unknown[];
}

function groupBy<K, V>(items: readonly V[], key: (v: V) => K): Map<K, V[]> {
  const m = new Map<K, V[]>();
  for (const v of items) {
    const k = key(v);
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  }
  return m;
}

export interface WalkLimits {
  limit: number;
  maxNodes: number;
}

function blank(via: string | null, note: Record<string, unknown> | null = null): LineageNode {
  return { kind: 'missing', table: null, key: {}, via, note, won: false, row: null, source: null, children: [], more: 0 };
}

/** The row as shown: raw-reference lists are dropped (they become children) to keep the document small. */
function shown(info: TableInfo, row: Row, cat: Catalog): Row {
  const drop = new Set(
    cat
      .edges(info.name)
      .filter((e) => e.kind === 'raw-refs')
      .map((e) => (e as { column: string }).column),
  );
  return Object.fromEntries(Object.entries(row).filter(([k]) => !drop.has(k)));
}

function fill(node: LineageNode, info: TableInfo, row: Row, cat: Catalog): void {
  node.kind = 'row';
  node.table = info.name;
  node.key = Object.fromEntries(info.key.map((k) => [k, row[k] ?? null]));
  node.row = shown(info, row, cat);
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const scalars = (o: Record<string, unknown>, skip: string) =>
  Object.fromEntries(Object.entries(o).filter(([k, v]) => k !== skip && (v === null || typeof v !== 'object')));

function comparePaths(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}

/** Walk from one row; null when the row does not exist. */
export async function walk(wh: Warehouse, cat: Catalog, info: TableInfo, tuple: string[], lim: WalkLimits): Promise<LineageNode | null> {
  const start = (await rowsByKeys(wh, info, [tuple])).get(tupleId(tuple));
  if (!start) return null;
  const root = blank(null);
  fill(root, info, start, cat);
  const visited = new Set<string>([`${info.name}|${tupleId(tuple)}`]);
  const batches = new Map<number, BatchInfo>();
  let nodes = 1;
  let level: Open[] = [{ node: root, info, row: start, path: [] }];
  const paths = new Map<LineageNode, number[]>([[root, []]]);

  /** A child slot under `parent`, or null (counted in `more`) when the tree is full. */
  const slot = (parent: LineageNode, via: string, note: Record<string, unknown> | null = null): LineageNode | null => {
    if (nodes >= lim.maxNodes) {
      parent.more++;
      return null;
    }
    nodes++;
    const n = blank(via, note);
    parent.children.push(n);
    paths.set(n, [...(paths.get(parent) ?? []), parent.children.length - 1]);
    return n;
  };
  const capped = <T>(parent: LineageNode, items: T[]): T[] => {
    if (items.length > lim.limit) parent.more += items.length - lim.limit;
    return items.slice(0, lim.limit);
  };

  while (level.length) {
    const found: Open[] = [];
    const byKey: Pending[] = [];
    const byId: { node: LineageNode; id: string; candidates: TableInfo[] }[] = [];
    const raws: { node: LineageNode; from: TableInfo; batch: number; record: number }[] = [];
    const naming = new Map<
      string,
      { info: TableInfo; via: 'members' | 'children'; columns: string[]; asks: { node: LineageNode; tuple: unknown[] }[] }
    >();
    const admit = (node: LineageNode, t: TableInfo, row: Row) => {
      fill(node, t, row, cat);
      found.push({ node, info: t, row, path: paths.get(node) ?? [] });
    };
    for (const o of level) for (const e of cat.edges(o.info.name)) collect(o, e);
    for (const { info: t, via, columns, asks } of naming.values()) {
      const got = await rowsGrouped(
        wh,
        t,
        columns,
        asks.map((a) => a.tuple),
        lim.limit,
        lim.maxNodes - nodes,
      );
      for (const a of asks) {
        const g = got.get(tupleId(a.tuple));
        if (!g) continue;
        a.node.more += g.total - g.rows.length;
        for (const row of g.rows) {
          const n = slot(a.node, via);
          if (n) admit(n, t, row);
        }
      }
    }
    // raw references need their batch's feed to know which staging (or raw) table holds them
    const unknown = raws.map((r) => r.batch).filter((b) => !batches.has(b));
    for (const [id, b] of await batchesById(wh, unknown)) batches.set(id, b);
    for (const r of raws) {
      const feed = batches.get(r.batch)?.feed;
      const target = feed ? cat.rawTarget(r.from.name, feed) : null;
      if (target) byKey.push({ node: r.node, info: target, tuple: [r.batch, r.record] });
      else r.node.key = { batch_id: r.batch, record_no: r.record };
    }
    for (const [t, items] of groupBy(byKey, (p) => p.info)) {
      const rows = await rowsByKeys(
        wh,
        t,
        items.map((p) => p.tuple),
      );
      for (const p of items) {
        const row = rows.get(tupleId(p.tuple));
        if (row) admit(p.node, t, row);
        else {
          p.node.table = t.name;
          p.node.key = Object.fromEntries(t.key.map((k, i) => [k, (p.tuple[i] as string | number) ?? null]));
        }
      }
    }
    for (const [candidates, items] of groupBy(byId, (b) => b.candidates)) {
      const hits = await resolveIds(
        wh,
        candidates,
        items.map((i) => i.id),
        cat.prefixes,
      );
      for (const i of items) {
        const f = hits.get(i.id);
        if (f) admit(i.node, f.info, f.row);
        else i.node.key = { id: i.id };
      }
    }
    // A row met twice is expanded where it comes first in reading order; the later one is marked `repeat`.
    found.sort((a, b) => comparePaths(a.path, b.path));
    level = [];
    for (const f of found) {
      const id = `${f.info.name}|${tupleId(f.info.key.map((k) => f.row[k]))}`;
      if (visited.has(id)) f.node.kind = 'repeat';
      else {
        visited.add(id);
        level.push(f);
      }
    }

    function collect(o: Open, e: Edge): void {
      if (e.kind === 'raw-refs') {
        const wonBatch = o.row.won_batch_id;
        const wonRecord = o.row.won_record_no;
        for (const ref of capped(o.node, asArray(o.row[e.column]) as Record<string, unknown>[])) {
          const note = scalars(ref, '');
          delete note.batch_id;
          delete note.record_no;
          const n = slot(o.node, e.column, Object.keys(note).length ? note : null);
          if (!n) continue;
          n.won = wonBatch !== undefined && String(wonBatch) === String(ref.batch_id) && String(wonRecord) === String(ref.record_no);
          raws.push({ node: n, from: o.info, batch: Number(ref.batch_id), record: Number(ref.record_no) });
        }
      } else if (e.kind === 'ids') {
        const candidates = cat.idTargets(o.info.name);
        const addIds = (parent: LineageNode, ids: unknown[]) => {
          for (const id of capped(parent, ids)) {
            const n = slot(parent, 'evidence');
            if (n) byId.push({ node: n, id: String(id), candidates });
          }
        };
        if (e.field === null) addIds(o.node, asArray(o.row[e.column]));
        else {
          for (const s of capped(o.node, asArray(o.row[e.column]) as Record<string, unknown>[])) {
            const g = slot(o.node, e.column, scalars(s, e.field));
            if (!g) continue;
            g.kind = 'group';
            addIds(g, asArray(s[e.field]));
          }
        }
      } else if (e.kind === 'key') {
        const tuple = e.columns.map((c) => o.row[c]);
        const target = cat.tables.get(e.target);
        if (!target || tuple.some((v) => v === null || v === undefined)) return;
        const n = slot(o.node, 'key');
        if (n) byKey.push({ node: n, info: target, tuple });
      } else {
        // members and children: the rows that name this one, asked for all rows of the level at once
        const target = e.kind === 'members' ? cat.tables.get(e.target) : o.info;
        const columns = e.kind === 'members' ? e.columns : [e.column];
        const tuple = e.kind === 'members' ? e.columns.map((c) => o.row[c]) : [o.row[o.info.key[0] as string]];
        if (!target || tuple.some((v) => v === null || v === undefined)) return;
        const id = `${e.kind}|${target.name}|${columns.join(',')}`;
        const group = naming.get(id) ?? { info: target, via: e.kind, columns, asks: [] };
        group.asks.push({ node: o.node, tuple });
        naming.set(id, group);
      }
    }
  }
  return root;
}
