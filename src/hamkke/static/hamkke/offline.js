// Visit notes that survive a dead signal (issue 14).
//
// The "방문 기록" form (form[data-offline-note]) is sent with fetch. When the signal is gone the note
// is kept in this browser's IndexedDB with its idempotency key, listed in #offline-notes ("전송 대기"),
// and sent when the connection returns; the server creates it once whatever the number of sends.
// If the server refuses it (the case is no longer open to the worker, or the note breaks a rule) the
// note stays listed with the reason until the worker discards it: nothing is dropped silently.
//
// Privacy: only what the worker typed is kept (outcome, time, note, next date and the case's
// reference number) — never case content, names or lists. Logging out empties it (and the server's
// Clear-Site-Data header does too).
(function () {
  "use strict";
  const DB = "hamkke-offline";
  const STORE = "notes";
  const panel = document.getElementById("offline-notes");
  const text = (name) => (panel && panel.dataset[name]) || "";

  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function withStore(mode, work) {
    const db = await openDb();
    try {
      return await new Promise((resolve, reject) => {
        const transaction = db.transaction(STORE, mode);
        const request = work(transaction.objectStore(STORE));
        transaction.oncomplete = () => resolve(request ? request.result : undefined);
        transaction.onerror = () => reject(transaction.error);
      });
    } finally {
      db.close();
    }
  }

  const allNotes = () => withStore("readonly", (store) => store.getAll());
  const keep = (note) => withStore("readwrite", (store) => store.put(note));
  const forget = (key) => withStore("readwrite", (store) => store.delete(key));

  function clearDevice() {
    const steps = [
      new Promise((resolve) => {
        const request = indexedDB.deleteDatabase(DB);
        request.onsuccess = request.onerror = request.onblocked = () => resolve();
      }),
    ];
    if (window.caches) steps.push(caches.keys().then((keys) => Promise.all(keys.map((k) => caches.delete(k)))));
    return Promise.all(steps);
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  // One send: "sent" | "refused" | "invalid" | "login" | "offline", with the server's message.
  async function send(note, background) {
    const headers = { Accept: "application/json", "X-CSRFToken": csrfToken() };
    if (background) headers["X-Hamkke-Background"] = "1";
    let response;
    try {
      response = await fetch(note.action, {
        method: "POST",
        headers: headers,
        body: new URLSearchParams(note.fields),
        credentials: "same-origin",
      });
    } catch (error) {
      return { state: "offline" };
    }
    if (response.redirected && /\/accounts\/login\//.test(response.url)) return { state: "login" };
    let body = {};
    try {
      body = await response.json();
    } catch (error) {
      body = {};
    }
    if (response.status === 200 || response.status === 201) return { state: "sent" };
    if (response.status === 404 || response.status === 403) {
      return { state: "refused", message: body.message || text("refused") };
    }
    if (response.status === 400) return { state: "invalid", message: body.message || "" };
    return { state: "offline" }; // 5xx or a proxy's page: try again later
  }

  function describe(note) {
    const li = document.createElement("li");
    li.className = `offline-note state-${note.state}`;
    li.dataset.key = note.key;
    const head = document.createElement("strong");
    head.textContent = `${note.caseRef} · ${note.fields.contacted_at.replace("T", " ")} · ${note.outcomeLabel}`;
    li.appendChild(head);
    if (note.fields.note) {
      const body = document.createElement("p");
      body.className = "offline-note-text";
      body.textContent = note.fields.note;
      li.appendChild(body);
    }
    const state = document.createElement("p");
    state.className = "offline-note-state";
    const waiting = { waiting: text("waiting"), login: text("login") }[note.state];
    state.textContent = waiting || note.message || "";
    li.appendChild(state);
    if (note.state === "refused" || note.state === "invalid") {
      const discard = document.createElement("button");
      discard.type = "button";
      discard.className = "secondary";
      discard.dataset.discardNote = note.key;
      discard.textContent = text("discard");
      li.appendChild(discard);
    }
    return li;
  }

  async function render() {
    if (!panel) return;
    const notes = (await allNotes()).sort((a, b) => a.savedAt.localeCompare(b.savedAt));
    panel.hidden = notes.length === 0;
    panel.querySelector("ul").replaceChildren(...notes.map(describe));
    const count = panel.querySelector("[data-count]");
    if (count) count.textContent = String(notes.length);
  }

  let flushing = false;
  async function flush() {
    if (!panel || flushing || !navigator.onLine) return;
    flushing = true;
    try {
      for (const note of await allNotes()) {
        if (note.state !== "waiting" && note.state !== "login") continue;
        const result = await send(note, true);
        if (result.state === "offline") break;
        if (result.state === "sent") await forget(note.key);
        else await keep(Object.assign(note, { state: result.state, message: result.message || "" }));
      }
    } finally {
      flushing = false;
      await render();
    }
  }

  function status(form, message) {
    const box = form.querySelector(".offline-status");
    if (box) box.textContent = message;
  }

  function resetForm(form) {
    form.querySelector("[name=idempotency_key]").value = newKey();
    form.querySelectorAll("[name=outcome]").forEach((radio) => (radio.checked = false));
    ["note", "next_contact_on", "with_whom"].forEach((name) => {
      const field = form.querySelector(`[name=${name}]`);
      if (field) field.value = "";
    });
    const now = new Date();
    now.setMinutes(now.getMinutes() - now.getTimezoneOffset());
    const when = form.querySelector("[name=contacted_at]");
    if (when) when.value = now.toISOString().slice(0, 16);
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-offline-note") || event.defaultPrevented) return;
    event.preventDefault();
    const fields = Object.fromEntries(Array.from(new FormData(form)).filter(([name]) => name !== "csrfmiddlewaretoken"));
    fields.idempotency_key = fields.idempotency_key || newKey();
    const chosen = form.querySelector("[name=outcome]:checked");
    const note = {
      key: fields.idempotency_key,
      action: form.action,
      caseRef: form.dataset.caseRef,
      fields: fields,
      outcomeLabel: chosen ? chosen.closest("label").textContent.trim() : "",
      savedAt: new Date().toISOString(),
      state: "waiting",
    };
    const result = navigator.onLine ? await send(note, false) : { state: "offline" };
    const buttons = form.querySelectorAll("button[type=submit]");
    if (result.state === "sent") {
      window.location.assign(form.dataset.caseUrl);
    } else if (result.state === "invalid") {
      HTMLFormElement.prototype.submit.call(form); // the page shows each field's reason; nothing was saved
    } else if (result.state === "refused") {
      status(form, result.message); // what was typed stays in the form
      buttons.forEach((b) => (b.disabled = false));
    } else {
      if (!chosen) {
        status(form, text("chooseOutcome"));
        buttons.forEach((b) => (b.disabled = false));
        return;
      }
      note.state = result.state === "login" ? "login" : "waiting";
      await keep(note);
      status(form, text(note.state === "login" ? "storedLogin" : "stored"));
      resetForm(form);
      buttons.forEach((b) => (b.disabled = false));
      form.removeAttribute("aria-busy");
      await render();
    }
  });

  document.addEventListener("click", async (event) => {
    const button = event.target.closest && event.target.closest("[data-discard-note]");
    if (!button) return;
    if (!window.confirm(text("discardConfirm"))) return;
    await forget(button.dataset.discardNote);
    await render();
  });

  // Logging out leaves nothing behind on the device; notes not yet sent are named before they go.
  document.addEventListener(
    "submit",
    async (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || !/\/accounts\/logout\/$/.test(new URL(form.action).pathname)) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      const waiting = window.indexedDB ? await allNotes().catch(() => []) : [];
      if (waiting.length && !window.confirm(text("logoutConfirm").replace("%(n)s", String(waiting.length)))) return;
      await clearDevice();
      HTMLFormElement.prototype.submit.call(form);
    },
    true,
  );

  if (panel && document.body.hasAttribute("data-offline-page")) {
    // The service worker's "no connection" page: it lists what waits, and reloads the page the worker
    // asked for when the signal returns (that page, signed in, sends the notes).
    window.addEventListener("online", () => window.location.reload());
    render();
  } else if (panel) {
    window.addEventListener("online", flush);
    document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && flush());
    window.setInterval(flush, 20000);
    render().then(flush);
  }

  if ("serviceWorker" in navigator && document.body.dataset.serviceWorker) {
    navigator.serviceWorker.register(document.body.dataset.serviceWorker, { scope: "/" }).catch(() => {});
  }
})();
