// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Badge designer: a live preview beside the form.
  var form = document.getElementById("designer-form");
  var preview = document.getElementById("preview");
  if (form && preview) {
    preview.hidden = false;
    var update = function () {
      ["name", "description", "criteria"].forEach(function (key) {
        var input = form.querySelector('[data-preview="' + key + '"]');
        var target = document.getElementById("preview-" + key);
        if (input && target) { target.textContent = input.value; }
      });
    };
    form.addEventListener("input", update);
    update();
  }
  // Copy buttons: copy the text of the element named by data-copy.
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source || !navigator.clipboard) { return; }
      navigator.clipboard.writeText(source.value || source.textContent).then(function () {
        var done = document.getElementById(button.getAttribute("data-copied"));
        if (done) { done.hidden = false; }
      });
    });
  });
})();
