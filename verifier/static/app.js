// Optional: drag-and-drop onto the upload zone. The form works without it
// (the file input accepts a click, and most browsers a drop, on their own).
(function () {
  "use strict";
  var zone = document.querySelector("[data-drop]");
  if (!zone) { return; }
  var input = zone.querySelector("input[type=file]");
  var hint = zone.querySelector(".drop-hint");
  if (!input || !window.DataTransfer) { return; }
  if (hint) { hint.hidden = false; }
  function stop(event) { event.preventDefault(); event.stopPropagation(); }
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) { stop(event); zone.classList.add("dragging"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function (event) { stop(event); zone.classList.remove("dragging"); });
  });
  zone.addEventListener("drop", function (event) {
    var files = event.dataTransfer && event.dataTransfer.files;
    if (files && files.length > 0) {
      input.files = files;
      input.focus();
    }
  });
})();
