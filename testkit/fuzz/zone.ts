// Lays out a fuzz batch: each damaged file under a folder of its own source (the template's source entry with the
// mutation's encoding/delimiter), named with the template's date so `known_on: path` sources still date it.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../fixtures/generator/prng.ts';
import type { FileCheck } from './check.ts';
import { EXTENSION } from './templates.ts';
import type { Mutated, Mutator, Recipe, SourceEntry, Template } from './types.ts';

export interface Item {
  /** Index in the run (names the file). */
  index: number;
  template: Template;
  mutator: Mutator;
  seed: number;
}

export interface Placed {
  item: Item;
  location: string;
  path: string;
  recipe: Recipe;
  size: number;
}

export function mutate(item: Item): Mutated {
  return item.mutator.mutate(item.template, new Rng(item.seed));
}

function sourceFor(t: Template, m: Mutated): SourceEntry {
  const over = m.source ?? {};
  const key = Object.entries(over)
    .map(([k, v]) =>
      typeof v !== 'string'
        ? `${k[0]}${createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 8)}`
        : `${k[0]}${/^[a-z0-9-]+$/i.test(v) ? v : `x${v.charCodeAt(0)}`}`,
    )
    .join('.');
  const id = key ? `${t.source.id}.${key}`.toLowerCase().replace(/[^a-z0-9._-]/g, '-') : t.source.id;
  return { ...t.source, ...over, id, path: `${id}/*.${EXTENSION[t.connector]}` };
}

/** Writes the batch's files and its sources config under `dir/land`; returns the config's path and the files. */
export async function layOut(
  dir: string,
  items: Item[],
  corpusSeed: number,
  inputs?: Map<number, Buffer>,
): Promise<{ config: string; placed: Placed[] }> {
  const land = join(dir, 'land');
  const sources = new Map<string, SourceEntry>();
  const placed: Placed[] = [];
  for (const item of items) {
    const m = mutate(item);
    const source = sourceFor(item.template, m);
    sources.set(source.id, source);
    const date = /\d{8}/.exec(item.template.rel)?.[0] ?? '20241130';
    const location = `${source.id}/f${String(item.index).padStart(5, '0')}_${date}.${EXTENSION[item.template.connector]}`;
    const path = join(land, location);
    mkdirSync(join(land, source.id), { recursive: true });
    const saved = inputs?.get(item.index);
    if (saved) writeFileSync(path, saved);
    else if (m.bytes) writeFileSync(path, m.bytes);
    else await m.write?.(path);
    const recipe: Recipe = {
      corpusSeed,
      template: item.template.rel,
      mutator: item.mutator.name,
      seed: item.seed,
      note: m.note,
      source,
      sameRecords: m.sameRecords ?? false,
      templateRecords: item.template.records,
      connector: item.template.connector,
    };
    placed.push({ item, location, path, recipe, size: m.bytes?.length ?? m.size ?? 0 });
  }
  const config = join(land, 'sources.json');
  writeFileSync(config, JSON.stringify({ sources: [...sources.values()] }, null, 2));
  return { config, placed };
}

export function fileChecks(placed: Placed[]): FileCheck[] {
  return placed.map((p) => ({
    location: p.location,
    feed: p.recipe.source.feed,
    sameRecords: p.recipe.sameRecords ? p.recipe.templateRecords : null,
  }));
}
