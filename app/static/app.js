// Every page: below 600 px a list table becomes stacked cards, each cell labelled with
// its column's header (copied here into data-label, which the style sheet shows); a
// table that stays a table (a grid of months, a handbook table) scrolls inside its box,
// and that box can take the keyboard's focus. Without the script, tables scroll.
(function () {
  "use strict";
  // heading is the nearest heading before el in its section, or the page's title.
  function heading(el) {
    for (var n = el.previousElementSibling; n; n = n.previousElementSibling) {
      if (/^H[1-4]$/.test(n.tagName)) { return n; }
    }
    return el.parentElement && el.parentElement.tagName !== "MAIN" ? heading(el.parentElement) : document.querySelector("main h1");
  }
  Array.prototype.forEach.call(document.querySelectorAll("main .scroll > table"), function (table) {
    // The box may scroll (a wide table on a desktop, a grid on a phone), so the keyboard
    // can reach it, and it says what it holds.
    var box = table.parentElement;
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    if (!box.hasAttribute("aria-label")) {
      box.setAttribute("aria-label", (table.caption || heading(box) || { textContent: document.title }).textContent.trim().slice(0, 80));
    }
    var head = table.tHead;
    if (!head || head.rows.length !== 1 || table.classList.contains("grid")) { return; }
    var labels = Array.prototype.map.call(head.rows[0].cells, function (th) { return th.textContent.trim(); });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (tr) {
        var col = 0;
        Array.prototype.forEach.call(tr.cells, function (td) {
          if (labels[col] && !td.hasAttribute("data-label")) { td.setAttribute("data-label", labels[col]); }
          col += td.colSpan || 1;
          // A value of several pieces (text and a badge, a link and a note) is kept as
          // one beside its label, so a piece is never squeezed into a column of its own.
          if (td.childNodes.length > 1) {
            var v = document.createElement("span");
            v.className = "value";
            while (td.firstChild) { v.appendChild(td.firstChild); }
            td.appendChild(v);
          }
        });
      });
    });
    table.classList.add("stacked");
  });
  // A refused form opens at its summary of what was refused (each entry links to its
  // field), and a screen reader reads it first; unless the page opens at the refused
  // field itself (an anchor, or a field that takes the focus, as the inspection's
  // first refused item does).
  var refused = document.getElementById("error-summary");
  var placed = location.hash || document.querySelector("[autofocus]") || document.activeElement !== document.body;
  if (refused && !placed) {
    refused.tabIndex = -1;
    refused.focus();
  }
})();
