// wuye: small behaviours on top of htmx. No third-party code here.
(function () {
  "use strict";
  // "/" focuses the quick search box, as in most products.
  document.addEventListener("keydown", function (e) {
    var box = document.getElementById("quick-search");
    if (!box || e.key !== "/" || /INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName)) return;
    e.preventDefault();
    box.focus();
  });
})();
