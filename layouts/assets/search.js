// Search page: Pagefind's UI over the static index in pagefind/. Results link under the site's
// sub-path (baseUrl); a query in the address (?q=...) is searched at once, so a search form
// anywhere on the site can point here.
(function () {
  "use strict";
  var element = document.getElementById("search");
  if (!element || !window.PagefindUI) return;

  // The reader's query is wrapped in first-strong isolates (U+2068 ... U+2069), so a Latin or mixed
  // query inside «» cannot reorder the Arabic sentence around it.
  var QUERY = "«\u2068[SEARCH_TERM]\u2069»";
  // Pagefind knows only "one" and "many" (and 0). Arabic has six plural forms, so its "many" message
  // is rewritten below into the right one. It reads right for 11-99 and 100+ as it is, and carries an
  // invisible separator (U+2063) after the count that only Pagefind's text has, not the rewritten one.
  var COUNTED = "\u2063 نتيجة عن ";
  var translations = {
    placeholder: "ابحث في الأخبار",
    clear_search: "مسح",
    load_more: "المزيد من النتائج",
    search_label: "البحث في الأخبار",
    filters_label: "تصفية",
    zero_results: "لا نتائج عن " + QUERY,
    one_result: "نتيجة واحدة عن " + QUERY,
    many_results: "[COUNT]" + COUNTED + QUERY,
    alt_search: "لا نتائج عن " + QUERY + "، وهذه نتائج «\u2068[DIFFERENT_TERM]\u2069»",
    search_suggestion: "لا نتائج عن " + QUERY + ". جرّب إحدى هذه الكلمات:",
    searching: "جارٍ البحث عن " + QUERY + "…",
    results_label: "نتائج البحث",
    error_search: "تعذّر البحث",
    loading: "جارٍ التحميل",
    input_hint: "تظهر النتائج أثناء الكتابة",
    // Pagefind formats [COUNT] with this locale: plain 0-9 digits, which the rewrite below reads.
    language: "en-u-nu-latn",
  };
  var digits = element.getAttribute("data-digits") === "arab" ? "arab" : "latn";
  var number = new Intl.NumberFormat("ar-u-nu-" + digits, { useGrouping: false });
  var plural = new Intl.PluralRules("ar");
  var counts = {
    zero: function () { return "لا نتائج"; },
    one: function () { return "نتيجة واحدة"; },
    two: function () { return "نتيجتان"; },
    few: function (n) { return number.format(n) + " نتائج"; },
    many: function (n) { return number.format(n) + " نتيجة"; },
    other: function (n) { return number.format(n) + " نتيجة"; },
  };
  var raw = new RegExp("^([0-9,]+)" + COUNTED);

  // "[COUNT]\u2063 نتيجة عن" becomes the count in its plural form, in the site's digits.
  function fixCount() {
    var message = element.querySelector(".pagefind-ui__message");
    var text = message && message.firstChild;
    if (!text || text.nodeType !== Node.TEXT_NODE) return;
    var found = raw.exec(text.data);
    if (!found) return;
    var n = Number(found[1].replace(/,/g, ""));
    // Pagefind keeps this text node and sets its data again only when the count or query changes.
    text.data = counts[plural.select(n)](n) + " عن " + text.data.slice(found[0].length);
  }
  // Mutation callbacks run before the next paint: the reader never sees the unrewritten message.
  new MutationObserver(fixCount).observe(element, { childList: true, subtree: true, characterData: true });

  var ui = new window.PagefindUI({
    element: "#search",
    baseUrl: element.getAttribute("data-base-url"),
    bundlePath: element.getAttribute("data-bundle"),
    showImages: false,
    showSubResults: true,
    resetStyles: false,
    translations: translations,
  });
  var fallback = document.querySelector(".search-form");
  if (fallback) fallback.hidden = true;
  var input = element.querySelector(".pagefind-ui__search-input");
  if (input) {
    input.setAttribute("aria-labelledby", "search-title");
    // The reader may type Arabic or Latin: let the browser pick the field's direction.
    input.setAttribute("dir", "auto");
  }
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
})();
