/* SMS cost as the bot counts it: a port of bot/core/segments.py count(), kept equal by
   tests/admin/test_segments_js.py. GSM-7 when every character is in the GSM 03.38 basic set or
   its extension table (extension characters cost two septets), else UCS-2 (astral characters
   cost two UTF-16 units). 160/70 in one SMS, 153/67 per part; a pair never straddles two parts. */
(function (root) {
  "use strict";
  var GSM_BASIC_CHARS = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var GSM_EXTENSION_CHARS = "\f^{}\\[~]|€";
  var BASIC = new Set(Array.from(GSM_BASIC_CHARS));
  var EXTENSION = new Set(Array.from(GSM_EXTENSION_CHARS));
  var SINGLE = { "GSM-7": 160, "UCS-2": 70 };
  var PART = { "GSM-7": 153, "UCS-2": 67 };

  function count(text) {
    var chars = Array.from(text); // code points, as Python iterates a str
    var gsm = chars.every(function (c) { return BASIC.has(c) || EXTENSION.has(c); });
    var enc = gsm ? "GSM-7" : "UCS-2";
    var costs = chars.map(function (c) {
      if (gsm) { return EXTENSION.has(c) ? 2 : 1; }
      return c.codePointAt(0) > 0xffff ? 2 : 1;
    });
    var units = costs.reduce(function (a, b) { return a + b; }, 0);
    if (units <= SINGLE[enc]) {
      return { encoding: enc, units: units, segments: units ? 1 : 0 };
    }
    var parts = 1, used = 0;
    costs.forEach(function (cost) {
      if (used + cost > PART[enc]) { parts += 1; used = 0; }
      used += cost;
    });
    return { encoding: enc, units: units, segments: parts };
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return String(values[key]); });
  }

  function attach(doc) {
    var fields = doc.querySelectorAll("[data-sms-counter]");
    Array.prototype.forEach.call(fields, function (field) {
      var out = doc.getElementById(field.getAttribute("data-sms-counter"));
      if (!out) { return; }
      var budget = parseInt(out.getAttribute("data-budget"), 10) || 3;
      var update = function () {
        var c = count(field.value);
        c.budget = budget;
        out.textContent = fill(out.getAttribute("data-template"), c);
        out.classList.toggle("over", c.segments > budget);
      };
      field.addEventListener("input", update);
      update();
    });
  }

  var api = { count: count, GSM_BASIC_CHARS: GSM_BASIC_CHARS,
              GSM_EXTENSION_CHARS: GSM_EXTENSION_CHARS, SINGLE: SINGLE, PART: PART };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
  } else {
    root.HelplineSegments = api;
    if (root.document) {
      if (root.document.readyState === "loading") {
        root.document.addEventListener("DOMContentLoaded", function () { attach(root.document); });
      } else {
        attach(root.document);
      }
    }
  }
})(this);
