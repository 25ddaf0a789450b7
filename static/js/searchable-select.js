/* Searchable selects (portal/widgets.py): Tom Select on every element with data-searchable.
 *
 * data-searchable="single": a native <select>, enhanced in place.
 * data-searchable="multiple": a list of checkboxes (what works without JavaScript), replaced by a
 * <select multiple> with the same name, value and choices, then enhanced. The form posts the same
 * names and values either way.
 */
(function () {
  "use strict";

  function settings(element) {
    return {
      maxOptions: null,
      // One choice, one search: the list closes, and the next country is typed afresh.
      closeAfterSelect: true,
      // Above the cards and fieldsets that follow the field, not clipped or covered by them.
      dropdownParent: "body",
      allowEmptyOption: true,
      placeholder: element.dataset.placeholder,
      plugins: element.dataset.searchable === "multiple"
        ? { remove_button: { title: element.dataset.remove } }
        : {},
      render: {
        no_results: function () {
          var div = document.createElement("div");
          div.className = "no-results";
          div.textContent = element.dataset.noResults;
          return div;
        },
      },
    };
  }

  function selectFromChecklist(list) {
    var select = document.createElement("select");
    select.multiple = true;
    // Bootstrap's look: Tom Select passes the select's classes on to its own box.
    select.className = "form-select" + (list.classList.contains("is-invalid") ? " is-invalid" : "");
    select.name = list.dataset.name;
    select.id = list.id;
    ["placeholder", "noResults", "remove", "searchable"].forEach(function (key) {
      select.dataset[key] = list.dataset[key];
    });
    if (list.hasAttribute("aria-describedby")) {
      select.setAttribute("aria-describedby", list.getAttribute("aria-describedby"));
    }
    // Back in alphabetical order (the server lists the chosen ones first): by data-order.
    var boxes = Array.prototype.slice.call(list.querySelectorAll("input[type=checkbox]"));
    boxes.forEach(function (box) {
      var text = box.parentElement.textContent.trim();
      var option = new Option(text, box.value, false, box.checked);
      option.dataset.order = box.dataset.order;
      select.appendChild(option);
    });
    var options = Array.prototype.slice.call(select.options);
    options.sort(function (a, b) { return Number(a.dataset.order) - Number(b.dataset.order); });
    options.forEach(function (option) { select.appendChild(option); });
    list.replaceWith(select);
    return select;
  }

  function enhance(element) {
    var select = element.dataset.searchable === "multiple" ? selectFromChecklist(element) : element;
    var control = new window.TomSelect(select, settings(select));
    // The original select stays in the form, visually hidden and out of the tab order; hide it
    // from screen readers too, which otherwise meet every choice twice.
    select.setAttribute("aria-hidden", "true");
    // A multi-select's label is the legend of its fieldset (no <label for> to point at).
    var fieldset = select.closest("fieldset");
    var legend = fieldset && fieldset.querySelector("legend");
    if (legend && select.multiple) {
      legend.id = legend.id || select.id + "-legend";
      control.control_input.setAttribute("aria-labelledby", legend.id);
    }
  }

  function start() {
    if (!window.TomSelect) {
      return;
    }
    document.querySelectorAll("[data-searchable]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
