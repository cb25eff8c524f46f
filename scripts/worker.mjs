#!/usr/bin/env node
// `npm run worker`: the campaign worker alone (scale-out), from the same build as `npm start`.
import { buildAll } from "./build-if-stale.mjs";
import { loadBuild } from "./load-build.mjs";

await buildAll();
const { entry } = await loadBuild();
await entry.runWorker();
