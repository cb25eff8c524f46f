/**
 * The theme's own JavaScript, as a string served in every page: a cart drawer that mutates
 * the cart by fetch, by XMLHttpRequest or by a plain form post — the three ways real themes
 * do — and re-reads /cart.js to redraw itself. Exposed as `window.theme` for tests.
 */
export const THEME_SCRIPT = `
(function () {
  var root = Shopify.routes.root;
  function json(path, body) {
    return fetch(root + path, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (b) { return { status: r.status, body: b }; }); });
  }
  function xhr(path, body) {
    return new Promise(function (resolve, reject) {
      var x = new XMLHttpRequest();
      x.open("POST", root + path);
      x.setRequestHeader("Content-Type", "application/json");
      x.onload = function () { resolve({ status: x.status, body: JSON.parse(x.responseText) }); };
      x.onerror = reject;
      x.send(JSON.stringify(body));
    });
  }
  function form(path, fields) {
    var f = document.createElement("form");
    f.method = "post";
    f.action = root + path;
    Object.keys(fields).forEach(function (name) {
      var input = document.createElement("input");
      input.type = "hidden"; input.name = name; input.value = String(fields[name]);
      f.appendChild(input);
    });
    document.body.appendChild(f);
    f.requestSubmit();
    return new Promise(function () {});
  }
  function send(via, path, body, fields) {
    var done = via === "fetch" ? json(path + ".js", body) : via === "xhr" ? xhr(path + ".js", body) : form(path, fields);
    return done.then(function (result) { return refresh().then(function () { return result; }); });
  }
  function refresh() {
    return fetch(root + "cart.js", { headers: { Accept: "application/json" } }).then(function (r) { return r.json(); }).then(function (cart) {
      var drawer = document.getElementById("cart-drawer");
      document.getElementById("cart-count").textContent = String(cart.item_count);
      drawer.innerHTML = cart.items.map(function (item, i) {
        return '<li data-variant="' + item.variant_id + '">' + item.title + " × <span class=qty>" + item.quantity + "</span>" +
          ' <button type="button" data-remove="' + (i + 1) + '">Remove</button></li>';
      }).join("");
      return cart;
    });
  }
  document.addEventListener("click", function (e) {
    var line = e.target && e.target.getAttribute && e.target.getAttribute("data-remove");
    if (line) theme.change("fetch", { line: Number(line), quantity: 0 });
    var via = e.target && e.target.getAttribute && e.target.getAttribute("data-add-via");
    if (via) {
      var id = document.querySelector("[name=id]").value;
      var qty = Number(document.querySelector("[name=quantity]").value || 1);
      theme.add(via, id, qty);
    }
  });
  window.theme = {
    refresh: refresh,
    add: function (via, id, quantity) { return send(via, "cart/add", { items: [{ id: id, quantity: quantity }] }, { id: id, quantity: quantity }); },
    change: function (via, target, quantity) {
      var body = Object.assign({}, target, { quantity: quantity });
      return send(via, "cart/change", body, body);
    },
    update: function (via, updates) {
      var fields = {};
      Object.keys(updates).forEach(function (id) { fields["updates[" + id + "]"] = updates[id]; });
      return send(via, "cart/update", { updates: updates }, fields);
    },
    clear: function (via) { return send(via, "cart/clear", {}, {}); }
  };
  refresh();
})();
`;
