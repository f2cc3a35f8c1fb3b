// Part page quantity box: the unit and extended price at the typed quantity, from the
// price-break ladder in the page, and the full-reel split when whole reels cost less.
// static/js/rules.js holds the rules, ported from the server's (quantities as typed, totals
// rounded half-up to cents once per line, VAT per line), so the box says what the cart
// will. The box is also the add-to-cart form: it sends the quantity as shown (rounded up to
// MOQ, order multiple, whole reels), and its quote link carries the quantity, standing out
// when it passes the stock we have.
(function () {
  var box = document.getElementById("quantity-box");
  var rules = window.PartlineRules;
  if (!box || !rules) return;
  var ladder = JSON.parse(document.getElementById("price-ladder").textContent);
  var reelData = JSON.parse((document.getElementById("reel-ladder") || {}).textContent || "null");
  var part = {
    moq: parseInt(box.dataset.moq, 10) || 1,
    multiple: parseInt(box.dataset.multiple, 10) || 1
  };
  var reel = parseInt(box.dataset.reel, 10) || 0;
  var available = parseInt(box.dataset.available, 10) || 0;
  var supplier = parseInt(box.dataset.supplier, 10) || 0;
  var vat = parseInt(box.dataset.vatMicro, 10) || 0;
  var currency = box.dataset.currency;
  var input = box.querySelector("input[name=quantity]");
  var out = box.querySelector("output");
  var note = box.querySelector(".quantity-note");
  var offer = box.querySelector(".reel-offer");
  var quote = box.querySelector(".quote-link");
  var hint = box.querySelector(".quote-hint");
  var step = rules.step(part, reel);
  var main = reelData ? { name: reelData.rest, ladder: ladder } : null;
  // The box's sentences in the page's language (catalog/views.py _box_words).
  var words = JSON.parse((document.getElementById("box-words") || {}).textContent || "null");
  var fullReel = reelData ? { size: reelData.size, ladder: reelData.ladder } : null;

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (all, name) { return values[name]; });
  }
  function grouped(n) { return BigInt(n).toLocaleString("en-US"); }
  function errorText(error) {
    if (!words) return error;
    if (error === rules.HINT) return words.hint;
    var match = /^(.*) is not a whole number of pieces; enter e\.g\. (.*) or (.*)\.$/.exec(error);
    if (match) return fill(words.fraction, { text: match[1], lower: match[2], upper: match[3] });
    if (error === "The quantity must be at least 1.") return words.not_positive;
    return error;
  }
  function lineText(qty) {
    if (!words) return rules.lineText(ladder, qty, vat, currency);
    var price = rules.unitPriceAt(ladder, qty);
    if (price === null) return "";
    var net = rules.lineCents(price, qty);
    return fill(words.line, {
      quantity: grouped(qty), price: rules.unitText(price), currency: currency,
      net: rules.money(net), gross: rules.money(net + rules.vatCents(net, vat))
    });
  }
  function splitText(split) {
    if (!words) return split.text;
    var label = fill(split.reels === 1 ? words.reels_one : words.reels_many, {
      reels: grouped(split.reels), rest: grouped(split.remainder), kind: main.name
    });
    return fill(words.save, { label: label, currency: currency, saving: rules.money(split.saving) });
  }
  function wantedPieces() {
    var parsed = rules.parseQuantity(input.value);
    if (parsed.error) return { error: errorText(parsed.error) };
    return { quantity: Number(parsed.quantity) };
  }
  function orderable(wanted) {
    return Math.ceil(Math.max(wanted, part.moq) / step) * step;
  }
  function showQuote(qty) {
    if (!quote) return;
    quote.href = quote.href.replace(/([?&]qty=)\d*/, "$1" + qty);
    var beyond = qty > available + supplier;
    quote.classList.toggle("prominent", beyond);
    hint.hidden = !beyond;
    var now = (available + supplier).toLocaleString("en-US");
    var asked = qty.toLocaleString("en-US");
    if (!beyond) hint.textContent = "";
    else if (words) hint.textContent = fill(words.beyond, { available: now, quantity: asked });
    else hint.textContent = now + " available now. Request a quote for " + asked +
      " and we source the rest.";
  }
  function showOffer(qty) {
    if (!offer) return;
    var split = main ? rules.cheapestSplit(part, main, fullReel, qty, currency) : null;
    offer.hidden = !split;
    offer.textContent = split ? splitText(split) : "";
  }
  function update() {
    var wanted = wantedPieces();
    if (wanted.error) {
      out.textContent = "";
      note.textContent = wanted.error;
      showOffer(0);
      return;
    }
    var qty = orderable(wanted.quantity);
    showQuote(qty);
    out.textContent = lineText(qty);
    var rounded = words ? words.rounded : "Rounded up to the minimum order and order multiple.";
    note.textContent = qty !== wanted.quantity ? rounded : "";
    showOffer(qty);
  }
  function csrfCookie() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  var fetchingToken = false;
  box.addEventListener("submit", function (event) {
    var wanted = wantedPieces();
    if (!wanted.error) input.value = orderable(wanted.quantity);
    // The page is shared by every visitor (a cache keeps it), so it carries no token: the
    // csrftoken cookie gives it, and a first visit asks /csrf/ for one, then posts.
    var field = document.querySelector("input[name=csrfmiddlewaretoken][form=quantity-box]");
    var token = csrfCookie();
    if (token) {
      if (field) field.value = token;
      return;
    }
    if (!field || !window.fetch) return;  // the server answers a page that posts it again
    event.preventDefault();
    if (fetchingToken) return;
    fetchingToken = true;
    fetch("/csrf/", { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (payload) { field.value = csrfCookie() || payload.token; })
      .catch(function () {})
      .then(function () { fetchingToken = false; box.submit(); });
  });
  input.addEventListener("input", update);
  update();
})();
