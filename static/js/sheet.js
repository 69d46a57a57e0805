/* Score grid: keyboard movement down a column, live subtotals and totals, unsaved-change guard.
 * Progressive enhancement: without this file the grid is a plain form that works the same.
 * The server computes and checks everything again; these numbers are a preview only. */
(function () {
  "use strict";
  var grid = document.getElementById("score-grid");
  var form = document.getElementById("sheet-form");
  if (!grid || !form) { return; }
  var layer = grid.dataset.layer;
  var decimalComma = (document.documentElement.lang || "vi").indexOf("en") !== 0;

  function parse(text) {
    if (text === undefined || text === null) { return null; }
    var value = String(text).trim().replace(/\s/g, "");
    if (value === "") { return null; }
    if (value.indexOf(",") >= 0 && value.indexOf(".") >= 0) { value = value.replace(/\./g, "").replace(",", "."); }
    else { value = value.replace(",", "."); }
    var number = Number(value);
    return isFinite(number) ? number : NaN;
  }

  function show(number) {
    if (number === null || isNaN(number)) { return "–"; }
    var text = (Math.round(number * 100) / 100).toFixed(2);
    var parts = text.split(".");
    var sep = decimalComma ? "." : ",";
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, sep);
    return parts[0] + (decimalComma ? "," : ".") + parts[1];
  }

  function rowInputs(row, column) {
    return {
      value: row.querySelector('[data-col="' + column + '"]'),
      target: row.querySelector('[data-col="' + column + '-target"]')
    };
  }

  /* Points of a leaf from the inputs of one column, following scoring/rules.py. */
  function points(row, column) {
    var inputs = rowInputs(row, column);
    if (!inputs.value) { return parse(row.dataset[column]); }
    var max = Number(row.dataset.max);
    var value = parse(inputs.value.value);
    if (value === null || isNaN(value)) { return value; }
    switch (row.dataset.method) {
      case "direct": return value;
      case "pass_fail": return value === 1 ? max : 0;
      case "per_occurrence": return Math.min(max, value * Number(row.dataset.ppo || 0));
      case "target":
        var target = parse(inputs.target && inputs.target.value);
        return target ? Math.min(max, max * value / target) : null;
      default: return parse(row.dataset[column]); /* relative to the best: computed on save */
    }
  }

  function recompute() {
    var leaves = grid.querySelectorAll("tr.row-leaf");
    var columns = ["self", "verified"];
    var sums = {};
    var totals = {};
    columns.forEach(function (column) {
      totals[column] = { standard: 0, bonus: 0, penalty: 0, full: 0, applicable: 0, missing: 0 };
    });
    leaves.forEach(function (row) {
      var max = Number(row.dataset.max);
      var na = row.dataset.na === "1";
      columns.forEach(function (column) {
        var t = totals[column];
        var optional = column === "self" && row.dataset.scoredBy !== "unit";
        var p = na ? 0 : (optional ? parse(row.dataset.verified) : points(row, column));
        if (row.dataset.kind === "standard") { t.full += max; if (!na) { t.applicable += max; } }
        var computed = row.querySelector('[data-computed="' + column + '"]');
        if (computed) { computed.textContent = (p === null || isNaN(p)) ? "" : "= " + show(p); }
        if (p === null || isNaN(p)) {
          if (!optional) { t.missing += 1; markParents(row, column, null); }
          return;
        }
        t[row.dataset.kind] += p;
        markParents(row, column, p);
      });
    });
    function markParents(row, column, p) {
      var parent = row.dataset.parent;
      while (parent) {
        var key = parent + ":" + column;
        if (!(key in sums)) { sums[key] = 0; }
        sums[key] = (sums[key] === null || p === null) ? null : sums[key] + p;
        var parentRow = grid.querySelector('tr[data-id="' + parent + '"]');
        parent = parentRow ? parentRow.dataset.parent : "";
      }
    }
    Object.keys(sums).forEach(function (key) {
      var parts = key.split(":");
      var cell = grid.querySelector('tr[data-id="' + parts[0] + '"] [data-sum="' + parts[1] + '"]');
      if (cell) { cell.textContent = sums[key] === null ? "" : show(sums[key]); }
    });
    var cap = grid.dataset.bonusCap === "" ? null : parse(grid.dataset.bonusCap);
    columns.forEach(function (column) {
      var t = totals[column];
      var standard = (t.applicable > 0 && t.applicable !== t.full) ? t.standard * t.full / t.applicable : t.standard;
      var bonus = cap === null ? t.bonus : Math.min(t.bonus, cap);
      set(column + "-standard", standard);
      set(column + "-bonus", bonus);
      set(column + "-penalty", t.penalty);
      set(column, t.missing ? null : standard + bonus - t.penalty);
    });
    function set(name, value) {
      var cell = grid.querySelector('[data-total="' + name + '"]');
      if (cell) { cell.textContent = value === null ? "–" : show(value); }
    }
  }

  /* Enter and Tab move down the column (Shift goes up), like a spreadsheet: first every score
   * cell (a target line's second box comes right after its first), then the notes or reasons.
   * At the end of the last column Tab leaves the grid as usual; Enter never submits the form. */
  var COLUMNS = ["score", "text"];
  function family(cell) {
    var column = cell.dataset.col;
    return column === "note" || column === "reason" ? "text" : "score";
  }
  function cellsOf(name) {
    return Array.prototype.slice.call(grid.querySelectorAll("input[data-col], select[data-col], textarea[data-col]"))
      .filter(function (cell) { return family(cell) === name; });
  }
  function move(event) {
    var target = event.target;
    if (!target.dataset || !target.dataset.col || (event.key !== "Enter" && event.key !== "Tab")) { return; }
    if (event.key === "Enter" && target.tagName === "TEXTAREA" && event.shiftKey) { return; }
    var step = event.shiftKey ? -1 : 1;
    var name = family(target);
    var cells = cellsOf(name);
    var next = cells[cells.indexOf(target) + step];
    if (!next && event.key === "Tab") {
      var other = COLUMNS[COLUMNS.indexOf(name) + step];
      var list = other ? cellsOf(other) : [];
      next = step > 0 ? list[0] : list[list.length - 1];
    }
    if (next) {
      event.preventDefault();
      next.focus();
      if (next.select) { next.select(); }
    } else if (event.key === "Enter") {
      event.preventDefault();
    }
  }

  var dirty = false;
  grid.addEventListener("input", function () { dirty = true; recompute(); });
  grid.addEventListener("change", function () { dirty = true; recompute(); });
  grid.addEventListener("keydown", move);
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
  if (layer) { recompute(); }
})();
