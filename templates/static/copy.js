// A Copy button beside each badge snippet of a profile. Without JavaScript the snippets are
// plain read-only text to select; the words come from the page (wording.COPY_WORDS).
(function () {
  "use strict";
  var holder = document.querySelector("[data-copy-words]");
  if (!holder) {
    return;
  }
  var words = JSON.parse(holder.getAttribute("data-copy-words") || "{}");
  function say(template, label) {
    return (template || "").replace("{label}", label);
  }
  function fallback(area, status, label) {
    area.focus();
    area.select();
    var done = false;
    try {
      done = document.execCommand("copy");
    } catch (error) {
      done = false;
    }
    status.textContent = done ? say(words.copied, label) : words.failed || "";
  }
  Array.prototype.forEach.call(holder.querySelectorAll("textarea.snippet"), function (area) {
    var label = document.querySelector('label[for="' + area.id + '"]');
    var name = label ? label.textContent : "";
    var row = document.createElement("p");
    row.className = "copy-row";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button secondary copy-button";
    button.textContent = say(words.copy, name);
    var status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(area.value).then(
          function () {
            status.textContent = say(words.copied, name);
          },
          function () {
            fallback(area, status, name);
          }
        );
      } else {
        fallback(area, status, name);
      }
    });
    row.appendChild(button);
    row.appendChild(status);
    area.insertAdjacentElement("afterend", row);
  });
})();
