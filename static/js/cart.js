// Cart page: choosing another packaging in a line's select submits it at once; without
// scripts the select's Change button does.
(function () {
  document.querySelectorAll(".packaging-form").forEach(function (form) {
    var button = form.querySelector("button");
    if (button) button.hidden = true;
    form.querySelector("select").addEventListener("change", function () { form.submit(); });
  });
})();
