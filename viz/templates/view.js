/* Maillage graph view: controls around vis-network. Every text from the data is put into the page
   with textContent (or as a vis-network string title, which it shows as text): never as HTML. */
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("view-data").textContent);
  const t = data.text;
  const container = document.getElementById("graph");
  // the hover text (shown by vis-network as text) is the details, one per line
  data.nodes.forEach(function (n) {
    n.base_color = n.color;
    n.title = (n.details || []).map(function (pair, i) { return i ? pair[0] + ": " + pair[1] : pair[1]; }).join("\n");
  });
  const nodes = new vis.DataSet(data.nodes);
  // a link names the look it shares with others (its width, colour, dashes and hover text)
  const edges = new vis.DataSet(data.edges.map(function (e) {
    return e.look === undefined ? e : Object.assign({}, data.looks[e.look], e);
  }));
  const state = { depth: data.depth || 1, day: null, showcase: null, open: new Set() };

  function visible(item) {
    if (data.collapse) {
      if (item.group_of !== undefined) return !state.open.has(item.group_of);
      if (item.community !== undefined && !state.open.has(item.community)) return false;
    }
    if (data.view === "ego" && item.hop !== undefined && item.hop > state.depth) return false;
    if (state.day !== null) {
      if (item.since_day !== undefined && item.since_day !== null && item.since_day > state.day) return false;
      if (item.until_day !== undefined && item.until_day !== null && item.until_day <= state.day) return false;
    }
    return true;
  }
  const nodeView = new vis.DataView(nodes, { filter: visible });
  const edgeView = new vis.DataView(edges, {
    filter: function (e) {
      if (!visible(e)) return false;
      if (data.collapse) {
        const a = nodes.get(e.from), b = nodes.get(e.to);
        return a && b && visible(a) && visible(b);
      }
      if (data.view === "ego") {
        const a = nodes.get(e.from), b = nodes.get(e.to);
        return a && b && visible(a) && visible(b);
      }
      return true;
    },
  });
  const network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.options);
  const maillage = { network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView,
                     ready: false, firstFrame: null, frames: 0 };
  window.maillage = maillage;
  network.on("afterDrawing", function () {
    maillage.frames += 1;
    if (!maillage.ready) {
      maillage.ready = true;
      maillage.firstFrame = performance.now();
      if (data.view !== "ego") fitNames();
    }
  });
  // vis-network fits the actors' shapes, not their names: a few actors drawn large (a path's
  // two ends) had their names cut at the frame's edge on a phone. Their boxes with the names
  // measured by the first frame, the view is fitted to those, with a small margin.
  function fitNames() {
    const ids = nodeView.getIds();
    if (!ids.length || ids.length > 60) return;  // a larger view's names appear as one zooms in
    let left = Infinity, right = -Infinity, top = Infinity, bottom = -Infinity;
    ids.forEach(function (id) {
      const b = network.getBoundingBox(id);
      if (!b) return;
      left = Math.min(left, b.left); right = Math.max(right, b.right);
      top = Math.min(top, b.top); bottom = Math.max(bottom, b.bottom);
    });
    if (!isFinite(left)) return;
    const box = container.getBoundingClientRect();
    const scale = 0.92 * Math.min(box.width / Math.max(right - left, 1), box.height / Math.max(bottom - top, 1));
    network.moveTo({ position: { x: (left + right) / 2, y: (top + bottom) / 2 },
                     scale: Math.max(0.05, Math.min(scale, 1.5)), animation: false });
  }

  // ---- text helpers (textContent only)
  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function fold(s) {
    return String(s).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  // ---- legend: shape symbol + colour + words (colour is never the only carrier)
  const legend = document.getElementById("legend-items");
  data.legend.forEach(function (entry) {
    const li = el("li");
    let mark;
    if (entry.line) {
      mark = el("span", "", "line");
      mark.style.borderTopStyle = entry.line;
      mark.style.borderTopColor = entry.color;
    } else {
      mark = el("span", entry.symbol, "swatch");
      mark.style.color = entry.color;
    }
    mark.setAttribute("aria-hidden", "true");
    li.appendChild(mark);
    li.appendChild(el("span", entry.label));
    legend.appendChild(li);
  });

  // ---- details of the selected actor
  const info = document.getElementById("info-items");
  function showDetails(id) {
    info.textContent = "";
    const n = nodes.get(id);
    if (!n) return;
    (n.details || []).forEach(function (pair) {
      info.appendChild(el("dt", pair[0]));
      info.appendChild(el("dd", pair[1]));
    });
  }
  network.on("click", function (params) {
    if (params.nodes.length) {
      const id = params.nodes[0];
      const group = nodes.get(id);
      if (group && group.group_of !== undefined) {
        openGroup(group.group_of);
        return;
      }
      showDetails(id);
    }
  });

  function openGroup(c) {
    state.open.add(c);
    nodeView.refresh(); edgeView.refresh();
    maillage.opened = state.open.size;
  }
  maillage.openGroup = openGroup;

  // ---- search by name
  const names = document.getElementById("names");
  const byName = new Map();
  nodes.forEach(function (n) {
    if (n.name === undefined || n.group_of !== undefined) return;
    byName.set(fold(n.name), n.id);
    const option = document.createElement("option");
    option.value = n.name;
    names.appendChild(option);
  });
  const search = document.getElementById("search");
  function find() {
    const wanted = fold(search.value);
    if (!wanted) return;
    let id = byName.get(wanted);
    if (id === undefined) {
      for (const [name, candidate] of byName) {
        if (name.includes(wanted)) { id = candidate; break; }
      }
    }
    if (id === undefined) return;
    const found = nodes.get(id);
    if (data.collapse && found.community !== undefined && !state.open.has(found.community)) {
      openGroup(found.community);
    }
    network.selectNodes([id]);
    network.focus(id, { scale: 1.5, animation: false });
    showDetails(id);
    maillage.found = id;
  }
  search.addEventListener("change", find);
  search.addEventListener("keydown", function (e) { if (e.key === "Enter") find(); });

  // ---- showcase: highlight actors by a field, dim the rest
  const field = document.getElementById("showcase-field");
  const value = document.getElementById("showcase-value");
  function fill() {
    value.textContent = "";
    value.appendChild(el("option", "—"));
    value.firstChild.value = "";
    (data.showcase[field.value] || []).forEach(function (pair) {  // [value, its word]
      const o = el("option", pair[1]);
      o.value = pair[0];
      value.appendChild(o);
    });
    value.disabled = !field.value;
  }
  function paint() {
    const f = field.value, v = value.value;
    const updates = [];
    nodes.forEach(function (n) {
      const values = n[f];
      const hit = !f || !v || (Array.isArray(values) ? values.indexOf(v) >= 0 : values === v);
      updates.push({ id: n.id, color: hit ? n.base_color : data.dim.color,
                     font: { color: hit ? data.dim.font_on : data.dim.font_off } });
    });
    nodes.update(updates);
    maillage.showcased = f && v ? updates.filter(function (u) { return u.color !== data.dim.color; }).length : null;
  }
  field.addEventListener("change", function () { fill(); paint(); });
  value.addEventListener("change", paint);
  document.getElementById("showcase-clear").addEventListener("click", function () {
    field.value = ""; fill(); paint();
  });

  // ---- ego network: focus that grows and shrinks by steps
  if (data.view === "ego") {
    const out = document.getElementById("depth");
    function centreOn() {
      // the actor in the middle, every actor shown around it (a fit of the whole could leave
      // the actor at an edge, its name cut off in a page's small frame)
      const ids = nodeView.getIds();
      const pos = network.getPositions(ids);
      const c = pos[data.centre];
      if (!c) { network.fit({ animation: false }); return; }
      let dx = 1, dy = 1;
      ids.forEach(function (id) {
        dx = Math.max(dx, Math.abs(pos[id].x - c.x));
        dy = Math.max(dy, Math.abs(pos[id].y - c.y));
      });
      const box = container.getBoundingClientRect();
      const scale = 0.85 * Math.min(box.width / 2 / (dx + 60), box.height / 2 / (dy + 60));
      network.moveTo({ position: c, scale: Math.max(0.05, Math.min(scale, 1.5)), animation: false });
    }
    function setDepth(d) {
      state.depth = Math.max(1, Math.min(data.max_depth, d));
      out.textContent = String(state.depth);
      nodeView.refresh(); edgeView.refresh();
      const said = (data.subtitles || {})[String(state.depth)];
      if (said) document.getElementById("subtitle").textContent = said;
      centreOn();
    }
    document.getElementById("depth-less").addEventListener("click", function () { setDepth(state.depth - 1); });
    document.getElementById("depth-more").addEventListener("click", function () { setDepth(state.depth + 1); });
    document.addEventListener("keydown", function (e) {
      if (e.target.tagName === "INPUT") return;
      if (e.key === "+") setDepth(state.depth + 1);
      if (e.key === "-") setDepth(state.depth - 1);
    });
    setDepth(state.depth);
  }

  // ---- growth replay: the network on each date
  if (data.view === "growth") {
    const slider = document.getElementById("date-slider");
    const label = document.getElementById("date-label");
    slider.max = String(data.dates.length - 1);
    function setStep(i) {
      slider.value = String(i);
      state.day = data.dates[i].day;
      label.textContent = data.dates[i].label;
      nodeView.refresh(); edgeView.refresh();
      maillage.step = i;
    }
    slider.addEventListener("input", function () { setStep(Number(slider.value)); });
    let timer = null;
    document.getElementById("play").addEventListener("click", function () {
      if (timer) { clearInterval(timer); timer = null; return; }
      let i = 0;
      timer = setInterval(function () {
        setStep(i);
        i += 1;
        if (i >= data.dates.length) { clearInterval(timer); timer = null; }
      }, 700);
    });
    setStep(data.dates.length - 1);
  }

  document.getElementById("fullscreen").addEventListener("click", function () {
    if (document.fullscreenElement) document.exitFullscreen();
    else document.documentElement.requestFullscreen();
  });
  maillage.text = t;
})();
