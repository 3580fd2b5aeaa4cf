// npm run schema: writes the generated reference files (config JSON Schema, feed reference); tests keep them current.
import { writeFileSync } from 'node:fs';
import { feedsMarkdown } from '../schemas/feeds-doc.ts';
import { sourcesConfigJsonSchema } from '../schemas/sources-config.ts';

const files: [URL, string][] = [
  [new URL('../schemas/sources.schema.json', import.meta.url), `${JSON.stringify(sourcesConfigJsonSchema(), null, 2)}\n`],
  [new URL('../schemas/FEEDS.md', import.meta.url), feedsMarkdown()],
];
for (const [target, text] of files) {
  writeFileSync(target, text);
  process.stdout.write(`wrote ${target.pathname}\n`);
}
