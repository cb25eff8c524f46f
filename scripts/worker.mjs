#!/usr/bin/env node
// `npm run worker`: the campaign worker alone (scale-out), from the same build as `npm start`.
import { buildAll } from "./build-if-stale.mjs";
import { loadBuild } from "./load-build.mjs";

// Production unless told otherwise, as `npm start` (scripts/start.mjs).
process.env.NODE_ENV ||= "production";

await buildAll();
const { entry } = await loadBuild();
await entry.runWorker();
