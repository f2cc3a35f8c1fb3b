// The store's quantity and price rules, for the browser: ports of parse_quantity
// (orders/quantities.py), cheapest_split and the per-line rounding (catalog/pricing.py).
// tests/orders/test_js_rules.py runs one table of cases through both and compares.
// Money is BigInt: unit prices in micro-units (1e-6), totals in cents, rounded half-up
// once per line, like the server's Decimal arithmetic.
(function (root) {
  "use strict";
  var HINT = "Enter the quantity as a whole number of pieces, e.g. 100, 1,000 or 2.5k.";
  var NOT_POSITIVE = "The quantity must be at least 1.";
  var BEYOND_ANY_MAXIMUM = 1000000000000000n;
  var SPLIT_REEL_COUNTS = 2000;
  // What Python's str.strip() and re's \s take for whitespace.
  var WS = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
  var STRIP = new RegExp("^[" + WS + "]+|[" + WS + "]+$", "g");
  var PLAIN = /^[0-9]+$/;
  var GROUPED = /^[0-9]{1,3}(?:[, _][0-9]{3})+$/;
  var THOUSANDS = new RegExp("^([0-9]+(?:\\.[0-9]+)?)[" + WS + "]*[kK]$");
  var FULL_WIDTH = { "，": ",", "．": ".", "ｋ": "k", "Ｋ": "K", "\u3000": " " };

  function grouped(n) { return BigInt(n).toLocaleString("en-US"); }

  function toAscii(text) {
    return text.replace(/[\uff10-\uff19\uff0c\uff0e\uff4b\uff2b\u3000]/g, function (c) {
      var code = c.charCodeAt(0);
      return code >= 0xff10 && code <= 0xff19 ? String.fromCharCode(code - 0xff10 + 48) : FULL_WIDTH[c];
    });
  }

  // A quantity as typed: {quantity: BigInt} or {error: message}, as parse_quantity decides.
  function parseQuantity(value, allowZero) {
    var text = toAscii(String(value == null ? "" : value)).replace(STRIP, "");
    var negative = text.charAt(0) === "-";
    var body = "+-".indexOf(text.charAt(0)) >= 0 ? text.replace(/^[+-]+/, "").replace(STRIP, "") : text;
    var quantity, match;
    if (!body) return { error: HINT };
    if (PLAIN.test(body) || GROUPED.test(body)) {
      var digits = body.replace(/[, _]/g, "").replace(/^0+/, "") || "0";
      quantity = digits.length <= 15 ? BigInt(digits) : BEYOND_ANY_MAXIMUM;
    } else if ((match = THOUSANDS.exec(body))) {
      var number = match[1];
      if (number.length > 15) {
        quantity = BEYOND_ANY_MAXIMUM;
      } else {
        var parts = number.split("."), fraction = parts[1] || "";
        var pieces = BigInt(parts[0]) * 1000n + BigInt((fraction + "000").slice(0, 3));
        if (/[1-9]/.test(fraction.slice(3))) {
          return { error: body + " is not a whole number of pieces; enter e.g. " +
            grouped(pieces) + " or " + grouped(pieces + 1n) + "." };
        }
        quantity = pieces;
      }
    } else {
      return { error: HINT };
    }
    if (negative) quantity = -quantity;
    if (quantity < (allowZero ? 0n : 1n)) return { error: NOT_POSITIVE };
    return { quantity: quantity };
  }

  function micro(text) {
    var parts = String(text).split(".");
    return BigInt(parts[0]) * 1000000n + BigInt(((parts[1] || "") + "000000").slice(0, 6));
  }
  function unitPriceAt(ladder, quantity) {
    var price = null;
    for (var i = 0; i < ladder.length && quantity >= ladder[i][0]; i++) price = micro(ladder[i][1]);
    return price;
  }
  function lineCents(priceMicro, quantity) {
    return (priceMicro * BigInt(quantity) + 5000n) / 10000n;
  }
  function vatCents(netCents, vatMicro) {
    return (netCents * BigInt(vatMicro) + 500000n) / 1000000n;
  }
  function money(cents) {
    var rest = cents % 100n;
    return grouped(cents / 100n) + "." + (rest < 10n ? "0" : "") + rest;
  }
  function unitText(m) {
    var frac = (m % 1000000n).toString().padStart(6, "0").replace(/0+$/, "");
    return (m / 1000000n) + "." + (frac.length < 2 ? (frac + "00").slice(0, 2) : frac);
  }
  function gcd(a, b) { return b ? gcd(b, a % b) : a; }
  function step(part, reel) {
    return reel ? reel / gcd(reel, part.multiple) * part.multiple : part.multiple;
  }
  function sells(part, ladder, reel, quantity) {
    return quantity >= part.moq && quantity % step(part, reel) === 0 &&
      unitPriceAt(ladder, quantity) !== null;
  }

  // "150 × 0.0061 = CNY 0.92 (1.04 incl. VAT)": one line, VAT on its rounded net.
  function lineText(ladder, quantity, vatMicro, currency) {
    var price = unitPriceAt(ladder, quantity);
    if (price === null) return "";
    var net = lineCents(price, quantity);
    return grouped(quantity) + " × " + unitText(price) + " = " + currency + " " + money(net) +
      " (" + money(net + vatCents(net, vatMicro)) + " incl. VAT)";
  }

  // The cheapest whole reels + rest on the main ladder, if cheaper than all on the main
  // ladder; null otherwise. part: {moq, multiple}; main: {ladder, name};
  // reel: {size, ladder}: ladders as [[min quantity, "unit price"], ...].
  function cheapestSplit(part, main, reel, quantity, currency) {
    if (!reel || !reel.ladder.length || !main || !main.ladder.length) return null;
    var nowUnit = unitPriceAt(main.ladder, quantity);
    if (nowUnit === null) return null;
    var nowCost = lineCents(nowUnit, quantity);
    var most = Math.floor(quantity / reel.size), best = null;
    for (var reels = most; reels > Math.max(0, most - SPLIT_REEL_COUNTS); reels--) {
      var onReels = reels * reel.size, remainder = quantity - onReels;
      if (!sells(part, reel.ladder, reel.size, onReels)) continue;
      if (remainder && !sells(part, main.ladder, 0, remainder)) continue;
      var cost = lineCents(unitPriceAt(reel.ladder, onReels), onReels) +
        (remainder ? lineCents(unitPriceAt(main.ladder, remainder), remainder) : 0n);
      if (cost < nowCost && (best === null || cost < best.cost)) {
        best = { reels: reels, reelQuantity: onReels, remainder: remainder, cost: cost,
                 saving: nowCost - cost };
      }
    }
    if (best) {
      best.text = grouped(best.reels) + (best.reels === 1 ? " full reel + " : " full reels + ") +
        grouped(best.remainder) + " " + main.name + ": save " + currency + " " + money(best.saving);
    }
    return best;
  }

  var rules = {
    HINT: HINT, parseQuantity: parseQuantity, cheapestSplit: cheapestSplit, lineText: lineText,
    unitPriceAt: unitPriceAt, lineCents: lineCents, vatCents: vatCents, money: money,
    unitText: unitText, micro: micro, step: step
  };
  if (typeof module !== "undefined" && module.exports) module.exports = rules;
  else root.PartlineRules = rules;
})(this);
