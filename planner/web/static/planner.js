// Enhancements on top of pages that work without JavaScript:
// - a progress indicator while a document is made (downloads marked data-progress);
// - dragging an activity to another day in the month view (the edit form stays the keyboard way);
// - the plan form's fields for a new owner organisation only while "New organisation…" is chosen;
// - the activity form's core messages narrowed to the chosen audiences;
// - the focus on the error summary after a failed submit, and on a field when its error is followed.
(function () {
  "use strict";

  function status() {
    return document.querySelector("[data-progress-status]");
  }

  function say(text, busy) {
    var region = status();
    if (!region) return;
    region.hidden = false;
    region.replaceChildren();
    if (busy) {
      var bar = document.createElement("progress");
      bar.setAttribute("aria-label", text);
      region.appendChild(bar);
      region.appendChild(document.createTextNode(" "));
    }
    region.appendChild(document.createTextNode(text));
  }

  function fileName(response, fallback) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename\*=UTF-8''([^;]+)/i.exec(header) || /filename="?([^";]+)"?/i.exec(header);
    return match ? decodeURIComponent(match[1]) : fallback;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-progress]") : null;
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey || !window.fetch) return;
    event.preventDefault();
    var region = status();
    say(region.dataset.busy, true);
    fetch(link.href, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw { busy: response.status === 503 && response.headers.has("Retry-After") };
        return response.blob().then(function (blob) {
          var name = fileName(response, link.getAttribute("download") || "document");
          var url = URL.createObjectURL(blob);
          var save = document.createElement("a");
          save.href = url;
          save.download = name;
          document.body.appendChild(save);
          save.click();
          save.remove();
          setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
          say(region.dataset.done.replace("%s", name), false);
        });
      })
      .catch(function (error) {
        say(error && error.busy ? region.dataset.serverBusy : region.dataset.failed, false);
      });
  });

  // Dragging activities between days of the month view.
  var dragged = null;
  document.addEventListener("dragstart", function (event) {
    var chip = event.target.closest ? event.target.closest("[data-move-url]") : null;
    if (!chip) return;
    dragged = chip;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", chip.dataset.moveUrl);
  });
  document.addEventListener("dragover", function (event) {
    if (dragged && event.target.closest && event.target.closest("[data-date]")) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
    }
  });
  document.addEventListener("drop", function (event) {
    var cell = event.target.closest ? event.target.closest("[data-date]") : null;
    if (!dragged || !cell) return;
    event.preventDefault();
    var chip = dragged;
    dragged = null;
    var token = document.querySelector("meta[name=csrf-token]");
    var body = new URLSearchParams({
      csrf_token: token ? token.content : "",
      starts_on: cell.dataset.date,
      version: chip.dataset.version,
    });
    fetch(chip.dataset.moveUrl, { method: "POST", credentials: "same-origin", body: body })
      .then(function (response) {
        // the planner answers with a Dutch reason; anything else (an expired session, no network) gets the general one
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) throw { reason: data.error };
          window.location.reload();
        });
      })
      .catch(function (error) {
        say((error && error.reason) || status().dataset.moveFailed, false);
      });
  });
  document.addEventListener("dragend", function () {
    dragged = null;
  });

  // the activity form offers the core messages of the chosen audiences (the server checks the same)
  var messageMap = document.getElementById("message-audiences");
  var messages = document.getElementById("message_id");
  if (messageMap && messages) {
    var audienceOf = JSON.parse(messageMap.dataset.map || "{}");
    var boxes = document.querySelectorAll("input[name='audience_ids']");
    var filterMessages = function () {
      var chosen = {};
      var any = false;
      Array.prototype.forEach.call(boxes, function (box) {
        if (box.checked) { chosen[box.value] = true; any = true; }
      });
      Array.prototype.forEach.call(messages.options, function (option) {
        var audience = audienceOf[option.value];
        option.hidden = any && audience !== undefined && !chosen[String(audience)];
        option.disabled = option.hidden;
      });
    };
    Array.prototype.forEach.call(boxes, function (box) { box.addEventListener("change", filterMessages); });
    filterMessages();
  }

  // the error summary is first in main: with the focus there a screen reader reads it first
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var target = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      // a link to a fragment only scrolls; put the cursor in the field, with its label in view
      event.preventDefault();
      var box = target.closest(".field") || target;
      box.scrollIntoView();
      target.focus({ preventScroll: true });
    });
  }

  var owner = document.getElementById("owner_id");
  var newOwner = document.getElementById("new-owner");
  if (owner && newOwner) {
    var showNewOwner = function () {
      newOwner.hidden = owner.value !== "new";
    };
    owner.addEventListener("change", showNewOwner);
    showNewOwner();
  }

  // The bar that changes chosen rows at once: it opens when a row is ticked, counts the chosen rows, and the
  // column heading gets a box that ticks them all (without JavaScript each row is ticked by hand).
  Array.prototype.forEach.call(document.querySelectorAll("form.bulk-bar"), function (bar) {
    var boxes = document.querySelectorAll("input.bulk-choice[form='" + bar.id + "']");
    var count = document.createElement("p");
    count.className = "hint bulk-count";
    count.setAttribute("aria-live", "polite");
    bar.querySelector("details").appendChild(count);
    var update = function () {
      var chosen = Array.prototype.filter.call(boxes, function (box) { return box.checked; }).length;
      count.textContent = chosen ? (bar.dataset.chosen || "{count}").replace("{count}", chosen) : "";
      if (chosen) { bar.querySelector("details").open = true; }
    };
    Array.prototype.forEach.call(boxes, function (box) { box.addEventListener("change", update); });
    // Enter in a field presses that field's own button (the form's default button is disabled)
    Array.prototype.forEach.call(bar.querySelectorAll(".bulk-action input"), function (input) {
      input.addEventListener("keydown", function (event) {
        if (event.key !== "Enter") { return; }
        event.preventDefault();
        input.closest(".bulk-action").querySelector("button[name='action']").click();
      });
    });
    var heading = document.querySelector("th[data-choose-all='" + bar.id + "']");
    if (heading && boxes.length) {
      var all = document.createElement("input");
      all.type = "checkbox";
      all.setAttribute("aria-label", bar.dataset.chooseAll || "");
      all.addEventListener("change", function () {
        Array.prototype.forEach.call(boxes, function (box) { box.checked = all.checked; });
        update();
      });
      heading.appendChild(all);
    }
  });
})();
