// Attendance grid: arrow keys move between cells (Tab/Shift+Tab and Enter/Space keep
// working as usual), so a volunteer can tick a whole register from the keyboard.
(function () {
  "use strict";
  var KEYS = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };

  function position(button) {
    var cell = button.closest("td");
    var row = cell.parentElement;
    return [Array.prototype.indexOf.call(row.parentElement.rows, row), cell.cellIndex, row];
  }

  document.addEventListener("keydown", function (event) {
    var button = event.target;
    if (!button.matches || !button.matches("table.grid button.toggle")) return;
    var body = button.closest("tbody");
    var here = position(button);
    var target = null;
    if (KEYS[event.key]) {
      var row = body.rows[here[0] + KEYS[event.key][0]];
      var cell = row && row.cells[here[1] + KEYS[event.key][1]];
      target = cell && cell.querySelector("button.toggle");
    } else if (event.key === "Home" || event.key === "End") {
      var buttons = here[2].querySelectorAll("button.toggle");
      target = buttons[event.key === "Home" ? 0 : buttons.length - 1];
    }
    if (target) {
      event.preventDefault();
      target.focus();
    }
  });
})();
