/* The team meeting: a walk through the agenda by keyboard (→/n, ←/p); the view beside it
   focuses on the actors of each item. Texts go into the page with textContent only. */
(function () {
  "use strict";
  const data = document.getElementById("agenda-data");
  if (!data) return;
  const agenda = JSON.parse(data.textContent);
  if (!agenda.length) return;
  const frame = document.getElementById("meeting-view");
  const at = { index: 0 };
  function set(id, text) {
    const el = document.getElementById(id);
    if (el) el.textContent = text;
  }
  function value(id, text) {
    const el = document.getElementById(id);
    if (el) el.value = text;
  }
  function focus(item) {
    try {
      const m = frame.contentWindow.maillage;
      if (!m || !m.network) return;
      const ids = item.actors.concat(item.introducer ? [item.introducer] : [])
        .filter(function (id) { return m.nodeView.get(id) !== null; });
      if (!ids.length) return;
      m.network.selectNodes(ids);
      m.network.fit({ nodes: ids, animation: false });
      m.focused = ids;
    } catch (e) { /* the view is not loaded yet */ }
  }
  function show(index) {
    at.index = (index + agenda.length) % agenda.length;
    const item = agenda[at.index];
    set("agenda-position", String(at.index + 1));
    set("agenda-kind", item.kind);
    set("agenda-title", item.title);
    set("agenda-reason", item.reason);
    value("follow-up-item", String(at.index));
    value("follow-up-actor-1", item.actors[0] || "");
    value("follow-up-actor-2", item.actors[1] || "");
    value("follow-up-introducer", item.introducer || "");
    focus(item);
    window.meeting = { index: at.index, item: item };
  }
  document.getElementById("agenda-next").addEventListener("click", function () { show(at.index + 1); });
  document.getElementById("agenda-previous").addEventListener("click", function () { show(at.index - 1); });
  function walk(e) {
    const tag = (e.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea") return;
    let step = 0;
    if (e.key === "ArrowRight" || e.key === "n") step = 1;
    if (e.key === "ArrowLeft" || e.key === "p") step = -1;
    if (!step) return;
    e.preventDefault();
    e.stopPropagation();
    show(at.index + step);
  }
  document.addEventListener("keydown", walk);
  frame.addEventListener("load", function () {
    // a click in the graph gives it the keyboard: the walk goes on from there too (the
    // view is served by this site, so its document is ours to listen to)
    try { frame.contentWindow.document.addEventListener("keydown", walk, true); } catch (e) { }
    setTimeout(function () { focus(agenda[at.index]); }, 300);
  });
  const start = parseInt((location.hash.match(/item-(\d+)/) || [])[1] || data.dataset.start || "0", 10);
  show(isNaN(start) ? 0 : start);
})();
