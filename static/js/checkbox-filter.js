// Narrows a list of checkboxes to the labels containing what is typed in its search box
// (the chosen ones always stay visible). No inline script: loaded by the widget.
(function () {
  "use strict";
  function normalise(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  function setUp(box) {
    if (box.dataset.ready) return;
    box.dataset.ready = "1";
    var input = box.querySelector("[data-checkbox-filter-input]");
    var count = box.querySelector("[data-checkbox-filter-count]");
    var options = Array.prototype.slice.call(box.querySelectorAll("input[type=checkbox]"));
    function update() {
      var query = normalise(input.value.trim());
      var shown = 0;
      options.forEach(function (option) {
        var item = option.closest("div");
        var match = !query || option.checked || normalise(item.textContent).indexOf(query) !== -1;
        item.hidden = !match;
        if (match) shown += 1;
      });
      var chosen = options.filter(function (o) { return o.checked; }).length;
      count.textContent = shown + " / " + options.length + " · " + chosen + " \u2713";
    }
    input.addEventListener("input", update);
    options.forEach(function (o) { o.addEventListener("change", update); });
    update();
  }
  function all() {
    document.querySelectorAll("[data-checkbox-filter]").forEach(setUp);
  }
  document.addEventListener("DOMContentLoaded", all);
  document.addEventListener("htmx:afterSwap", all);
})();
