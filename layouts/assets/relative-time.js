// Optional: turns recent dates into "قبل ساعتين" in the reader's time; pages read fine without it.
(function () {
  "use strict";
  if (!("RelativeTimeFormat" in Intl)) return;
  var units = [["day", 86400], ["hour", 3600], ["minute", 60]];
  var now = Date.now();
  document.querySelectorAll("time[data-relative][datetime]").forEach(function (element) {
    var seconds = (Date.parse(element.getAttribute("datetime")) - now) / 1000;
    if (isNaN(seconds) || seconds > 60 || seconds < -7 * 86400) return;
    var lang = (element.closest("[lang]") || document.documentElement).lang || "ar";
    // The site's digits (data-digits="arab" gives ar-u-nu-arab), never what the locale would pick.
    var digits = document.documentElement.getAttribute("data-digits");
    if (digits && lang.indexOf("-u-") < 0) lang += "-u-nu-" + digits;
    var format = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
    for (var i = 0; i < units.length; i++) {
      var unit = units[i];
      if (Math.abs(seconds) >= unit[1] || unit[0] === "minute") {
        element.title = element.textContent;
        element.textContent = format.format(Math.round(seconds / unit[1]), unit[0]);
        return;
      }
    }
  });
})();
