// Search page: Pagefind's UI over the static index in pagefind/. Results link under the site's
// sub-path (baseUrl); a query in the address (?q=...) is searched at once, so a search form
// anywhere on the site can point here.
(function () {
  "use strict";
  var element = document.getElementById("search");
  if (!element || !window.PagefindUI) return;
  var ui = new window.PagefindUI({
    element: "#search",
    baseUrl: element.getAttribute("data-base-url"),
    bundlePath: element.getAttribute("data-bundle"),
    showImages: false,
    showSubResults: true,
    resetStyles: false,
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
