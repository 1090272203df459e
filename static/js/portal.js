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
