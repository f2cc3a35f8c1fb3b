// The quote form adds line rows in the page: the last row is copied, emptied and renumbered
// (line-N-…), and the rows count the server reads goes up. Without script, "More lines"
// asks the server for more rows instead.
(function () {
  "use strict";
  var add = document.getElementById("add-quote-line");
  var more = document.getElementById("more-quote-lines");
  var rows = document.getElementById("quote-rows");
  if (!add || !rows) return;
  var body = document.querySelector(".quote-lines tbody");
  var MAX_ROWS = 100;
  add.hidden = false;
  if (more) more.hidden = true;
  add.addEventListener("click", function () {
    var count = body.querySelectorAll("tr.quote-line").length;
    if (count >= MAX_ROWS) return;
    var row = body.querySelector("tr.quote-line:last-child").cloneNode(true);
    row.querySelectorAll("input").forEach(function (input) {
      input.value = "";
      ["name", "id"].forEach(function (attr) {
        var value = input.getAttribute(attr);
        if (value) input.setAttribute(attr, value.replace(/line-\d+-/, "line-" + count + "-"));
      });
    });
    row.querySelectorAll("label").forEach(function (label) {
      var target = label.getAttribute("for");
      if (target) label.setAttribute("for", target.replace(/line-\d+-/, "line-" + count + "-"));
      label.textContent = label.textContent.replace(/\d+$/, String(count + 1));
    });
    row.querySelectorAll(".errors").forEach(function (node) { node.remove(); });
    row.querySelectorAll(".field-error").forEach(function (node) {
      node.classList.remove("field-error");
    });
    body.appendChild(row);
    rows.value = String(count + 1);
    row.querySelector("input[type=text]").focus();
  });
})();
