// Draw the sites listed in the #map-sites JSON on every .site-map element.
// Pages stay usable without it: the same sites are listed as links.
(function () {
  "use strict";
  var data = document.getElementById("map-sites");
  if (!data || typeof L === "undefined") { return; }
  var sites = JSON.parse(data.textContent);
  document.querySelectorAll(".site-map").forEach(function (element) {
    var map = L.map(element, { scrollWheelZoom: false });
    L.tileLayer(element.dataset.tiles, { maxZoom: 12, attribution: element.dataset.attribution }).addTo(map);
    var bounds = [];
    sites.forEach(function (site) {
      var point = [site.lat, site.lon];
      bounds.push(point);
      var link = document.createElement("a");
      link.href = site.url;
      link.textContent = site.name;
      L.circleMarker(point, { radius: 7, color: "#1d4e6b", weight: 2, fillColor: "#3d8bbd", fillOpacity: 0.8 })
        .bindPopup(link).bindTooltip(site.name).addTo(map);
    });
    if (bounds.length === 1) { map.setView(bounds[0], 7); }
    else if (bounds.length) { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 6 }); }
    else { map.setView([43, 120], 3); }
  });
})();
