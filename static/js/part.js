// Part page quantity box: the unit and extended price at the typed quantity, from the
// price-break ladder in the page. Prices are integers of 1e-6 so totals round exactly
// like the server's (half-up to cents, once per line).
(function () {
  var box = document.getElementById("quantity-box");
  if (!box) return;
  var ladder = JSON.parse(document.getElementById("price-ladder").textContent);
  var moq = parseInt(box.dataset.moq, 10) || 1;
  var multiple = parseInt(box.dataset.multiple, 10) || 1;
  var vat = box.dataset.vatMicro ? BigInt(box.dataset.vatMicro) : 0n;
  var input = box.querySelector("input");
  var out = box.querySelector("output");
  var note = box.querySelector(".quantity-note");

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
  function update() {
    var wanted = parseInt(input.value, 10);
    if (!(wanted > 0)) { out.textContent = ""; note.textContent = "Enter a quantity."; return; }
    var qty = Math.max(wanted, moq);
    qty = Math.ceil(qty / multiple) * multiple;
    var price = null;
    ladder.forEach(function (step) { if (qty >= step[0]) price = micro(step[1]); });
    if (price === null) { out.textContent = ""; return; }
    var totalMicro = price * BigInt(qty);
    var cents = (totalMicro + 5000n) / 10000n;
    var withVat = (totalMicro * (1000000n + vat) / 1000000n + 5000n) / 10000n;
    out.textContent = qty.toLocaleString("en-US") + " × " + unitText(price) + " = " +
      box.dataset.currency + " " + money(cents) + " (" + money(withVat) + " incl. VAT)";
    note.textContent = qty !== wanted ? "Rounded up to the minimum order and order multiple." : "";
  }
  input.addEventListener("input", update);
  update();
})();
