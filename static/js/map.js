// Draw every .site-map element from the JSON script named by its data-source (default
// "map-sites"): a list of sites, or {sites, extents, points, datasets}. Sites are circles,
// dataset extents rectangles (dashed when drawn around generalized points) and occurrence
// points are clustered. Coordinates arrive already generalized by the server.
// Pages stay usable without it: the same sites and datasets are listed as links.
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }

  // Names and titles are text typed by users: they go into the page only as text nodes,
  // never as markup. Leaflet treats a string given to bindPopup or bindTooltip as HTML, so
  // every popup and tooltip gets a fresh element (one element cannot sit in both).
  function link(url, text) {
    var element = document.createElement(url ? "a" : "span");
    if (url) { element.href = url; }
    element.textContent = text;
    return element;
  }

  function label(text) { return link("", text); }

  function pointPopup(point, datasets) {
    var box = document.createElement("div");
    box.appendChild(label(point[2]));
    var dataset = datasets[String(point[3])];
    if (dataset) {
      box.appendChild(document.createElement("br"));
      box.appendChild(link(dataset[1], dataset[0]));
    }
    return box;
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.source || "map-sites");
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    if (Array.isArray(data)) { data = { sites: data }; }
    var map = L.map(element, { scrollWheelZoom: false });
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, {
        maxZoom: 12, attribution: element.dataset.attribution
      }).addTo(map);
    }
    var bounds = L.latLngBounds([]);

    (data.extents || []).forEach(function (extent) {
      var box = [[extent.bbox[1], extent.bbox[0]], [extent.bbox[3], extent.bbox[2]]];
      L.rectangle(box, {
        className: "map-extent", color: "#8a4b08", weight: 2, fillOpacity: 0.06,
        dashArray: extent.generalized ? "6 4" : null
      }).bindPopup(link(extent.url, extent.title)).bindTooltip(label(extent.title)).addTo(map);
      bounds.extend(box);
    });

    (data.sites || []).forEach(function (site) {
      var point = [site.lat, site.lon];
      L.circleMarker(point, {
        className: "map-site", radius: 7, color: "#1d4e6b", weight: 2,
        fillColor: "#3d8bbd", fillOpacity: 0.85
      }).bindPopup(link(site.url, site.name)).bindTooltip(label(site.name)).addTo(map);
      bounds.extend(point);
    });

    var points = data.points || [];
    if (points.length) {
      var layer = typeof L.markerClusterGroup === "function"
        ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 })
        : L.featureGroup();
      points.forEach(function (point) {
        L.circleMarker([point[0], point[1]], {
          className: point[4] ? "map-point map-point-generalized" : "map-point",
          radius: 5, color: "#7a1f1f", weight: 1, fillColor: "#d9534f", fillOpacity: 0.9
        }).bindPopup(pointPopup(point, data.datasets || {})).addTo(layer);
        bounds.extend([point[0], point[1]]);
      });
      layer.addTo(map);
    }

    if (!bounds.isValid()) { map.setView([43, 120], 3); }
    else if (bounds.getNorthEast().equals(bounds.getSouthWest())) {
      map.setView(bounds.getCenter(), 7);
    } else { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 8 }); }
  }

  document.querySelectorAll(".site-map").forEach(draw);
})();
