/* Shows how much room is left as someone types, so nothing is ever cut off without a word:
   the server keeps everything typed and says so if it is too long. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-count-to]").forEach(function (box) {
      const limit = parseInt(box.dataset.countTo, 10);
      const out = document.querySelector('[data-counter-for="' + box.id + '"]');
      if (!out || !limit) return;
      const lang = document.documentElement.lang || "en";
      function update() {
        const used = box.value.length;
        out.hidden = used < limit * 0.8;
        out.textContent = used > limit
          ? out.dataset.over.replace("%(over)s", (used - limit).toLocaleString(lang))
          : out.dataset.left.replace("%(left)s", (limit - used).toLocaleString(lang));
        out.classList.toggle("error-message", used > limit);
      }
      box.addEventListener("input", update);
      update();
    });
  });
})();
