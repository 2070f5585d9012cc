// The neighbourhood's map: sectors coloured by the chosen measure, actors as their kind's symbol
// (clustered when dense), details on a tap. Every text is set with textContent: names are data.
(function () {
  "use strict";
  function start() {
    var box = document.getElementById("map");
    if (!box || !window.L) return;
    var data = JSON.parse(document.getElementById("map-data").textContent);
    var words = JSON.parse(document.getElementById("map-words").textContent);
    var map = L.map(box, { zoomSnap: 0.25, maxZoom: 19, minZoom: 11 });
    if (data.tiles) L.tileLayer(data.tiles, { maxZoom: 19, attribution: "" }).addTo(map);  // a setting
    var values = data.sectors.map(function (s) { return s.value; });
    var top = Math.max.apply(null, values.concat([0]));
    var steps = ["#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704"];
    function fill(value) {
      if (data.measure === "public" && value === 0) return "#c00000"; // nobody reaches them
      if (top <= 0) return steps[0];
      return steps[Math.min(steps.length - 1, Math.floor((value / top) * steps.length))];
    }
    function el(tag, text, cls) {
      var node = document.createElement(tag);
      if (text !== undefined && text !== null) node.textContent = String(text);
      if (cls) node.className = cls;
      return node;
    }
    var sectors = L.geoJSON({
      type: "FeatureCollection",
      features: data.sectors.map(function (s) {
        return { type: "Feature", geometry: s.geometry, properties: s };
      })
    }, {
      style: function (f) {
        return { color: "#333", weight: 1.5, fillColor: fill(f.properties.value), fillOpacity: 0.6 };
      },
      onEachFeature: function (f, layer) {
        var s = f.properties;
        layer.bindPopup(function () {
          var div = el("div", null, "popup");
          div.appendChild(el("strong", s.code + " " + s.name));
          div.appendChild(el("p", words.value + ": " + s.value));
          div.appendChild(el("p", words.actors + ": " + s.actors));
          Object.keys(s.figures).forEach(function (k) { div.appendChild(el("p", k + ": " + s.figures[k])); });
          return div;
        });
      }
    }).addTo(map);
    // the view first: layers drawn on a map without one fail
    var bounds = data.sectors.length ? sectors.getBounds() : L.latLngBounds(data.actors.map(function (a) { return [a.lat, a.lon]; }));
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] }); else map.setView([50.84, 4.33], 15);
    var group = window.L.markerClusterGroup ? L.markerClusterGroup({ maxClusterRadius: 28 }) : L.layerGroup();
    var byId = {};
    data.actors.forEach(function (a) {
      var icon = L.divIcon({ className: "actor-icon", html: "", iconSize: [22, 22] });
      var marker = L.marker([a.lat, a.lon], { icon: icon, title: a.name, keyboard: true });
      marker.on("add", function () {
        var node = marker.getElement();
        if (node) { node.textContent = a.symbol; node.style.color = a.colour; node.setAttribute("data-actor", a.id); }
      });
      marker.bindPopup(function () {
        var div = el("div", null, "popup");
        var link = el("a", a.name); link.href = "/actors/" + a.id; div.appendChild(link);
        div.appendChild(el("p", a.kind_label));
        if (a.address) div.appendChild(el("p", a.address));
        a.hours.forEach(function (h) { div.appendChild(el("p", h, "hours")); });
        a.phones.forEach(function (p) { var t = el("a", "☎ " + p); t.href = "tel:" + p.replace(/\s/g, ""); div.appendChild(el("p")).appendChild(t); });
        var more = el("a", words.links); more.href = "/map?actor=" + encodeURIComponent(a.id) + "#map";
        div.appendChild(el("p")).appendChild(more);
        return div;
      });
      byId[a.id] = a;
      group.addLayer(marker);
    });
    group.addTo(map);
    if (data.actor && byId[data.actor]) {
      var from = byId[data.actor];
      data.links.forEach(function (l) {
        var to = byId[l.to];
        if (to) L.polyline([[from.lat, from.lon], [to.lat, to.lon]], { color: "#0b4f9c", weight: 2, opacity: 0.8 }).addTo(map);
      });
    }
    (data.public_links || []).forEach(function (pair) {
      var a = byId[pair[0]], b = byId[pair[1]];
      if (a && b) L.polyline([[a.lat, a.lon], [b.lat, b.lon]], { color: "#7f2704", weight: 1.5, opacity: 0.7, className: "public-link" }).addTo(map);
    });
    // an actor without a place: "Place", then a tap on the map
    var waiting = null;
    document.querySelectorAll("button.place").forEach(function (button) {
      button.addEventListener("click", function () {
        waiting = button.closest("form");
        box.classList.add("placing");
        box.scrollIntoView({ behavior: "smooth" });
      });
    });
    map.on("click", function (e) {
      if (!waiting) return;
      waiting.querySelector("input[name=latitude]").value = e.latlng.lat.toFixed(6);
      waiting.querySelector("input[name=longitude]").value = e.latlng.lng.toFixed(6);
      waiting.submit();
    });
    window.maillageMap = { ready: true, sectors: data.sectors.length, actors: data.actors.length };
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
