/* "Ask to talk": shows only the days and times the chosen worker works. Without this file
   every worker's days and times are offered, and the server says when one does not fit. */
(function () {
  "use strict";
  const form = document.querySelector("form[data-call-back]");
  if (!form) return;
  const selects = form.querySelectorAll("select");

  function chosenWorker() {
    const picked =
      form.querySelector('input[name="worker_kind"]:checked') ||
      form.querySelector('input[type="hidden"][name="worker_kind"]');
    return picked ? picked.value : null;
  }

  function showTheirTimes() {
    const worker = chosenWorker();
    if (!worker) return;
    selects.forEach((select) => {
      Array.from(select.options).forEach((option) => {
        if (!option.dataset.for) return;
        const fits = option.dataset.for.split(" ").includes(worker);
        option.hidden = !fits;
        option.disabled = !fits;
      });
      const selected = select.options[select.selectedIndex];
      if (selected && selected.disabled) select.value = "";
    });
  }

  form.querySelectorAll('input[name="worker_kind"]').forEach((radio) => {
    radio.addEventListener("change", showTheirTimes);
  });
  showTheirTimes();
})();
