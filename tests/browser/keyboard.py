"""Keyboard reach: every visible link, button, field and disclosure of a page can be reached with
Tab, and with Shift+Tab going back.

``tab_through(page)`` collects the page's visible focusable elements, presses Tab from the top
until the focus leaves the document or comes round again, then Shift+Tab from the bottom the
same way, and returns what either pass never reached, with any trap (a script that keeps the
focus) and any element that takes the focus while it cannot be seen (.visually-hidden).
``assert_keyboard_reaches_everything`` fails with all of those named. It works on any page,
the score sheet's included.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FOCUSABLE = (
    "a[href], area[href], button, input:not([type=hidden]), select, textarea, summary, "
    'iframe, [contenteditable=""], [contenteditable="true"], [tabindex]:not([tabindex="-1"])'
)

# Keeps the page's focusable elements on window.__keyboard (not in the DOM, which stays as the
# page made it): visible (a box, not visibility:hidden, not inside a closed <details> unless it
# is that details' summary), enabled, and not taken out of the tab order by tabindex="-1".
COLLECT = """(selector) => {
  const describe = el => {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || el.title || '')
      .trim().replace(/\\s+/g, ' ').slice(0, 60);
    let name = el.tagName.toLowerCase();
    if (el.id) name += '#' + el.id;
    else if (el.name) name += '[name=' + el.name + ']';
    else if (el.getAttribute('href')) name += '[href=' + el.getAttribute('href') + ']';
    return text ? name + ' “' + text + '”' : name;
  };
  const inClosedDetails = el => {
    for (let at = el.closest('details'); at; at = at.parentElement.closest('details')) {
      const summary = at.querySelector(':scope > summary');
      if (!at.open && !(summary && summary.contains(el))) return true;
    }
    return false;
  };
  const visible = el => {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) return false;
    if (getComputedStyle(el).visibility !== 'visible') return false;
    return !inClosedDetails(el);
  };
  // Only the first <summary> of a <details> is its disclosure button.
  const disclosure = el => el.tagName !== 'SUMMARY' || (el.parentElement.tagName === 'DETAILS'
    && el.parentElement.querySelector(':scope > summary') === el);
  const found = [...document.querySelectorAll(selector)].filter(el => !el.disabled
    && !el.closest('[inert]') && el.tabIndex >= 0 && disclosure(el) && visible(el));
  // A group of radio buttons is one stop of the Tab order (arrow keys move inside it): its first
  // button stands for the group, and reaching any of them reaches the group.
  const elements = [], groups = new Map(), alias = new Map();
  for (const el of found) {
    if (el.type === 'radio' && el.name) {
      if (!groups.has(el.form)) groups.set(el.form, new Map());
      const first = groups.get(el.form).get(el.name);
      if (first) { alias.set(el, first); continue; }
      groups.get(el.form).set(el.name, el);
    }
    elements.push(el);
  }
  window.__keyboard = elements;
  window.__keyboardAlias = alias;
  return elements.map(describe);
}"""

# Where the focus is: the index in window.__keyboard (-1 for another element) and whether the
# focused element can be seen (more than a pixel each way: not .visually-hidden); null when the
# focus has left the page (on the body, or nowhere).
WHERE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const box = el.getBoundingClientRect();
  const index = window.__keyboard.indexOf(window.__keyboardAlias.get(el) || el);
  // What is drawn at the middle of the focused element: itself, or something over it (a column
  // kept in view while its table scrolls, a header fixed over the page).
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  const covered = hit !== null && !el.contains(hit) && !hit.contains(el);
  return [index, box.width > 1 && box.height > 1, covered];
}"""


@dataclass
class KeyboardPass:
    """What one page's Tab and Shift+Tab passes reached, and what they did not."""

    elements: list[str]
    forward: list[int] = field(default_factory=list)
    backward: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def missed_forward(self) -> list[str]:
        reached = set(self.forward)
        return [name for index, name in enumerate(self.elements) if index not in reached]

    @property
    def missed_backward(self) -> list[str]:
        reached = set(self.backward)
        return [name for index, name in enumerate(self.elements) if index not in reached]

    def report(self, where: str) -> str:
        lines = [f"{where}: {len(self.elements)} focusable elements"]
        if self.missed_forward:
            lines.append("  never reached with Tab:")
            lines += [f"    {name}" for name in self.missed_forward]
        if self.missed_backward:
            lines.append("  never reached with Shift+Tab:")
            lines += [f"    {name}" for name in self.missed_backward]
        lines += [f"  {problem}" for problem in self.problems]
        return "\n".join(lines)

    @property
    def ok(self) -> bool:
        return not (self.missed_forward or self.missed_backward or self.problems)


def _walk(page: Any, key: str, count: int) -> tuple[list[int], list[str]]:
    """Press ``key`` until the focus leaves the page (after having been on it) or comes back to
    where this pass began; the indexes reached, in order, and the problems met on the way (a
    trap, an element focused while invisible)."""
    reached: list[int] = []
    problems: list[str] = []
    started = False
    first: int | None = None
    previous: int | None = None
    # Every element once, the way out, and some slack for focusable things not collected.
    for _ in range(count * 2 + 10):
        page.keyboard.press(key)
        focus = page.evaluate(WHERE)
        if focus is None:
            if started:
                return reached, problems
            continue
        started = True
        where, seen, covered = focus
        if (covered or not seen) and where != -1 and where not in reached:
            name = page.evaluate("i => window.__keyboard[i].outerHTML.slice(0, 120)", where)
            why = "is covered by something else" if seen else "cannot be seen"
            problems.append(f"{key} focuses {name}, which {why}")
        if where != -1 and where == previous:
            name = page.evaluate("i => window.__keyboard[i].outerHTML.slice(0, 120)", where)
            return reached, [*problems, f"{key} stays on {name}: a script keeps the focus there"]
        if where != -1 and where == first:
            return reached, problems  # round again: everything in between was visited
        if where != -1:
            first = where if first is None else first
            reached.append(where)
        previous = where
    return reached, [*problems, f"{key} never left the page nor came round in {count * 2 + 10}"]


# The next Tab starts from the top of the page, whatever has the focus (an autofocus field).
FROM_THE_TOP = """() => {
  const body = document.body, had = body.getAttribute('tabindex');
  body.setAttribute('tabindex', '-1');
  body.focus();
  if (had === null) body.removeAttribute('tabindex'); else body.setAttribute('tabindex', had);
}"""


def tab_through(page: Any) -> KeyboardPass:
    """Tab from the top to the end of the page, then Shift+Tab back to the top."""
    elements: list[str] = page.evaluate(COLLECT, FOCUSABLE)
    page.evaluate(FROM_THE_TOP)
    result = KeyboardPass(elements)
    result.forward, problems = _walk(page, "Tab", len(elements))
    result.problems += problems
    result.backward, problems = _walk(page, "Shift+Tab", len(elements))
    result.problems += problems
    return result


def assert_keyboard_reaches_everything(page: Any, where: str = "") -> KeyboardPass:
    result = tab_through(page)
    assert result.ok, result.report(where or page.url)
    return result
