#!/usr/bin/env node
// Thin shim: run the bundle `npm run build` made (bin/build.mjs) while every source it was built from is
// unchanged, and the TypeScript sources through tsx otherwise (an edited checkout, or an install without scripts).
// JIANGUAN_FROM_SOURCE=1 forces the sources (TypeScript lines in stack traces; or NODE_OPTIONS=--enable-source-maps).
// Then hand over to bin/cli.ts's main().
import { freshBundle } from './bundle.mjs';

const bundle = process.env.JIANGUAN_FROM_SOURCE === '1' ? null : freshBundle();
let main;
if (bundle) {
  ({ main } = await import(bundle));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('./cli.ts'));
}
await main(process.argv);
