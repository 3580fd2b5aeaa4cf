#!/usr/bin/env node
// Thin shim: load the TypeScript CLI through tsx (no build step), then hand over to bin/cli.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli.ts');
await main(process.argv);
