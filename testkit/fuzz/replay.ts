// `npm run fuzz -- --replay failures/<case>/recipe.json`: loads one saved failing input again (its saved bytes when
// present, else the input made again from the recipe: same corpus seed, template, mutator and seed) and checks it.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { knownBug } from './allow.ts';
import type { Outcome } from './check.ts';
import { mutatorNamed } from './mutators.ts';
import { buildSets, type FuzzOptions, runBatch } from './runner.ts';
import type { Recipe } from './types.ts';

export async function replay(recipeFile: string, o: FuzzOptions): Promise<{ recipe: Recipe; outcome: Outcome; known: string | null }> {
  const recipe = JSON.parse(readFileSync(recipeFile, 'utf8')) as Recipe & { index?: number };
  const connector = recipe.connector ?? 'csv';
  const sets = await buildSets({ work: o.work, connectors: [connector] }, recipe.corpusSeed);
  const template = sets[connector]?.find((t) => t.rel === recipe.template);
  const mutator = mutatorNamed(connector, recipe.mutator);
  if (!template || !mutator) throw new Error(`${recipeFile}: unknown template ${recipe.template} or mutator ${recipe.mutator}`);
  const index = recipe.index ?? 0;
  const input = [join(dirname(recipeFile), 'input'), join(dirname(recipeFile), 'input.csv')].find((p) => existsSync(p));
  const inputs = input ? new Map([[index, readFileSync(input)]]) : undefined;
  const r = await runBatch(o, recipe.corpusSeed, [{ index, template, mutator, seed: recipe.seed }], join(o.work, 'replay'), inputs);
  const outcome = r.outcomes[0]!;
  return { recipe, outcome, known: outcome.problems.length || outcome.nulStored ? knownBug(recipe.mutator, outcome) : null };
}
