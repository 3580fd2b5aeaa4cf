// Writes schemas/sources.schema.json from the zod schema (npm run schema); a test keeps it current.
import { writeFileSync } from 'node:fs';
import { sourcesConfigJsonSchema } from '../schemas/sources-config.ts';

const target = new URL('../schemas/sources.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(sourcesConfigJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${target.pathname}\n`);
