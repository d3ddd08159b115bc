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

// Optional: scan a badge's QR code with the camera, where the browser can
// decode QR codes itself (BarcodeDetector, e.g. Chrome on Android). The QR
// codes on our images lead to this verifier's page for the badge; any other
// http(s) link is verified as a hosted badge. Without it, the phone's own
// camera app opens the same link.
(function () {
  "use strict";
  var box = document.querySelector("[data-scan]");
  if (!box || !("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
  var start = box.querySelector("[data-scan-start]");
  var video = box.querySelector("[data-scan-video]");
  var status = box.querySelector("[data-scan-status]");
  var form = box.closest("form");
  var urlInput = form && form.querySelector("input[name=url]");
  box.hidden = false;
  start.addEventListener("click", function () {
    var detector;
    try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      video.play();
      var stop = function () { stream.getTracks().forEach(function (t) { t.stop(); }); video.hidden = true; };
      var tick = function () {
        detector.detect(video).then(function (codes) {
          var link = codes.map(function (c) { return c.rawValue; })
            .filter(function (v) { return /^https?:\/\//i.test(v); })[0];
          if (!link) { window.setTimeout(tick, 300); return; }
          stop();
          if (link.indexOf(window.location.origin + "/verify") === 0) {
            window.location.href = link;
          } else if (urlInput) {
            urlInput.value = link;
            form.submit();
          }
        }, function () { window.setTimeout(tick, 500); });
      };
      tick();
    }, function (error) {
      status.textContent = error && error.message ? error.message : String(error);
    });
  });
})();
