import { type CartMutation, matchCartMutation } from "./routes.ts";

type Notify = (mutation: CartMutation, via: "fetch" | "xhr" | "form") => void;

/**
 * Watches the theme's own cart calls without any theme edit: wraps fetch and
 * XMLHttpRequest (notifying once the response is in, so a following /cart.js read sees the
 * change) and listens for plain form posts to /cart/add, which navigate away — those are
 * picked up on the next page by `markPendingFormPost`'s flag.
 */
export function observeCart(win: Window & typeof globalThis, root: string, notify: Notify, markPendingFormPost: () => void): () => void {
  const match = (url: string): CartMutation | null => matchCartMutation(url, win.location.href, root);

  const originalFetch = win.fetch;
  const wrappedFetch: typeof fetch = (input, init) => {
    const result = originalFetch.call(win, input, init);
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? (typeof input === "object" && "method" in input ? input.method : "GET")).toUpperCase();
    const mutation = method === "POST" ? match(url) : null;
    if (mutation !== null) {
      result.then(
        () => notify(mutation, "fetch"),
        () => notify(mutation, "fetch"),
      );
    }
    return result;
  };
  win.fetch = wrappedFetch;

  const proto = win.XMLHttpRequest.prototype;
  const originalOpen = proto.open;
  const originalSend = proto.send;
  const requests = new WeakMap<XMLHttpRequest, CartMutation>();
  proto.open = function (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
    const mutation = method.toUpperCase() === "POST" ? match(String(url)) : null;
    if (mutation !== null) requests.set(this, mutation);
    else requests.delete(this);
    return (originalOpen as (...args: unknown[]) => void).call(this, method, url, ...rest);
  } as typeof proto.open;
  proto.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    const mutation = requests.get(this);
    if (mutation !== undefined) this.addEventListener("loadend", () => notify(mutation, "xhr"), { once: true });
    return originalSend.call(this, body);
  };

  const onSubmit = (event: Event): void => {
    const form = event.target;
    if (!(form instanceof win.HTMLFormElement)) return;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    if (match(form.action) !== "add") return;
    // If the theme cancels the navigation and posts by fetch instead, the fetch wrapper sees
    // it too; the extra read on the next page then finds nothing new.
    markPendingFormPost();
  };
  win.document.addEventListener("submit", onSubmit, true);

  return () => {
    if (win.fetch === wrappedFetch) win.fetch = originalFetch;
    proto.open = originalOpen;
    proto.send = originalSend;
    win.document.removeEventListener("submit", onSubmit, true);
  };
}
