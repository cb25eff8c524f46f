// A local stand-in for https://cdn.shopify.com/shopifycloud/app-bridge.js (unreachable offline),
// served to the app's frame by the test. It does what the app relies on App Bridge for:
// - window.shopify.idToken(): a session token, minted by the test (window.__cartbackSessionToken);
// - same-origin fetches carry `Authorization: Bearer <token>`; an answer with
//   X-Shopify-Retry-Invalid-Session-Request is retried once with a fresh token, and
//   X-Shopify-API-Request-Failure-Reauthorize-Url sends the top window there;
// - the bounce page (/auth/session-token?shopify-reload=…) reloads with a fresh id_token;
// - <ui-nav-menu> links are shown by the admin (the parent page), which asks for navigation by
//   message; the stand-in fires `shopify:navigate` on the link, as App Bridge does;
// - shopify.toast.show() posts the message to the admin.
(() => {
  const script = document.currentScript;
  const apiKey = script?.dataset.apiKey ?? document.querySelector('meta[name="shopify-api-key"]')?.content ?? "";
  const params = new URLSearchParams(location.search);
  const tell = (message) => window.parent.postMessage({ source: "cartback-app-bridge", ...message }, "*");
  const idToken = () => window.__cartbackSessionToken();

  window.shopify = {
    config: { apiKey, shop: params.get("shop"), host: params.get("host") },
    idToken,
    toast: { show: (message, options) => tell({ type: "toast", message, isError: Boolean(options?.isError) }) },
  };

  const reload = params.get("shopify-reload");
  if (location.pathname.endsWith("/session-token") && reload) {
    idToken().then((token) => {
      const next = new URL(reload, location.href);
      next.searchParams.set("id_token", token);
      location.replace(next.href);
    });
    return;
  }

  // App Bridge defines <ui-nav-menu>: the admin shows its links, the app's page does not.
  const hide = document.createElement("style");
  hide.textContent = "ui-nav-menu { display: none; }";
  document.head.append(hide);

  const fetchDirect = window.fetch.bind(window);
  const withToken = async (input, init) => {
    const request = new Request(input, init);
    if (new URL(request.url, location.href).origin !== location.origin) return request;
    const headers = new Headers(request.headers);
    headers.set("Authorization", `Bearer ${await idToken()}`);
    return new Request(request, { headers });
  };
  window.fetch = async (input, init) => {
    const first = await withToken(input, init);
    const retry = first.clone();
    let response = await fetchDirect(first);
    if (response.headers.get("X-Shopify-Retry-Invalid-Session-Request") === "1") {
      retry.headers.set("Authorization", `Bearer ${await idToken()}`);
      response = await fetchDirect(retry);
    }
    const reauthorize = response.headers.get("X-Shopify-API-Request-Failure-Reauthorize-Url");
    if (reauthorize) tell({ type: "redirect", url: reauthorize });
    return response;
  };

  let published = "";
  const publishMenu = () => {
    const links = [...document.querySelectorAll("ui-nav-menu a")].map((a) => ({ href: a.getAttribute("href"), label: a.textContent, rel: a.getAttribute("rel") }));
    const menu = JSON.stringify({ links, path: location.pathname });
    if (menu === published) return;
    published = menu;
    tell({ type: "nav", links, path: location.pathname });
  };
  new MutationObserver(publishMenu).observe(document, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", publishMenu);
  window.addEventListener("message", (event) => {
    if (event.data?.source !== "cartback-admin" || event.data.type !== "navigate") return;
    const link = [...document.querySelectorAll("ui-nav-menu a")].find((a) => a.getAttribute("href") === event.data.href);
    link?.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true }));
  });
})();
