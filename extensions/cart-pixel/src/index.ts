import { register } from "@shopify/web-pixels-extension";
import { forwardCartEvents, type PixelApi } from "./forward.ts";

register((api) => forwardCartEvents(api as unknown as PixelApi, fetch));
