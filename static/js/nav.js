// The top bar's «Меню» button (templates/base.html): on a narrow screen the navigation folds behind it.
// Without this script the button stays hidden and the navigation is simply shown.
(() => {
  const button = document.querySelector(".nav-toggle[aria-controls]");
  const menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) {
    return;
  }
  const narrow = window.matchMedia("(max-width: 760px)");

  function setOpen(open) {
    button.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("open", open);
  }

  button.hidden = false;
  document.documentElement.classList.add("nav-folds");
  setOpen(false);

  // A <button> already answers Enter and Space; Escape closes the menu and gives the focus back.
  button.addEventListener("click", () => setOpen(button.getAttribute("aria-expanded") !== "true"));
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && narrow.matches && menu.classList.contains("open")) {
      setOpen(false);
      button.focus();
    }
  });
  // Back on a wide screen the menu is always shown; folding it again starts closed.
  narrow.addEventListener("change", () => setOpen(false));
})();
