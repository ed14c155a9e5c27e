// Share buttons of a story: each is shown only where the browser can do what it offers.
// Both keep their place while hidden (visibility), so showing them moves nothing on the page.
(function () {
  "use strict";
  var box = document.querySelector("[data-share]");
  if (!box) return;
  var url = box.getAttribute("data-url");
  var native = box.querySelector(".share-native");
  var copy = box.querySelector(".share-copy");
  var status = box.querySelector("[data-share-status]");
  if (native && navigator.share) {
    native.classList.add("is-ready");
    native.addEventListener("click", function () {
      navigator.share({ title: box.getAttribute("data-title"), url: url }).catch(function () {});
    });
  }
  if (copy && navigator.clipboard && window.isSecureContext) {
    copy.classList.add("is-ready");
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(url).then(function () {
        copy.textContent = status.textContent = copy.getAttribute("data-done");
      });
    });
  }
})();
