// Bundle entry for the theme app embed: reads the JSON the block rendered and starts the SDK.
import * as cartback from "./index.ts";

declare global {
  interface Window {
    Cartback?: typeof cartback;
  }
}

function start(): void {
  window.Cartback = cartback;
  const element = document.getElementById("cartback-config");
  if (!element?.textContent) return;
  try {
    cartback.init(JSON.parse(element.textContent));
  } catch {
    // A broken config must never break the shop's page.
  }
}

start();
