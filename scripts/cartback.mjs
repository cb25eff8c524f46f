#!/usr/bin/env node
// The `cartback` bin: runs the operator CLI (app/server/cli/main.ts) with tsx's loader.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { register } from "tsx/esm/api";

const entry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../app/server/cli/main.ts");
register();
await import(pathToFileURL(entry).href);
