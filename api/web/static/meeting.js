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
  document.addEventListener("keydown", function (e) {
    const tag = (e.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea") return;
    if (e.key === "ArrowRight" || e.key === "n") show(at.index + 1);
    if (e.key === "ArrowLeft" || e.key === "p") show(at.index - 1);
  });
  frame.addEventListener("load", function () { setTimeout(function () { focus(agenda[at.index]); }, 300); });
  const start = parseInt((location.hash.match(/item-(\d+)/) || [])[1] || "0", 10);
  show(isNaN(start) ? 0 : start);
})();
