// Hamkke's few behaviours, kept out of the HTML so that the Content-Security-Policy can forbid
// inline scripts: <form data-confirm="question"> asks before submitting; <select data-autosubmit>
// submits its form when changed; searchable pickers (core.widgets.Picker); the phone menu button;
// table cells labelled for the phone's stacked cards; a form's buttons disabled while it is sent.
(function () {
  "use strict";

  // --- searchable pickers: a hidden key + a text field whose options come from the server (htmx) ---
  function pickerParts(element) {
    var picker = element.closest && element.closest("[data-picker]");
    if (!picker) return null;
    return {
      picker: picker,
      value: picker.querySelector("[data-picker-value]"),
      input: picker.querySelector("[data-picker-input]"),
      list: picker.querySelector(".picker-options"),
    };
  }

  function choosable(parts) {
    return Array.prototype.slice.call(parts.list.querySelectorAll("[role=option][data-value]"));
  }

  function closeList(parts) {
    parts.list.hidden = true;
    parts.input.setAttribute("aria-expanded", "false");
    parts.input.removeAttribute("aria-activedescendant");
  }

  function setActive(parts, option) {
    choosable(parts).forEach(function (o) { o.setAttribute("aria-selected", o === option ? "true" : "false"); });
    if (option) {
      parts.input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }
  }

  function choose(parts, option) {
    parts.value.value = option.getAttribute("data-value");
    parts.input.value = option.textContent.trim();
    parts.input.removeAttribute("aria-invalid");
    var error = parts.picker.querySelector(".picker-error");
    if (error) error.remove();
    closeList(parts);
    parts.value.dispatchEvent(new Event("change", { bubbles: true }));
  }

  document.addEventListener("input", function (event) {
    var parts = event.target.hasAttribute && event.target.hasAttribute("data-picker-input") && pickerParts(event.target);
    if (!parts) return;
    parts.value.value = ""; // typing anew un-chooses: what is saved is only ever a chosen option
    if (parts.input.value.trim() === "") closeList(parts);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (target && target.classList && target.classList.contains("picker-options")) {
      var parts = pickerParts(target);
      choosable(parts).forEach(function (o, i) { o.id = target.id + "-" + i; });
      target.hidden = target.children.length === 0 || document.activeElement !== parts.input;
      parts.input.setAttribute("aria-expanded", target.hidden ? "false" : "true");
    }
  });
  document.addEventListener("htmx:load", function (event) { labelCells(event.target); });

  document.addEventListener("keydown", function (event) {
    var parts = event.target.hasAttribute && event.target.hasAttribute("data-picker-input") && pickerParts(event.target);
    if (!parts) return;
    var options = choosable(parts);
    var current = parts.list.querySelector("[aria-selected=true]");
    var index = options.indexOf(current);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (parts.list.hidden) {
        if (!options.length) return;
        parts.list.hidden = false;
        parts.input.setAttribute("aria-expanded", "true");
      }
      event.preventDefault();
      var next = event.key === "ArrowDown" ? Math.min(index + 1, options.length - 1) : Math.max(index - 1, 0);
      setActive(parts, options[next]);
    } else if (event.key === "Enter" && !parts.list.hidden) {
      event.preventDefault(); // Enter picks; it does not send the form half-filled
      if (current) choose(parts, current);
      else if (options.length === 1) choose(parts, options[0]);
    } else if (event.key === "Escape" && !parts.list.hidden) {
      event.preventDefault();
      closeList(parts);
    }
  });

  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest && event.target.closest(".picker-options [role=option][data-value]");
    if (option) {
      event.preventDefault(); // keep the focus in the text field
      choose(pickerParts(option), option);
    }
  });

  document.addEventListener("focusout", function (event) {
    var parts = event.target.hasAttribute && event.target.hasAttribute("data-picker-input") && pickerParts(event.target);
    if (parts) closeList(parts);
  });

  function unchosenPickers(form) {
    return Array.prototype.slice.call(form.querySelectorAll("[data-picker]")).map(pickerParts).filter(function (p) {
      return p.input.value.trim() !== "" && p.value.value === "";
    });
  }

  // --- sending a form: confirm, refuse a picker left half-typed, then disable the buttons ---
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    var unchosen = form.querySelectorAll ? unchosenPickers(form) : [];
    if (unchosen.length) {
      event.preventDefault();
      event.stopImmediatePropagation(); // htmx listens on the form: it must not send either
      unchosen.forEach(function (p) {
        p.input.setAttribute("aria-invalid", "true");
        if (!p.picker.querySelector(".picker-error")) {
          var error = document.createElement("span");
          error.className = "picker-error errorlist";
          error.setAttribute("role", "alert");
          error.textContent = p.picker.getAttribute("data-picker-unchosen");
          p.picker.appendChild(error);
        }
      });
      unchosen[0].input.focus();
      return;
    }
    if (form.hasAttribute && form.hasAttribute("data-once")) {
      // A second tap must not send it again (the idempotency key makes a resend harmless anyway).
      // Disabled after this tick: a button disabled now would drop its own name from the data sent.
      window.setTimeout(function () { setBusy(form, true); }, 0);
    }
  }, true);

  function setBusy(form, busy) {
    form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (b) { b.disabled = busy; });
    if (busy) form.setAttribute("aria-busy", "true"); else form.removeAttribute("aria-busy");
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail && event.detail.elt;
    if (form && form.tagName === "FORM" && form.hasAttribute("data-once")) setBusy(form, false);
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-once]").forEach(function (f) { setBusy(f, false); });
  });

  document.addEventListener("change", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-autosubmit")) {
      event.target.form.submit();
    }
  });

  // --- phone and tablet: the service quick entry shows one row; "한 줄 더 입력" shows the next ---
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-more-rows]");
    if (!button) return;
    var next = button.form.querySelector("tr.service-row.spare:not(.shown)");
    if (next) {
      next.classList.add("shown");
      var first = next.querySelector("input:not([type=hidden]), select");
      if (first) first.focus();
    }
    if (!button.form.querySelector("tr.service-row.spare:not(.shown)")) button.hidden = true;
  });

  // --- phone: the menu behind one button ---
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-menu-toggle]");
    if (!button) return;
    var header = button.closest("header");
    var open = !header.classList.contains("menu-open");
    header.classList.toggle("menu-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });

  // --- phone: each cell carries its column's name, shown before it when a row becomes a card ---
  function labelCells(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var tables = Array.prototype.slice.call(scope.querySelectorAll("table"));
    if (scope.tagName === "TABLE") tables.push(scope);
    tables.forEach(function (table) {
      var heads = table.querySelectorAll("thead th");
      if (!heads.length || table.classList.contains("no-cards")) return;
      table.classList.add("cards");
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var head = heads[column];
          column += cell.colSpan || 1;
          if (head && !cell.hasAttribute("data-label") && cell.colSpan === 1) {
            cell.setAttribute("data-label", head.textContent.trim());
          }
        });
      });
    });
  }
  // A table wider than its box on a tablet is drawn as cards too (no sideways scrolling anywhere).
  function fitTables() {
    document.querySelectorAll("table.cards").forEach(function (table) {
      table.classList.remove("stacked");
      var box = table.parentElement;
      if (box && table.offsetWidth > box.clientWidth + 1) table.classList.add("stacked");
    });
  }
  var resizing = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(fitTables, 150);
  });
  document.addEventListener("htmx:afterSettle", fitTables);
  function start() { labelCells(); fitTables(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
