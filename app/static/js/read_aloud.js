/* "Read it to me": the browser's own speech, in the page's language. The button stays
   hidden where the browser cannot speak. */
(function () {
  "use strict";
  if (!("speechSynthesis" in window) || !window.SpeechSynthesisUtterance) return;
  document.querySelectorAll("[data-read-aloud]").forEach(function (button) {
    const wrap = button.closest("[data-read-aloud-wrap]");
    if (wrap) wrap.hidden = false;
    let speaking = false;
    button.addEventListener("click", function () {
      if (speaking) {
        window.speechSynthesis.cancel();
        return;
      }
      const target = document.querySelector(button.dataset.readAloud) || document.querySelector("main");
      const copy = target.cloneNode(true);
      // Forms and buttons are not read out: only the words of the page.
      copy.querySelectorAll("form, button, [data-readable-skip]").forEach((el) => el.remove());
      const utterance = new SpeechSynthesisUtterance(copy.innerText || copy.textContent);
      utterance.lang = document.documentElement.lang || "en-GB";
      utterance.onstart = function () {
        speaking = true;
        button.textContent = button.dataset.labelStop;
      };
      utterance.onend = utterance.onerror = function () {
        speaking = false;
        button.textContent = button.dataset.labelRead;
      };
      window.speechSynthesis.cancel();
      window.speechSynthesis.speak(utterance);
    });
  });
})();
