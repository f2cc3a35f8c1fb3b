// Part page quantity box: the unit and extended price at the typed quantity, from the
// price-break ladder in the page. Prices are integers of 1e-6 so totals round exactly
// like the server's (half-up to cents, once per line). The box is also the add-to-cart
// form: it sends the quantity as shown (rounded up to MOQ, order multiple, whole reels),
// and its quote link carries the quantity, standing out when it passes the stock we have.
(function () {
  var box = document.getElementById("quantity-box");
  if (!box) return;
  var ladder = JSON.parse(document.getElementById("price-ladder").textContent);
  var moq = parseInt(box.dataset.moq, 10) || 1;
  var multiple = parseInt(box.dataset.multiple, 10) || 1;
  var reel = parseInt(box.dataset.reel, 10) || 0;
  var available = parseInt(box.dataset.available, 10) || 0;
  var supplier = parseInt(box.dataset.supplier, 10) || 0;
  var vat = box.dataset.vatMicro ? BigInt(box.dataset.vatMicro) : 0n;
  var input = box.querySelector("input[name=quantity]");
  var out = box.querySelector("output");
  var note = box.querySelector(".quantity-note");
  var quote = box.querySelector(".quote-link");
  var hint = box.querySelector(".quote-hint");

  function gcd(a, b) { return b ? gcd(b, a % b) : a; }
  var step = reel ? reel / gcd(reel, multiple) * multiple : multiple;

  function micro(text) {
    var parts = text.split(".");
    var frac = ((parts[1] || "") + "000000").slice(0, 6);
    return BigInt(parts[0]) * 1000000n + BigInt(frac);
  }
  function money(cents) {
    var whole = cents / 100n, rest = cents % 100n;
    return whole.toLocaleString("en-US") + "." + (rest < 10n ? "0" : "") + rest;
  }
  function unitText(m) {
    var whole = m / 1000000n, frac = (m % 1000000n).toString().padStart(6, "0").replace(/0+$/, "");
    return whole + "." + (frac.length < 2 ? (frac + "00").slice(0, 2) : frac);
  }
  function orderable(wanted) {
    return Math.ceil(Math.max(wanted, moq) / step) * step;
  }
  function showQuote(qty) {
    if (!quote) return;
    quote.href = quote.href.replace(/([?&]qty=)\d*/, "$1" + qty);
    var beyond = qty > available + supplier;
    quote.classList.toggle("prominent", beyond);
    hint.hidden = !beyond;
    hint.textContent = beyond ? (available + supplier).toLocaleString("en-US") +
      " available now. Request a quote for " + qty.toLocaleString("en-US") +
      " and we source the rest." : "";
  }
  function update() {
    var wanted = parseInt(input.value, 10);
    if (!(wanted > 0)) { out.textContent = ""; note.textContent = "Enter a quantity."; return; }
    var qty = orderable(wanted);
    showQuote(qty);
    var price = null;
    ladder.forEach(function (stepPrice) { if (qty >= stepPrice[0]) price = micro(stepPrice[1]); });
    if (price === null) { out.textContent = ""; return; }
    var totalMicro = price * BigInt(qty);
    var cents = (totalMicro + 5000n) / 10000n;
    var withVat = (totalMicro * (1000000n + vat) / 1000000n + 5000n) / 10000n;
    out.textContent = qty.toLocaleString("en-US") + " × " + unitText(price) + " = " +
      box.dataset.currency + " " + money(cents) + " (" + money(withVat) + " incl. VAT)";
    note.textContent = qty !== wanted ? "Rounded up to the minimum order and order multiple." : "";
  }
  function csrfCookie() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  box.addEventListener("submit", function () {
    var wanted = parseInt(input.value, 10);
    if (wanted > 0) input.value = orderable(wanted);
    // A page revalidated from the browser cache may carry an older token than the cookie.
    var token = csrfCookie();
    var field = document.querySelector("input[name=csrfmiddlewaretoken][form=quantity-box]");
    if (token && field) field.value = token;
  });
  input.addEventListener("input", update);
  update();
})();
