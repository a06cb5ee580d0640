/* The visit form with no signal.
   - registers the service worker (/sw.js) and keeps this form for offline use;
   - a submitted visit is sent with fetch; offline, or when the network fails on the way, it
     (its fields, problems and photos) is kept on the phone in IndexedDB instead, and listed
     in the queue on the page; errors are left to the ordinary form post to show;
   - when the network returns (and whenever the page opens online) each kept visit is
     POSTed to its form's address with Accept: application/json, and removed once the
     server has it (201, or 200: already stored under its idempotency key, client_key);
   - every page load gives the form a fresh idempotency key and, on a new form, the
     current time (a kept copy of the page carries the time it was kept).
   The words come from the JSON catalogue the template renders (#visit-queue-strings). */
(function () {
  "use strict";
  var form = document.querySelector("form.visit-form");
  var panel = document.getElementById("visit-queue");
  var catalogue = document.getElementById("visit-queue-strings");
  if (!form || !panel || !catalogue) {
    return;
  }
  var words = JSON.parse(catalogue.textContent);
  var user = panel.getAttribute("data-user");
  var enterprise = panel.getAttribute("data-enterprise");
  var list = document.getElementById("visit-queue-list");
  var count = document.getElementById("visit-queue-count");
  var banner = document.getElementById("offline-banner");
  var notice = document.getElementById("visit-queue-notice");
  var DB_NAME = "jingkai-visits";
  var STORE = "queue";
  var syncing = false;
  var outcomes = {};  // key → {state, text, url} of the visits sent or refused during this page's life

  function say(template, count) {
    return template.replace("%(count)s", String(count));
  }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function freshForm() {
    form.elements.client_key.value = newKey();
    // A form the server sent back with errors keeps what the officer typed, time included.
    if (!form.querySelector(".is-invalid, .alert-danger") && form.elements.visited_at) {
      // Now, in the portal's time zone (Asia/Shanghai), as the server reads the field.
      var offset = parseInt(panel.getAttribute("data-utc-offset"), 10) || 0;
      form.elements.visited_at.value = new Date(Date.now() + offset * 60000).toISOString().slice(0, 16);
    }
  }

  // --- IndexedDB ---------------------------------------------------------------------
  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = window.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var result = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : result); };
        transaction.onerror = function () { db.close(); reject(transaction.error); };
      });
    });
  }

  function allKept() {
    return withStore("readonly", function (store) { return store.getAll(); }).then(function (records) {
      return records.filter(function (record) { return record.user === user; });
    });
  }

  function keep(record) { return withStore("readwrite", function (store) { store.put(record); }); }
  function forget(key) { return withStore("readwrite", function (store) { store.delete(key); }); }

  // --- The queue on the page ------------------------------------------------------------
  function render() {
    return allKept().then(function (records) {
      list.textContent = "";
      records.sort(function (a, b) { return a.savedAt < b.savedAt ? -1 : 1; });
      records.forEach(function (record) { list.appendChild(row(record, outcomes[record.key])); });
      Object.keys(outcomes).forEach(function (key) {
        if (outcomes[key].state === "sent") {
          list.appendChild(row(outcomes[key].record, outcomes[key]));
        }
      });
      count.textContent = String(records.length);
      panel.hidden = list.children.length === 0;
    });
  }

  function row(record, outcome) {
    var item = document.createElement("li");
    item.className = "list-group-item queued-visit";
    item.setAttribute("data-key", record.key);
    var title = document.createElement("div");
    title.className = "fw-semibold";
    title.textContent = record.enterprise + " · " + record.visitedAt.replace("T", " ");
    item.appendChild(title);
    var detail = document.createElement("div");
    detail.className = "small text-muted";
    detail.textContent = [say(words.problems, record.problems), say(words.files, record.files.length)].join(" · ");
    item.appendChild(detail);
    var state = document.createElement("div");
    state.className = "small queued-visit-state";
    var status = outcome ? outcome.state : "waiting";
    item.setAttribute("data-state", status);
    state.textContent = outcome ? outcome.text : words.waiting;
    item.appendChild(state);
    if (outcome && outcome.url) {
      var link = document.createElement("a");
      link.href = outcome.url;
      link.className = "small";
      link.textContent = words.open;
      item.appendChild(link);
    }
    if (status !== "sent") {
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn btn-link btn-sm text-danger p-0 ms-2";
      remove.textContent = words.remove;
      remove.addEventListener("click", function () {
        if (window.confirm(words.removeConfirm)) {
          delete outcomes[record.key];
          forget(record.key).then(render);
        }
      });
      item.appendChild(remove);
    }
    return item;
  }

  // --- Keeping a visit ---------------------------------------------------------------------
  function recordFromForm() {
    var data = new FormData(form);
    var fields = [];
    var files = [];
    data.forEach(function (value, name) {
      if (value instanceof File) {
        if (value.name) {
          files.push({ field: name, name: value.name, type: value.type, blob: value });
        }
      } else if (name !== "csrfmiddlewaretoken") {
        fields.push([name, value]);
      }
    });
    var problems = 0;
    form.querySelectorAll("input[name$='-title']").forEach(function (input) {
      if (input.value.trim()) { problems += 1; }
    });
    return {
      key: data.get("client_key"),
      user: user,
      url: form.getAttribute("action") || window.location.pathname,
      enterprise: enterprise,
      visitedAt: data.get("visited_at") || "",
      savedAt: new Date().toISOString(),
      fields: fields,
      files: files,
      problems: problems
    };
  }

  function resetForm() {
    form.reset();
    var container = document.getElementById("problem-forms");
    var total = document.getElementById("id_problems-TOTAL_FORMS");
    while (container && container.children.length > 1) {
      container.removeChild(container.lastElementChild);
    }
    if (total) { total.value = "1"; }
    var add = document.getElementById("add-problem");
    if (add) { add.hidden = false; }
    freshForm();
  }

  function keepOnPhone(record) {
    if (!window.indexedDB) {
      notice.textContent = words.unsupported;
      notice.hidden = false;
      return Promise.resolve();
    }
    return keep(record).then(function () {
      resetForm();
      notice.textContent = words.saved;
      notice.hidden = false;
      return render();
    }).then(function () {
      panel.scrollIntoView({ block: "start" });
    });
  }

  var submitting = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var record = recordFromForm();
    if (!navigator.onLine) {
      keepOnPhone(record);
      return;
    }
    // Online as far as the phone knows: send it now; if the network fails on the way (a weak
    // signal), keep it like an offline one. The same key makes a second attempt harmless.
    if (submitting) {
      return;
    }
    submitting = true;
    fetch(record.url, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken(), "X-Visit-Submit": "form" }
    }).then(function (response) {
      if (response.status === 201 || response.status === 200) {
        return response.json().then(function (answer) { window.location.assign(answer.url); });
      }
      // Errors to show, or a session to renew: the ordinary form post lets the server answer with its page.
      HTMLFormElement.prototype.submit.call(form);
      return null;
    }, function () {
      submitting = false;
      return keepOnPhone(record);
    });
  });

  // --- Sending ----------------------------------------------------------------------------------
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : form.elements.csrfmiddlewaretoken.value;
  }

  function send(record) {
    var body = new FormData();
    record.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    record.files.forEach(function (file) { body.append(file.field, file.blob, file.name); });
    return fetch(record.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      if (response.status === 201 || response.status === 200) {
        return response.json().then(function (answer) {
          outcomes[record.key] = {
            state: "sent", text: answer.replayed ? words.replayed : words.sent, url: answer.url, record: record
          };
          return forget(record.key);
        });
      }
      if (response.status === 400) {
        return response.json().then(function (answer) {
          var messages = [];
          Object.keys(answer.errors).forEach(function (field) { messages = messages.concat(answer.errors[field]); });
          outcomes[record.key] = { state: "failed", text: words.failed + " " + messages.join("；") };
        });
      }
      // The session ended (a redirect to the sign-in page) or the token is stale: keep it for later.
      outcomes[record.key] = { state: "signin", text: words.signin };
      return null;
    });
  }

  function sendAll() {
    if (syncing || !navigator.onLine) {
      return Promise.resolve();
    }
    syncing = true;
    return allKept().then(function (records) {
      var waiting = records.filter(function (record) {
        return !outcomes[record.key] || outcomes[record.key].state !== "failed";
      });
      waiting.forEach(function (record) { outcomes[record.key] = { state: "sending", text: words.sending }; });
      return render().then(function () {
        return waiting.reduce(function (previous, record) {
          return previous.then(function () {
            return send(record).catch(function () {
              delete outcomes[record.key];  // the network went again: still waiting
            });
          });
        }, Promise.resolve());
      });
    }).then(function () {
      syncing = false;
      return render();
    }, function () {
      syncing = false;
    });
  }

  function showConnection() {
    banner.hidden = navigator.onLine;
  }

  window.addEventListener("online", function () { showConnection(); sendAll(); });
  window.addEventListener("offline", showConnection);

  // --- Start --------------------------------------------------------------------------------------
  freshForm();
  showConnection();
  if (window.indexedDB) {
    render().then(sendAll);
  }
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(panel.getAttribute("data-worker"), { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      // Keep a clean copy of this form for a visit with no signal (not one with errors in it).
      if (navigator.onLine && !form.querySelector(".is-invalid, .alert-danger")) {
        return caches.open("jk-pages").then(function (cache) { return cache.add(window.location.pathname); });
      }
      return null;
    }).then(function () {
      panel.setAttribute("data-ready", "1");
    }).catch(function () {
      panel.setAttribute("data-ready", "0");
    });
  }
})();
