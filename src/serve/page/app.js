// phi-redact serve: the front page. Uploads dropped files, follows their analysis, links each
// one's review and approved copy, and checks the caption that goes with the post. Everything
// comes from the JSON API (/api/v1); every string from it reaches the page as text, never as
// markup: file names and the text found are anyone's.
"use strict";
(() => {
  const REVIEWER_KEY = "phi-redact-reviewer";
  const STATUS_NAMES = { queued: "Queued", running: "Analysing", needs_review: "Needs review", redacted: "Redacted", clean: "Clean", failed: "Failed", skipped: "Skipped", unchanged: "Unchanged" };
  let files = [];
  const sending = new Map(); // upload number -> { name, progress, error }
  let caption = { checked: null, findings: [] };

  const $ = (id) => document.getElementById(id);
  const say = (text) => { $("message").textContent = text; };
  const percent = (risk) => `${Math.round((risk || 0) * 100)}%`;
  const approved = (file) => Boolean(file.review && file.review.approved_by);

  // ---- Uploads ----

  let uploads = 0;
  function upload(file) {
    const number = ++uploads;
    sending.set(number, { name: file.name, progress: 0, error: null });
    const form = new FormData();
    form.append("file", file, file.name);
    const request = new XMLHttpRequest();
    request.open("POST", "/api/v1/files");
    request.upload.onprogress = (e) => { if (e.lengthComputable) { sending.get(number).progress = e.loaded / e.total; drawFiles(); } };
    request.onload = () => {
      if (request.status === 202) sending.delete(number);
      else sending.get(number).error = errorOf(request.responseText) || request.statusText;
      keepRefreshing();
    };
    request.onerror = () => { sending.get(number).error = "the connection failed"; drawFiles(); };
    request.send(form);
    drawFiles();
  }

  function errorOf(json) {
    try { return JSON.parse(json).error; } catch { return null; }
  }

  function dropZone() {
    const input = h("input", { type: "file", id: "choose", multiple: true, accept: "image/*,video/*,.dcm,.heic,.heif,.avif",
      onchange: (e) => { [...e.target.files].forEach(upload); e.target.value = ""; } });
    const zone = h("label", { class: "drop", for: "choose", id: "drop" },
      h("strong", { text: "Drop photos and videos here" }), h("span", { text: " or click to choose them." }), input);
    zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", (e) => { e.preventDefault(); zone.classList.remove("over"); [...e.dataTransfer.files].forEach(upload); });
    return zone;
  }

  // ---- The files and their state ----

  async function refresh() {
    const answer = await fetch("/api/v1/files");
    if (!answer.ok) return say(`Cannot list the files: ${answer.status === 401 ? "open the link phi-redact serve printed" : answer.statusText}`);
    files = (await answer.json()).files;
    drawFiles();
  }

  // Every listing reads each upload's report: often while something is on its way, rarely
  // otherwise (a script may upload too).
  const busy = () => sending.size > 0 || files.some((f) => f.status === "queued" || f.status === "running");
  let timer;
  async function keepRefreshing() {
    clearTimeout(timer);
    await refresh().catch(() => say("The server does not answer."));
    clearTimeout(timer);
    timer = setTimeout(keepRefreshing, busy() ? 1500 : 10000);
  }

  function found(file) {
    const findings = file.findings || [];
    const faces = findings.filter((f) => f.kind === "face").length;
    const categories = new Set(findings.flatMap((f) => (f.text ? f.text.categories : f.kind === "face" ? [] : [f.kind])));
    const parts = [];
    if (faces) parts.push(`${faces} face${faces === 1 ? "" : "s"}`);
    if (categories.size) parts.push([...categories].sort().map((c) => c.replaceAll("_", " ")).join(", "));
    return parts.join("; ") || "nothing";
  }

  function fileRow(file) {
    const finished = !["queued", "running"].includes(file.status);
    const actions = [];
    if (finished && file.status !== "failed" && file.status !== "skipped") actions.push(h("a", { href: `/files/${encodeURIComponent(file.id)}/review`, class: "review-link" }, "Review"));
    if (approved(file) && file.output) actions.push(h("a", { href: `/api/v1/files/${encodeURIComponent(file.id)}/output`, download: "", class: "download" }, "Download approved copy"));
    return h("tr", { "data-id": file.id, "data-status": file.status },
      h("td", { class: "name", text: file.name || file.id }),
      h("td", {}, h("span", { class: `badge status-${file.status}`, text: STATUS_NAMES[file.status] || file.status })),
      h("td", { text: finished ? (file.status === "failed" ? file.reason || "failed" : found(file)) : "" }),
      h("td", { class: "approval", text: approved(file) ? `Approved by ${file.review.approved_by}` : finished ? "Not approved" : "" }),
      h("td", {}, actions));
  }

  function drawFiles() {
    const rows = files.map(fileRow);
    for (const { name, progress, error } of sending.values()) {
      rows.push(h("tr", { class: "sending" }, h("td", { class: "name", text: name }),
        h("td", {}, error ? h("span", { class: "badge status-failed", text: "Refused" }) : h("progress", { max: 1, value: progress })),
        h("td", { text: error || "Uploading…" }), h("td"), h("td")));
    }
    $("files").replaceChildren(...rows);
    $("empty").hidden = rows.length > 0;
    $("zip").hidden = !files.some(approved);
    drawReadiness();
  }

  // ---- The caption ----

  async function checkCaption() {
    const text = $("caption").value;
    const answer = await fetch("/api/v1/text", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text }) });
    if (!answer.ok) return say(`Cannot check the caption: ${errorOf(await answer.text()) || answer.statusText}`);
    caption = { checked: text, findings: (await answer.json()).findings };
    drawCaption();
  }

  /** The caption with what was found marked (spans are in characters, not UTF-16 units). */
  function drawCaption() {
    const characters = Array.from(caption.checked || "");
    const marked = [];
    let at = 0;
    for (const finding of caption.findings) {
      const [start, end] = finding.span;
      marked.push(characters.slice(at, start).join(""));
      marked.push(h("mark", { title: finding.reasons.join("; "), text: characters.slice(start, end).join("") }));
      at = end;
    }
    marked.push(characters.slice(at).join(""));
    const list = caption.findings.map((f) => h("li", {}, h("strong", { text: f.categories.join(", ") }), ` (risk ${percent(f.risk)}): ${f.reasons.join("; ")}`));
    $("caption-result").replaceChildren(
      caption.findings.length ? h("p", { class: "marked" }, marked) : h("p", { class: "clean", text: "No PHI found in the caption." }),
      list.length ? h("ul", { class: "caption-findings" }, list) : "");
    drawReadiness();
  }

  /** Ready to post when every file is approved and the caption, as it stands, was checked clean. */
  function drawReadiness() {
    const waiting = [];
    if (!files.length) waiting.push("no photo or video yet");
    const unapproved = files.filter((f) => !approved(f)).length;
    if (unapproved) waiting.push(`${unapproved} file${unapproved === 1 ? "" : "s"} not approved`);
    if (sending.size) waiting.push("uploads not finished");
    if (caption.checked === null || caption.checked !== $("caption").value) waiting.push("caption not checked");
    else if (caption.findings.length) waiting.push("the caption has PHI");
    const ready = waiting.length === 0;
    const line = $("ready");
    line.className = ready ? "ready yes" : "ready no";
    line.textContent = ready ? "Ready to post: every file is approved and the caption is clean." : `Not ready to post: ${waiting.join("; ")}.`;
  }

  const reviewer = h("input", { id: "reviewer", type: "text", autocomplete: "name", placeholder: "Your name", value: localStorage.getItem(REVIEWER_KEY),
    onchange: (e) => localStorage.setItem(REVIEWER_KEY, e.target.value.trim()) });
  $("app").append(
    h("header", {}, h("h1", { text: "phi-redact" }),
      h("p", { class: "muted", text: "Check photos, videos and their captions for patient information before they are posted." }),
      h("div", { class: "toolbar" }, h("label", { for: "reviewer" }, "Reviewer "), reviewer, h("span", { id: "message", role: "status" }))),
    h("main", {},
      h("section", {}, h("h2", { text: "1. Photos and videos" }), dropZone(),
        h("table", { class: "files" }, h("thead", {}, h("tr", {}, ["File", "Status", "Found", "Approval", ""].map((t) => h("th", { text: t })))),
          h("tbody", { id: "files" })),
        h("p", { id: "empty", class: "muted", text: "Nothing uploaded yet." }),
        h("p", {}, h("a", { id: "zip", href: "/api/v1/approved.zip", download: "", hidden: true }, "Download all approved copies (zip)"))),
      h("section", {}, h("h2", { text: "2. Caption, alt text or reply" }),
        h("textarea", { id: "caption", rows: 4, placeholder: "Paste the words that go with the post", oninput: drawReadiness }),
        h("p", {}, h("button", { type: "button", id: "check-caption", onclick: checkCaption }, "Check the caption")),
        h("div", { id: "caption-result", "aria-live": "polite" })),
      h("section", {}, h("h2", { text: "3. Post" }), h("p", { id: "ready", role: "status" }))));
  keepRefreshing();
})();
