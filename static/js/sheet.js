/* Score grid: a spreadsheet's keys, pasting from Excel, live totals, checks while typing, and a
 * guard for unsaved changes.
 *
 * Progressive enhancement: without this file the grid is a plain form that works the same (every
 * button saves what is on the page). The server parses, computes and checks everything again;
 * what this file shows is a preview. Messages come from the page (data-msg-* on the grid), in the
 * page's language, with the same words the server uses.
 *
 * Keys: Tab and Shift+Tab go along the row through every control, as the browser does. Enter and
 * Shift+Enter move down and up the column; arrow keys move to the next cell when the caret is at
 * the edge of the text (Up and Down at once in a one-line box, and at once in a cell just
 * reached, whose text is selected). Alt+Enter starts a new line in a note. A pass/fail cell is
 * chosen by typing 1/Đ or 0/K. Enter never submits the form.
 */
(function () {
  "use strict";
  var grid = document.getElementById("score-grid");
  var form = document.getElementById("sheet-form");
  if (!grid || !form) { return; }
  var layer = grid.dataset.layer;
  var decimalComma = (document.documentElement.lang || "vi").indexOf("en") !== 0;
  var status = document.getElementById("live-status");
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  function message(name, values) {
    var text = grid.dataset["msg" + name] || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("%(" + key + ")s").join(values[key]);
    });
    return text;
  }

  /* ------------------------------------------------------------------ numbers */

  /* A typed amount as scoring/rules.py parse_amount reads it: {value: number|null} or {error}. */
  function parseAmount(text) {
    var typed = String(text === undefined || text === null ? "" : text);
    var cleaned = typed.trim().replace(/[\s\u00a0]/g, "");
    if (cleaned === "") { return { value: null }; }
    var commas = cleaned.split(",").length - 1;
    var dots = cleaned.split(".").length - 1;
    if (commas && dots) { cleaned = cleaned.replace(/\./g, "").replace(",", "."); }
    else if (commas > 1) { return { error: message("Number", { value: typed }) }; }
    else if (commas) { cleaned = cleaned.replace(",", "."); }
    else if (dots === 1 && cleaned.split(".")[1].length === 3) {
      return { error: message("Ambiguous", { value: typed }) };
    }
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(cleaned)) { return { error: message("Number", { value: typed }) }; }
    var decimals = cleaned.indexOf(".") >= 0 ? cleaned.split(".")[1].replace(/0+$/, "").length : 0;
    if (decimals > 2) { return { error: message("Decimals", { value: typed }) }; }
    return { value: Number(cleaned) };
  }

  function plain(number) {
    var text = String(Math.round(number * 100) / 100);
    return decimalComma ? text.replace(".", ",") : text;
  }

  function show(number) {
    if (number === null || isNaN(number)) { return "–"; }
    var text = (Math.round(number * 100) / 100).toFixed(2);
    var parts = text.split(".");
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, decimalComma ? "." : ",");
    return parts[0] + (decimalComma ? "," : ".") + parts[1];
  }

  /* The row of a tier table holding a value (scoring/tiers.py, TierTable.find), or null. */
  function tierOf(row, value) {
    var tiers = [];
    try { tiers = JSON.parse(row.dataset.tiers || "[]"); } catch (error) { return null; }
    for (var i = 0; i < tiers.length; i++) {
      var t = tiers[i];
      var low = t.low === null ? null : Number(t.low);
      var high = t.high === null ? null : Number(t.high);
      if (low !== null && (value < low || (t.low_open && value === low))) { continue; }
      if (high !== null && (value > high || (t.high_open && value === high))) { continue; }
      return t;
    }
    return null;
  }

  /* "0,5 ngày", "94,5%": a value with its unit (scoring/tiers.py, with_unit). */
  function withUnit(value, unit) {
    if (!unit) { return plain(value); }
    return plain(value) + (unit === "%" ? "" : " ") + unit;
  }

  /* What is wrong with a cell's text for its line's method (scoring/rules.py check_input). */
  function problem(row, cell) {
    if (cell.tagName === "SELECT" || !cell.dataset.col) { return ""; }
    var column = cell.dataset.col;
    if (column !== layer && column !== layer + "-target") { return ""; }
    var parsed = parseAmount(cell.value);
    if (parsed.error) { return parsed.error; }
    var value = parsed.value;
    if (value === null) { return ""; }
    if (column === layer + "-target") { return value <= 0 ? message("Target") : ""; }
    var max = Number(row.dataset.max);
    var step = Number(grid.dataset.step || 0);
    switch (row.dataset.method) {
      case "direct":
        if (value < 0) { return message("Negative"); }
        if (value > max) { return message("Max", { max: plain(max) }); }
        if (step > 0 && Math.abs(value / step - Math.round(value / step)) > 1e-9) {
          return message("Step", { step: plain(step) });
        }
        return "";
      case "per_occurrence":
        return value < 0 || value !== Math.floor(value) ? message("Whole") : "";
      case "tier":
        return tierOf(row, value) ? "" : message("Tier", { value: withUnit(value, row.dataset.tierUnit), ranges: row.dataset.tierRanges || "" });
      default:
        return value < 0 ? message("ResultNegative") : "";
    }
  }

  function checkCell(cell) {
    var row = cell.closest("tr");
    if (!row) { return; }
    var text = problem(row, cell);
    var box = cell.closest("td");
    var note = box.querySelector(".cell-check");
    var served = box.querySelector(".field-error");
    if (served && cell.value !== cell.defaultValue) { served.hidden = true; }
    if (!note) {
      note = document.createElement("p");
      note.className = "cell-check";
      note.id = "check-" + cell.id;
      box.appendChild(note);
    }
    note.textContent = text;
    var described = (cell.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
      return id && id !== note.id;
    });
    if (text) { described.push(note.id); }
    if (described.length) { cell.setAttribute("aria-describedby", described.join(" ")); }
    else { cell.removeAttribute("aria-describedby"); }
    var invalid = text || (served && !served.hidden);
    if (invalid) { cell.setAttribute("aria-invalid", "true"); } else { cell.removeAttribute("aria-invalid"); }
  }

  /* ------------------------------------------------------------------ totals */

  function rowInputs(row, column) {
    return {
      value: row.querySelector('[data-col="' + column + '"]'),
      target: row.querySelector('[data-col="' + column + '-target"]')
    };
  }

  /* Points of a leaf from the inputs of one column, following scoring/rules.py. */
  function points(row, column) {
    var inputs = rowInputs(row, column);
    if (!inputs.value) { return row.dataset[column] === "" ? null : Number(row.dataset[column]); }
    var max = Number(row.dataset.max);
    var parsed = parseAmount(inputs.value.value);
    if (parsed.error || problem(row, inputs.value)) { return NaN; } /* no total from a bad value */
    var value = parsed.value;
    if (value === null) { return null; }
    switch (row.dataset.method) {
      case "direct": return value;
      case "pass_fail": return value === 1 ? max : 0;
      case "per_occurrence": return Math.min(max, value * Number(row.dataset.ppo || 0));
      case "tier":
        var tier = tierOf(row, value);
        return tier ? Math.min(max, Number(tier.points)) : NaN;
      case "target":
        var target = parseAmount(inputs.target && inputs.target.value).value;
        return target ? Math.min(max, max * value / target) : null;
      default: return row.dataset[column] === "" ? null : Number(row.dataset[column]); /* the bloc's best: on save */
    }
  }

  /* "mức 1–3 ngày " before a tier line's points, from the value typed in ``column``. */
  function tierWords(row, column) {
    if (row.dataset.method !== "tier") { return ""; }
    var input = rowInputs(row, column).value;
    var parsed = input ? parseAmount(input.value) : { value: null };
    var tier = parsed.value === null || parsed.error ? null : tierOf(row, parsed.value);
    return tier ? tier.words + " " : "";
  }

  function recompute() {
    /* "self": the unit's own lines only, as typed (scoring/rules.py, own_lines); "combined":
       with the points of the lines the bloc, the council or a department scores; "verified":
       only once verification has started (before, it reads "chưa thẩm định"). */
    var bar = document.getElementById("totals-bar");
    var started = !bar || bar.dataset.started !== "0";
    var columns = started ? ["self", "combined", "verified"] : ["self", "combined"];
    var sums = {};
    var totals = {};
    columns.forEach(function (column) {
      totals[column] = { standard: 0, bonus: 0, penalty: 0, full: 0, applicable: 0, missing: 0 };
    });
    grid.querySelectorAll("tr.row-leaf").forEach(function (row) {
      var max = Number(row.dataset.max);
      var na = row.dataset.na === "1";
      columns.forEach(function (column) {
        var t = totals[column];
        var source = column === "verified" ? "verified" : "self";
        var optional = source === "self" && row.dataset.scoredBy !== "unit";
        var others = column === "combined" ? points(row, "verified") : null; /* as typed, or saved */
        var p = na ? 0 : (optional ? others : points(row, source));
        if (row.dataset.kind === "standard") { t.full += max; if (!na) { t.applicable += max; } }
        var shown = column !== "combined";
        var computed = shown && row.querySelector('[data-computed="' + column + '"]');
        if (computed) { computed.textContent = (p === null || isNaN(p)) ? "" : tierWords(row, source) + "= " + show(p); }
        if (p === null || isNaN(p)) {
          if (!optional) { t.missing += 1; if (shown) { markParents(row, column, null); } }
          return;
        }
        t[row.dataset.kind] += p;
        if (shown) { markParents(row, column, p); }
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
    var cap = grid.dataset.bonusCap === "" ? null : Number(grid.dataset.bonusCap);
    columns.forEach(function (column) {
      var t = totals[column];
      var standard = (t.applicable > 0 && t.applicable !== t.full) ? t.standard * t.full / t.applicable : t.standard;
      var bonus = cap === null ? t.bonus : Math.min(t.bonus, cap);
      var total = t.missing ? null : standard + bonus - t.penalty;
      set(column + "-standard", standard);
      set(column + "-bonus", bonus);
      set(column + "-penalty", t.penalty);
      set(column, total);
      var top = document.querySelector('[data-live="' + column + '"]');
      if (top) {
        top.innerHTML = "";
        if (total === null) {
          var muted = document.createElement("span");
          muted.className = "muted";
          muted.textContent = message("Missing", { count: t.missing });
          top.appendChild(muted);
        } else {
          top.textContent = show(total);
        }
      }
    });
    function set(name, value) {
      var cell = grid.querySelector('[data-total="' + name + '"]');
      if (cell) { cell.textContent = value === null ? "–" : show(value); }
    }
  }

  /* ------------------------------------------------------------------ changes */

  function initial(cell) {
    if (cell.tagName === "SELECT") {
      for (var i = 0; i < cell.options.length; i += 1) {
        if (cell.options[i].defaultSelected) { return cell.options[i].value; }
      }
      return cell.options.length ? cell.options[0].value : "";
    }
    return cell.type === "file" ? "" : cell.defaultValue;
  }

  function entries() {
    return Array.prototype.slice.call(grid.querySelectorAll("input[data-col], select[data-col], textarea[data-col]"));
  }

  /* A page shown again after a refusal holds typed values that were not saved. */
  var unsaved = grid.dataset.unsaved === "1";
  var dirty = unsaved;
  function refreshChanges() {
    var changed = 0;
    entries().forEach(function (cell) {
      var now = cell.type === "file" ? (cell.files && cell.files.length ? "files" : "") : cell.value;
      var differs = now !== initial(cell);
      cell.classList.toggle("is-changed", differs);
      if (differs) { changed += 1; }
    });
    dirty = unsaved || changed > 0;
    return changed;
  }

  function announce(text) { if (status) { status.textContent = text; } }

  function changedNow(cell) {
    if (cell && cell.dataset && cell.dataset.col) { checkCell(cell); }
    var count = refreshChanges();
    recompute();
    announce(count ? message("Changed", { count: count }) : "");
  }

  /* ------------------------------------------------------------------ moving */

  function visible(cell) {
    return cell.offsetParent !== null && !cell.disabled && cell.type !== "file";
  }
  function movable() { return entries().filter(visible); }
  function inColumn(column) {
    return movable().filter(function (cell) { return cell.dataset.col === column; });
  }
  function inRow(cell) {
    var row = cell.closest("tr");
    return movable().filter(function (other) { return other.closest("tr") === row; });
  }
  function go(next) {
    if (!next) { return false; }
    next.focus();
    if (next.select && next.tagName !== "SELECT") { next.select(); }
    return true;
  }
  function caret(cell) {
    try { return { start: cell.selectionStart, end: cell.selectionEnd }; } catch (error) { return null; }
  }

  /* A pass/fail cell is chosen by typing, as in a spreadsheet: 1 or Đ for Đạt, 0 or K for
   * Không đạt, Delete to clear; the arrows move between rows and never change it. */
  var CHOICES = { "1": "1", "đ": "1", "d": "1", "0": "0", "k": "0" };
  function choose(cell, key) {
    var value = key === "Delete" || key === "Backspace" ? "" : CHOICES[key.toLowerCase()];
    if (value === undefined) { return false; }
    cell.value = value;
    cell.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  }

  function move(event) {
    var cell = event.target;
    if (!cell.dataset || !cell.dataset.col || cell.type === "file") { return; }
    var key = event.key;
    var isText = cell.tagName === "TEXTAREA";
    var isSelect = cell.tagName === "SELECT";
    if (isSelect && !event.altKey && !event.ctrlKey && !event.metaKey && choose(cell, key)) {
      event.preventDefault();
      return;
    }
    if (key === "Enter") {
      if (isText && event.altKey) {
        event.preventDefault();
        cell.setRangeText("\n", cell.selectionStart, cell.selectionEnd, "end");
        cell.dispatchEvent(new Event("input", { bubbles: true }));
        return;
      }
      event.preventDefault(); /* never submits the form */
      var step = event.shiftKey ? -1 : 1;
      var column = inColumn(cell.dataset.col);
      var next = column[column.indexOf(cell) + step];
      if (!next && /-target$/.test(cell.dataset.col)) {
        /* No target box below: on to the next row's score. */
        var scores = inColumn(cell.dataset.col.replace(/-target$/, ""));
        var own = cell.closest("tr").querySelector('[data-col="' + cell.dataset.col.replace(/-target$/, "") + '"]');
        next = scores[scores.indexOf(own) + step];
      }
      go(next);
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    var at = caret(cell);
    var length = cell.value.length;
    var whole = at && at.start === 0 && at.end === length; /* just arrived: the text is selected */
    if (key === "ArrowDown" || key === "ArrowUp") {
      if (isText && at && !whole) {
        var before = cell.value.slice(0, at.start);
        var after = cell.value.slice(at.end);
        if ((key === "ArrowUp" && before.indexOf("\n") >= 0) || (key === "ArrowDown" && after.indexOf("\n") >= 0)) { return; }
      }
      var list = inColumn(cell.dataset.col);
      if (go(list[list.indexOf(cell) + (key === "ArrowDown" ? 1 : -1)]) || isSelect) { event.preventDefault(); }
      return;
    }
    if (key === "ArrowLeft" || key === "ArrowRight") {
      var edge = isSelect || whole || (at && at.start === at.end && (key === "ArrowLeft" ? at.start === 0 : at.end === length));
      if (!edge) { return; }
      var row = inRow(cell);
      if (go(row[row.indexOf(cell) + (key === "ArrowRight" ? 1 : -1)]) || isSelect) { event.preventDefault(); }
    }
  }

  /* ------------------------------------------------------------------ pasting */

  /* A block copied from Excel or LibreOffice (tab-separated rows) fills the grid from the
   * focused cell: row after row down the column, and across the grid's two columns of entry,
   * the score (a target line takes "result/target" in one cell) and the note or reason. */
  var YES = ["1", "đạt", "dat", "x", "có", "co", "yes", "pass"];
  var NO = ["0", "không đạt", "khong dat", "không", "khong", "no", "fail"];
  function put(cell, text) {
    if (!cell) { return false; }
    var value = String(text).replace(/^"|"$/g, "").trim();
    if (cell.tagName === "SELECT") {
      var lower = value.toLowerCase();
      value = YES.indexOf(lower) >= 0 ? "1" : (NO.indexOf(lower) >= 0 ? "0" : (lower === "" ? "" : null));
      if (value === null) { return false; }
    }
    cell.value = value;
    checkCell(cell);
    return true;
  }

  /* The row's two columns of entry: [score, note or reason]. */
  function slots(row) {
    var score = row.querySelector('[data-col="' + layer + '"]');
    var target = row.querySelector('[data-col="' + layer + '-target"]');
    var text = row.querySelector('[data-col="note"], [data-col="reason"]');
    return [{ value: score, target: target }, { text: text }];
  }
  function fill(slot, text) {
    if (slot.text !== undefined) { return put(slot.text, text); }
    var parts = String(text).split("/");
    if (slot.target && parts.length === 2) { return put(slot.value, parts[0]) && put(slot.target, parts[1]); }
    return put(slot.value, text);
  }

  function paste(event) {
    var start = event.target;
    if (!start.dataset || !start.dataset.col || start.type === "file") { return; }
    var text = (event.clipboardData || window.clipboardData).getData("text");
    var block = text.replace(/\r\n?/g, "\n").replace(/\n$/, "");
    if (block.indexOf("\t") < 0 && block.indexOf("\n") < 0) { return; } /* one value: as usual */
    var key = start.dataset.col.replace(/-target$/, "");
    var first = key === layer ? 0 : (key === "note" || key === "reason" ? 1 : -1);
    if (first < 0) { return; }
    event.preventDefault();
    var rows = Array.prototype.filter.call(grid.querySelectorAll("tr.row-leaf"), function (row) {
      return slots(row)[first][first ? "text" : "value"];
    });
    var from = rows.indexOf(start.closest("tr"));
    var count = 0;
    var left = 0;
    block.split("\n").forEach(function (line, i) {
      var row = rows[from + i];
      if (!row) { left += 1; return; }
      var targets = slots(row);
      line.split("\t").forEach(function (value, j) {
        var slot = targets[first + j];
        if (slot && fill(slot, value)) { count += 1; }
      });
    });
    refreshChanges();
    recompute();
    announce(message("Pasted", { count: count }) + (left ? " " + message("Left", { count: left }) : ""));
  }

  /* A cell that takes the focus is shown whole, clear of the two columns kept in view at the
   * left of the grid's box (the browser alone may leave a wide note half hidden). */
  function reveal(event) {
    var cell = event.target;
    var wrap = grid.parentElement;
    if (!wrap || wrap.scrollWidth <= wrap.clientWidth || cell.closest(".code, .title")) { return; }
    var kept = grid.querySelector("thead th:nth-child(2)");
    var area = wrap.getBoundingClientRect();
    var left = kept ? kept.getBoundingClientRect().right : area.left;
    var box = cell.getBoundingClientRect();
    if (box.right > area.right) { wrap.scrollLeft += Math.min(box.right - area.right + 8, box.left - left - 8); }
    else if (box.left < left) { wrap.scrollLeft -= left - box.left + 8; }
  }

  /* ------------------------------------------------------------------ wiring */

  grid.addEventListener("input", function (event) { changedNow(event.target); });
  grid.addEventListener("change", function (event) { changedNow(event.target); });
  grid.addEventListener("keydown", move);
  grid.addEventListener("focusin", reveal);
  grid.addEventListener("paste", paste);
  form.addEventListener("submit", function () { dirty = false; });
  document.querySelectorAll('[form="sheet-form"]').forEach(function (field) {
    field.addEventListener("input", function () { dirty = true; });
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
  if (layer) {
    entries().forEach(function (cell) {
      if (cell.getAttribute("aria-invalid") === "true") { return; } /* the server's message stays */
      if (cell.value) { checkCell(cell); }
    });
    recompute();
  }
})();
