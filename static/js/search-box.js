/* The header search box as an ARIA combobox (WAI-ARIA 1.2 list autocomplete): part numbers,
   categories and manufacturers from /search/suggest as the visitor types. Arrow keys move
   through the suggestions, Enter opens the one chosen (or searches for what was typed),
   Escape closes the list; a live region says how many suggestions there are. Without
   JavaScript the box is a plain search form. */
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("q-suggestions");
  var status = document.getElementById("q-status");
  if (!input || !list || !window.fetch) return;
  var GROUPS = [["parts", list.dataset.partsLabel], ["categories", list.dataset.categoriesLabel],
                ["manufacturers", list.dataset.manufacturersLabel]];
  var options = [], active = -1, timer = null, asked = "", controller = null;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function choose(index) {
    if (active >= 0) options[active].setAttribute("aria-selected", "false");
    active = index;
    if (index < 0) { input.removeAttribute("aria-activedescendant"); return; }
    options[index].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", options[index].id);
    options[index].scrollIntoView({block: "nearest"});
  }

  function render(data) {
    list.textContent = "";
    options = [];
    active = -1;
    GROUPS.forEach(function (group) {
      (data[group[0]] || []).forEach(function (item) {
        var option = document.createElement("li");
        option.id = "q-option-" + options.length;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.url = item.url;
        var name = document.createElement("span");
        name.className = "suggestion-name";
        name.textContent = item.mpn || item.name;
        var kind = document.createElement("span");
        kind.className = "suggestion-kind";
        kind.textContent = item.manufacturer ? item.manufacturer : group[1];
        option.append(name, " ", kind);
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { window.location.href = item.url; });
        options.push(option);
        list.append(option);
      });
    });
    status.textContent = options.length ? list.dataset.countTemplate.replace("%s", options.length) : "";
    if (options.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    } else {
      close();
    }
  }

  function suggest() {
    var text = input.value.trim();
    if (text.length < 2) { close(); status.textContent = ""; return; }
    if (text === asked) return;
    asked = text;
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    fetch((list.dataset.suggestUrl || "/search/suggest") + "?q=" + encodeURIComponent(text),
          {headers: {Accept: "application/json"}, signal: controller ? controller.signal : undefined})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && input.value.trim() === text) render(data); })
      .catch(function () { /* offline or aborted: the form still searches */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && options.length) {
      event.preventDefault();
      if (list.hidden) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
      choose((active + 1) % options.length);
    } else if (event.key === "ArrowUp" && options.length) {
      event.preventDefault();
      choose(active <= 0 ? options.length - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0 && !list.hidden) {
      event.preventDefault();
      window.location.href = options[active].dataset.url;
    } else if (event.key === "Escape") {
      if (!list.hidden) { event.preventDefault(); close(); }
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 100); });
  input.addEventListener("focus", function () { if (options.length && input.value.trim() === asked) {
    list.hidden = false; input.setAttribute("aria-expanded", "true"); } });
})();
