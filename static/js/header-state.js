/* The header of a page every visitor shares (the part page, kept whole by caches): the cart's
   line count and the account links come from GET /header-state/, which is never cached.
   Without JavaScript the header's links still lead to the cart and the account. */
(function () {
  "use strict";
  var nav = document.querySelector(".account-nav[data-state-url]");
  if (!nav || !window.fetch) return;

  function showCart(count) {
    var link = document.querySelector(".cart-link");
    if (!link) return;
    var badge = link.querySelector(".cart-count");
    if (!count) { if (badge) badge.remove(); return; }
    if (!badge) { badge = document.createElement("span"); badge.className = "cart-count"; link.append(" ", badge); }
    badge.textContent = String(count);
  }

  function showAccount(state) {
    var template = document.getElementById(state.signed_in ? "account-nav-signed-in" : "account-nav-signed-out");
    if (!template) return;
    var links = template.content.cloneNode(true);
    if (!state.staff) links.querySelectorAll("[data-staff-only]").forEach(function (item) { item.remove(); });
    var unread = links.querySelector(".unread-count");
    if (unread) {
      if (state.unread_messages) {
        var words = state.unread_messages === 1 ? unread.dataset.unreadOne : unread.dataset.unreadMany.replace("2", String(state.unread_messages));
        unread.textContent = String(state.unread_messages);
        unread.setAttribute("aria-label", words);
        unread.hidden = false;
        unread.before(" ");
      } else {
        unread.remove();
      }
    }
    var form = links.querySelector("form");
    if (form) {
      var token = document.createElement("input");
      token.type = "hidden";
      token.name = "csrfmiddlewaretoken";
      token.value = state.csrf_token || "";
      form.prepend(token);
    }
    nav.replaceChildren(links);
  }

  function load() {
    fetch(nav.dataset.stateUrl, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) { if (state) { showCart(state.cart_lines); showAccount(state); } })
      .catch(function () { /* the links without the count stay */ });
  }

  load();
  // A page the browser shows again from its back-forward cache may be older than the cart.
  window.addEventListener("pageshow", function (event) { if (event.persisted) load(); });
})();
