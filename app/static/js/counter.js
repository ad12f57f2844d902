/* Shows how much room is left as someone types, so nothing is ever cut off without a word:
   the server keeps everything typed and says so if it is too long. Every field with a
   limit (forms_common.text_limit) has a counter; the page works without this file. */
(function () {
  "use strict";

  // Counted as the server counts: characters, not UTF-16 units (an emoji is one), and a
  // line break as two, because the browser sends it as CR LF.
  function length(text) {
    return Array.from(text.replace(/\r\n|\r|\n/g, "\r\n")).length;
  }

  function start(box) {
    const limit = parseInt(box.dataset.countTo, 10);
    const out = document.querySelector('[data-counter-for="' + box.id + '"]');
    if (!out || !limit) return;
    const lang = document.documentElement.lang || "en";
    // A counter that starts hidden (the "I don't feel safe" page) appears near the limit.
    const nearOnly = out.hasAttribute("hidden");
    let said = null;
    function update() {
      const used = length(box.value);
      const over = used > limit;
      const text = over
        ? out.dataset.over.replace("%(over)s", (used - limit).toLocaleString(lang))
        : out.dataset.left.replace("%(left)s", (limit - used).toLocaleString(lang));
      if (nearOnly) out.hidden = used < limit * 0.8;
      if (text !== said) out.textContent = said = text;
      out.classList.toggle("error-message", over);
      out.classList.toggle("counter--over", over);
    }
    box.addEventListener("input", update);
    update();
  }

  function startAll() {
    document.querySelectorAll("[data-count-to]").forEach(start);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startAll);
  else startAll();
})();
