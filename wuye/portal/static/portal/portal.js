// The owner portal: offer only the categories that fit the chosen kind of request.
(function () {
  "use strict";
  function filterCategories(form) {
    var select = form.querySelector("select[name=category]");
    var kind = form.querySelector("input[name=kind]:checked");
    if (!select || !kind) { return; }
    Array.prototype.forEach.call(select.options, function (option) {
      var kinds = option.getAttribute("data-kinds");
      var fits = !kinds || kinds.split(" ").indexOf(kind.value) !== -1;
      option.hidden = !fits;
      option.disabled = !fits;
      if (!fits && option.selected) { select.value = ""; }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("portal-ticket-form");
    if (!form) { return; }
    form.addEventListener("change", function (event) {
      if (event.target.name === "kind") { filterCategories(form); }
    });
    filterCategories(form);
  });
})();
