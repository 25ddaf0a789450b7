// The admin's export page: "Select all" ticks or unticks every column of the chosen export.
// A static file, because the Content-Security-Policy blocks inline script and event handlers;
// without it the toggle stays hidden and every column starts ticked, so the form still works.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const columns = (toggle) => {
    const row = toggle.closest("[resource-index]");
    const index = row ? row.getAttribute("resource-index") : null;
    const selector = index === null
      ? ".selectable-field-export-row input[type=checkbox]:not(.select-toggle)"
      : `.selectable-field-export-row[resource-index="${index}"] input[type=checkbox]:not(.select-toggle)`;
    return document.querySelectorAll(selector);
  };

  document.querySelectorAll(".export-select-all").forEach((wrapper) => {
    const toggle = wrapper.querySelector(".select-toggle");
    wrapper.hidden = false;
    toggle.addEventListener("change", () => {
      columns(toggle).forEach((box) => {
        box.checked = toggle.checked;
      });
    });
    // Ticking or unticking a column by hand keeps the toggle telling the truth.
    columns(toggle).forEach((box) => {
      box.addEventListener("change", () => {
        toggle.checked = Array.from(columns(toggle)).every((other) => other.checked);
      });
    });
  });
});
