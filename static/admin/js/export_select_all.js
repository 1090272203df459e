// django-import-export's export page toggles every field checkbox from an inline onchange handler, which
// the portal's Content-Security-Policy refuses (no inline script or handler). This listener, loaded by
// config.admin.ExportAdminMixin's form media, does the same from a file.
document.addEventListener("change", (event) => {
  if (!event.target.matches("input.select-toggle")) {
    return;
  }
  const checked = event.target.checked;
  document
    .querySelectorAll('.selectable-field-export-row input[type="checkbox"]')
    .forEach((checkbox) => {
      checkbox.checked = checked;
    });
});
