// Upload each chosen file on its own request with a progress bar; the plain form works
// without this script.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) { return; }
  var input = form.querySelector('input[type="file"]');
  var list = document.getElementById("upload-progress");
  var zone = document.getElementById("drop-zone");
  var token = form.querySelector('input[name="csrfmiddlewaretoken"]').value;

  function row(name) {
    var item = document.createElement("li");
    item.className = "mb-2";
    var label = document.createElement("div");
    label.className = "small";
    label.textContent = name;
    var bar = document.createElement("progress");
    bar.max = 100; bar.value = 0; bar.className = "w-100";
    bar.setAttribute("aria-label", name);
    var status = document.createElement("div");
    status.className = "small";
    item.append(label, bar, status);
    list.append(item);
    return { bar: bar, status: status };
  }

  function send(file) {
    return new Promise(function (resolve) {
      var view = row(file.name);
      var data = new FormData();
      data.append("csrfmiddlewaretoken", token);
      data.append("files", file, file.name);
      var request = new XMLHttpRequest();
      request.open("POST", form.dataset.uploadUrl);
      request.setRequestHeader("Accept", "application/json");
      request.upload.onprogress = function (event) {
        if (event.lengthComputable) { view.bar.value = Math.round(100 * event.loaded / event.total); }
      };
      request.onload = function () {
        var body = {};
        try { body = JSON.parse(request.responseText); } catch (error) { body = { errors: [request.statusText] }; }
        view.bar.value = 100;
        view.status.textContent = (body.errors && body.errors.length) ? body.errors.join(" ") : "✓";
        view.status.className = (body.errors && body.errors.length) ? "small text-danger" : "small text-success";
        resolve();
      };
      request.onerror = function () { view.status.textContent = "✗"; view.status.className = "small text-danger"; resolve(); };
      request.send(data);
    });
  }

  function upload(files) {
    var queue = Array.prototype.slice.call(files);
    var chain = Promise.resolve();
    queue.forEach(function (file) { chain = chain.then(function () { return send(file); }); });
    chain.then(function () { window.location.reload(); });
  }

  form.addEventListener("submit", function (event) {
    if (!input.files.length) { return; }
    event.preventDefault();
    upload(input.files);
  });
  ["dragover", "dragenter"].forEach(function (name) {
    zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("bg-light"); });
  });
  zone.addEventListener("dragleave", function () { zone.classList.remove("bg-light"); });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    zone.classList.remove("bg-light");
    if (event.dataTransfer.files.length) { upload(event.dataTransfer.files); }
  });
})();
