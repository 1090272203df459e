// The portal's only script besides htmx; the Content-Security-Policy allows no inline script or handler.

// A form or a submit button with data-confirm asks before it is sent: <form data-confirm="Удалить?">.
// Capturing, so a cancelled submit never reaches htmx or any other listener on the form.
document.addEventListener(
  "submit",
  (event) => {
    const message = event.submitter?.dataset.confirm || event.target.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopPropagation();
    }
  },
  true,
);

// The verification queue (templates/roadmaps/verification_list.html).
// «выбрать все на странице»: a checkbox with data-select-all ticks every box the selector finds.
document.addEventListener("change", (event) => {
  const all = event.target.closest?.("[data-select-all]");
  if (all) {
    document.querySelectorAll(all.dataset.selectAll).forEach((box) => {
      box.checked = all.checked;
    });
  }
  if (event.target.matches?.(".bulk-pick, [data-select-all]")) {
    countPicked();
  }
});

function countPicked() {
  const shown = document.getElementById("bulk-picked");
  if (shown) {
    shown.textContent = document.querySelectorAll(".bulk-pick:checked").length;
  }
}

// Keys, only when the focus is not in a text field: j / k the next / previous card, a accept the current
// card's report, r the current card's return reason, x tick the current card.
function isTyping(element) {
  return element?.closest?.("input, textarea, select, [contenteditable]") != null;
}

function cards() {
  return Array.from(document.querySelectorAll("[data-card]"));
}

function currentCard() {
  return document.querySelector("[data-card].current");
}

function makeCurrent(card) {
  if (!card) {
    return;
  }
  currentCard()?.classList.remove("current");
  card.classList.add("current");
  card.focus({ preventScroll: true });
  card.scrollIntoView({ block: "nearest" });
}

function step(by) {
  const all = cards();
  if (!all.length) {
    return;
  }
  const at = all.indexOf(currentCard());
  const next = at < 0 ? 0 : Math.min(Math.max(at + by, 0), all.length - 1);
  makeCurrent(all[next]);
}

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) {
    return;
  }
  if (!document.querySelector("[data-card]")) {
    return;
  }
  const card = currentCard();
  if (event.key === "j") {
    step(1);
  } else if (event.key === "k") {
    step(-1);
  } else if (event.key === "a" && card) {
    card.querySelector("[data-accept] button")?.click();
  } else if (event.key === "r" && card) {
    card.querySelector("[data-return-reason]")?.focus();
  } else if (event.key === "x" && card) {
    const box = card.querySelector(".bulk-pick");
    if (box) {
      box.checked = !box.checked;
      countPicked();
    }
  } else {
    return;
  }
  event.preventDefault();
});

// A card answered in place keeps being the current one, so j goes on from it.
document.addEventListener("htmx:afterSwap", (event) => {
  const id = event.detail?.target?.id || "";
  if (id.startsWith("verify-")) {
    makeCurrent(document.getElementById(id));
  }
});

// Focus and announcements around htmx-inserted forms (issue 19), by attributes rather than per form:
// - data-focus-form on an inserted form's container: focus goes to its first field with an error, else its
//   first field (or an element with data-focus-start, e.g. a heading with tabindex="-1"); Escape inside it
//   activates its [data-cancel] element;
// - data-focus-return on a row that replaces a form (after a save or «Отмена»): focus goes back to its
//   [data-focus-target] (the row's button) or, when the row has none left, to the row itself;
// - data-announce="…" on inserted content: the text is read out by the page's live region (#live-region,
//   base.html); an inserted form with errors announces the region's data-invalid-text.
const FIELDS = "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])";

function announce(text) {
  const region = document.getElementById("live-region");
  if (!region || !text) {
    return;
  }
  // Emptied first so the same sentence twice in a row is read out twice.
  region.textContent = "";
  window.setTimeout(() => {
    region.textContent = text;
  }, 50);
}

function within(root, selector) {
  return root.matches?.(selector) ? root : root.querySelector?.(selector);
}

function focusForm(form) {
  const start = form.querySelector("[aria-invalid=true]") || form.querySelector("[data-focus-start]") || form.querySelector(FIELDS);
  start?.focus();
}

function focusRow(row) {
  const target = row.querySelector("[aria-invalid=true]") || row.querySelector("[data-focus-target]");
  if (target) {
    target.focus();
    return;
  }
  if (!row.hasAttribute("tabindex")) {
    row.setAttribute("tabindex", "-1");
  }
  row.focus();
}

let focusWasInSwap = false;

document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail?.target;
  const active = document.activeElement;
  focusWasInSwap = !active || active === document.body || Boolean(target?.contains(active));
});

document.addEventListener("htmx:afterSettle", (event) => {
  const root = event.target;
  if (!(root instanceof Element) || !root.isConnected) {
    return;
  }
  const form = within(root, "[data-focus-form]");
  const row = form ? null : within(root, "[data-focus-return]");
  if (focusWasInSwap) {
    if (form) {
      focusForm(form);
    } else if (row) {
      focusRow(row);
    }
  }
  const said = within(root, "[data-announce]");
  if (said) {
    announce(said.dataset.announce);
  } else if ((form || row)?.querySelector("[aria-invalid=true]")) {
    announce(document.getElementById("live-region")?.dataset.invalidText);
  }
});

document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") {
    return;
  }
  const form = event.target.closest?.("[data-focus-form]");
  const cancel = form?.querySelector("[data-cancel]");
  if (cancel) {
    event.preventDefault();
    cancel.click();
  }
});

// Report forms (reports/forms.py): the kind's select lists every kind's formats in data-formats, and the
// format select (data-formats-for names it) offers only the chosen kind's; the server refuses other pairs.
function offerFormats(kind) {
  const target = document.getElementById(kind.dataset.formatsFor);
  const choices = JSON.parse(kind.dataset.formats || "{}")[kind.value];
  if (!target || !choices) {
    return;
  }
  const current = target.value;
  target.replaceChildren(...choices.map(([value, label]) => new Option(label, value, false, value === current)));
}

document.addEventListener("change", (event) => {
  if (event.target.matches?.("select[data-formats]")) {
    offerFormats(event.target);
  }
});
document.querySelectorAll("select[data-formats]").forEach(offerFormats);
