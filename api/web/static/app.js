/* Maillage pages: the language switch submits itself; actor fields suggest names from the
   directory as one types (GET /api/v1/actors?q=…, the session cookie logs the request in);
   in the top bar's search, picking a suggestion opens that actor's page.
   Names are put into <option> values through the DOM, never as HTML. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (el) {
    el.addEventListener("click", function () { window.print(); });
  });
  /* a list of words (themes, publics, languages) typed with commas: the suggestions follow
     the word being typed, the words before it kept */
  document.querySelectorAll("input[data-words]").forEach(function (input) {
    const list = document.getElementById(input.dataset.words);
    const words = Array.from(list.options).map(function (o) { return o.value; });
    input.addEventListener("input", function () {
      const cut = input.value.lastIndexOf(",");
      const before = cut < 0 ? "" : input.value.slice(0, cut + 1) + " ";
      list.textContent = "";
      words.forEach(function (word) {
        const option = document.createElement("option");
        option.value = before + word;
        list.appendChild(option);
      });
    });
  });
  document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    const list = document.getElementById(input.dataset.suggest);
    let timer = null;
    let asked = "";
    const pages = {};  // a suggestion's text -> its actor's page (the top bar's search)
    if (input.dataset.go) {
      input.addEventListener("change", function () {  // a suggestion picked: open its page
        if (pages[input.value]) window.location.href = pages[input.value];
      });
    }
    input.addEventListener("input", function () {
      const text = input.value.split(" — ")[0].trim();
      if (text.length < 2 || text === asked) return;
      clearTimeout(timer);
      timer = setTimeout(function () {
        asked = text;
        fetch("/api/v1/actors?limit=12&q=" + encodeURIComponent(text), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (page) {
            list.textContent = "";
            page.items.forEach(function (a) {
              const option = document.createElement("option");
              option.value = a.name + " — " + a.neighbourhood;
              pages[option.value] = "/actors/" + encodeURIComponent(a.id);
              list.appendChild(option);
            });
          });
      }, 150);
    });
  });
})();
