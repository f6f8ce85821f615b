// phi-redact review page: draws the report embedded in this page and collects reviewers'
// decisions for `phi-redact apply`, or, shown by `phi-redact serve` (view.decisions_url),
// sends each decision there to be applied at once and shows the copy re-rendered. Every string from the report reaches the page as text
// (text nodes, textContent), never as markup: file names and OCR text are attacker-controlled.
"use strict";
(() => {
  const data = JSON.parse(document.getElementById("phi-report").textContent);
  const report = data.report;
  const view = data.view;
  const live = Boolean(view.decisions_url);
  const REVIEWER_KEY = "phi-redact-reviewer";
  const STATUS_NAMES = { needs_review: "Needs review", redacted: "Redacted", clean: "Clean", unchanged: "Unchanged", skipped: "Skipped", failed: "Failed" };
  const items = (report.files || []).map((file, index) => ({ file, index, links: view.files[index] || {} }));
  items.sort((a, b) => b.file.risk - a.file.risk || a.file.input.localeCompare(b.file.input));
  const itemAt = new Map(items.map((item) => [item.index, item]));
  // Per file index: what the reviewer decided on this page, not yet applied.
  const decisions = new Map();
  const filters = { statuses: new Set(Object.keys(STATUS_NAMES)), category: "" };
  const sections = [];

  const href = (relative) => relative.split("/").map(encodeURIComponent).join("/");
  const percent = (risk) => `${Math.round((risk || 0) * 100)}%`;
  const timecode = (s) => `${Math.floor(s / 60)}:${(s % 60).toFixed(2).padStart(5, "0")}`;
  const nowIso = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");

  function categoriesOf(finding) {
    if (finding.kind === "face") return ["face"];
    if (finding.kind === "manual") return ["added by a reviewer"];
    return (finding.text && finding.text.categories.length && finding.text.categories) || [finding.kind];
  }

  function decisionFor(index) {
    if (!decisions.has(index)) decisions.set(index, { notPhi: new Set(), boxes: [], note: "", approvedAt: null });
    return decisions.get(index);
  }

  function say(text) {
    document.getElementById("message").textContent = text;
  }

  // ---- Top: who reviews, what was found, how the run was set up ----

  function header() {
    const banners = [];
    if (view.show_originals) banners.push("This page shows the ORIGINAL, unredacted files (--report-originals): it contains PHI. Keep it as private as the originals.");
    if (view.show_raw_text) banners.push("This report carries the raw text read (--report-raw-text): it contains PHI. Keep it as private as the originals.");
    const reviewer = h("input", { id: "reviewer", type: "text", autocomplete: "name", placeholder: "Your name",
      value: live ? localStorage.getItem(REVIEWER_KEY) : null, onchange: (e) => live && localStorage.setItem(REVIEWER_KEY, e.target.value.trim()) });
    return h("header", {},
      h("h1", { text: "phi-redact review" }),
      banners.map((text) => h("p", { class: "banner", role: "alert", text })),
      h("div", { class: "toolbar" },
        h("label", { for: "reviewer" }, "Reviewer "), reviewer,
        live ? h("span", { class: "muted", text: "Each decision is applied as you make it." })
          : h("button", { id: "export", type: "button", onclick: exportDecisions }, "Export decisions.json"),
        h("span", { id: "message", role: "status" })),
      summary());
  }

  function summary() {
    const totals = report.totals || {};
    const statusButtons = Object.entries(STATUS_NAMES).map(([status, name]) =>
      h("button", { type: "button", class: `filter status-${status}`, "data-status": status, "aria-pressed": "true", onclick: toggleStatus },
        `${name}: ${totals[status] || 0}`));
    const counts = new Map();
    for (const { file } of items) for (const f of file.findings) for (const c of categoriesOf(f)) counts.set(c, (counts.get(c) || 0) + 1);
    const categorySelect = h("select", { id: "category", onchange: (e) => { filters.category = e.target.value; applyFilters(); } },
      h("option", { value: "" }, "All categories"),
      [...counts.keys()].sort().map((c) => h("option", { value: c }, `${c} (${counts.get(c)})`)));
    return h("section", { class: "summary" },
      h("div", { class: "filters" }, h("span", { text: "Status: " }), statusButtons),
      h("p", { class: "categories" }, "Found: ",
        [...counts.keys()].sort().map((c) => `${c} ${counts.get(c)}`).join(" · ") || "nothing"),
      h("div", { class: "filters" }, h("label", { for: "category" }, "Safe Harbor category: "), categorySelect,
        h("span", { id: "shown" })),
      h("details", {}, h("summary", { text: "Run settings and models" }), runDetails()),
      auditTrail());
  }

  function runDetails() {
    const rows = Object.entries(report.settings || {}).map(([key, value]) =>
      h("tr", {}, h("th", { text: key }), h("td", { text: typeof value === "object" ? JSON.stringify(value) : String(value) })));
    const tool = report.tool || {};
    const runtime = report.runtime || {};
    return h("div", {},
      h("p", { text: `${tool.name} ${tool.version}, ${runtime.device_note || ""}, ${(report.totals || {}).seconds?.toFixed(1)} s, report schema ${report.schema_version}` }),
      h("table", {}, h("tbody", {}, rows)),
      h("table", {}, h("thead", {}, h("tr", {}, h("th", { text: "Model" }), h("th", { text: "sha256" }), h("th", { text: "From" }))),
        h("tbody", {}, (report.models || []).map((m) => h("tr", {}, h("td", { text: m.name }), h("td", { class: "hash", text: m.sha256 }), h("td", { text: m.source }))))));
  }

  function auditTrail() {
    if (!report.audit || !report.audit.length) return null;
    return h("details", { open: true }, h("summary", { text: `Audit trail (${report.audit.length})` }),
      h("table", { class: "audit" }, h("tbody", {}, report.audit.map((a) =>
        h("tr", {}, h("td", { text: a.at }), h("td", { text: a.by }), h("td", { text: a.file }), h("td", { text: a.action }))))));
  }

  function toggleStatus(event) {
    const button = event.currentTarget;
    const status = button.dataset.status;
    if (filters.statuses.has(status)) filters.statuses.delete(status); else filters.statuses.add(status);
    button.setAttribute("aria-pressed", String(filters.statuses.has(status)));
    applyFilters();
  }

  function applyFilters() {
    let shown = 0;
    for (const { section, file } of sections) {
      const categories = file.findings.flatMap(categoriesOf);
      section.hidden = !(filters.statuses.has(file.status) && (!filters.category || categories.includes(filters.category)));
      if (!section.hidden) shown += 1;
    }
    document.getElementById("shown").textContent = ` Showing ${shown} of ${sections.length} files`;
  }

  // ---- One file: its redacted copy with findings outlined, the findings, the decisions ----

  function fileSection(item) {
    const { file, index } = item;
    // `apply` re-renders still images only.
    const canDecide = Boolean(file.output) && !file.video && !file.dicom;
    const section = h("section", { class: "file", id: `file-${index}`, "data-status": file.status },
      h("h2", {}, h("span", { class: `badge status-${file.status}`, text: STATUS_NAMES[file.status] || file.status }), " ",
        h("span", { class: "path", text: item.links.name || file.input }), " ", h("span", { class: "risk", text: `risk ${percent(file.risk)}` })),
      file.reason ? h("p", { class: "reason", text: file.reason }) : null,
      file.video ? videoView(item) : file.dicom ? dicomView(item) : imageView(item, canDecide),
      findingsTable(item, canDecide),
      file.output || file.review ? reviewControls(item, canDecide) : null);
    sections.push({ section, file });
    return section;
  }

  function imageView(item, canDecide) {
    const { file, links, index } = item;
    if (!links.output) return h("p", { class: "muted", text: "No redacted copy was written for this file." });
    const img = h("img", { src: href(links.output), alt: `Redacted copy of ${file.input}`, loading: "lazy" });
    const frame = h("div", { class: "frame", "data-file": index }, img, h("div", { class: "overlay" }));
    const toggle = () => {
      const enlarged = frame.classList.toggle("enlarged");
      enlarge.setAttribute("aria-expanded", String(enlarged));
    };
    const enlarge = h("button", { type: "button", class: "enlarge", "aria-expanded": "false", onclick: toggle }, "Enlarge");
    img.addEventListener("click", () => frame.classList.contains("drawing") || toggle());
    const tools = [enlarge];
    if (view.show_originals && links.original) {
      tools.push(h("button", { type: "button", onclick: (e) => {
        const original = img.dataset.showing !== "original";
        img.src = href(original ? links.original : links.output);
        img.dataset.showing = original ? "original" : "output";
        e.currentTarget.textContent = original ? "Show redacted copy" : "Show original";
      } }, "Show original"));
    }
    if (canDecide) tools.push(h("button", { type: "button", class: "draw", "aria-pressed": "false", onclick: (e) => toggleDrawing(e, frame, file) }, "Draw a box"));
    drawOutlines(frame, item);
    return h("div", { class: "media" }, frame, h("div", { class: "tools" }, tools));
  }

  /** Outlines every finding (and every box added on this page) over the image. */
  function drawOutlines(frame, { file, index }) {
    const overlay = frame.querySelector(".overlay");
    overlay.replaceChildren();
    const place = (node, r) => {
      node.style.left = `${(100 * r.x) / file.width}%`;
      node.style.top = `${(100 * r.y) / file.height}%`;
      node.style.width = `${(100 * r.width) / file.width}%`;
      node.style.height = `${(100 * r.height) / file.height}%`;
      overlay.append(node);
    };
    const decided = decisions.get(index);
    file.findings.forEach((finding, i) => {
      const unredacted = (finding.review && finding.review.decision === "not_phi") || (decided && decided.notPhi.has(i));
      place(h("div", { class: `outline kind-${finding.kind}${unredacted ? " not-phi" : ""}` },
        h("span", { class: "label", text: `${i} ${categoriesOf(finding).join(", ")}` })), finding.redacted);
    });
    for (const box of decided ? decided.boxes : []) place(h("div", { class: "outline added" }, h("span", { class: "label", text: "new box" })), box);
  }

  /** Drag on the image to add a box, in the image's own pixels. */
  function toggleDrawing(event, frame, file) {
    const button = event.currentTarget;
    const drawing = button.getAttribute("aria-pressed") !== "true";
    button.setAttribute("aria-pressed", String(drawing));
    frame.classList.toggle("drawing", drawing);
    if (!drawing) {
      frame.onpointerdown = null;
      return;
    }
    frame.onpointerdown = (down) => {
      down.preventDefault();
      const bounds = frame.getBoundingClientRect();
      const at = (e) => ({
        x: Math.min(Math.max(((e.clientX - bounds.left) / bounds.width) * file.width, 0), file.width),
        y: Math.min(Math.max(((e.clientY - bounds.top) / bounds.height) * file.height, 0), file.height),
      });
      const start = at(down);
      frame.onpointerup = (up) => {
        frame.onpointerup = null;
        const end = at(up);
        addBox(Number(frame.dataset.file), { x: Math.min(start.x, end.x), y: Math.min(start.y, end.y), width: Math.abs(end.x - start.x), height: Math.abs(end.y - start.y) });
      };
    };
  }

  function videoView({ file, links }) {
    const video = file.video;
    const player = links.output ? h("video", { class: "player", src: href(links.output), controls: true, preload: "metadata" }) : null;
    const seek = (s) => { if (player) { player.currentTime = s; player.focus(); } };
    const duration = video.duration_s || 1;
    const rows = video.tracks.map((track, i) => {
      const bar = h("button", { type: "button", class: `track kind-${track.kind}`, title: `Go to ${timecode(track.first_s)}`, onclick: () => seek(track.first_s) },
        `#${i} ${categoriesOf(file.findings[i] || track).join(", ")} ${timecode(track.first_s)}–${timecode(track.last_s)}`);
      bar.style.marginLeft = `${(100 * track.first_s) / duration}%`;
      bar.style.width = `${Math.max((100 * (track.last_s - track.first_s)) / duration, 1)}%`;
      return h("li", {}, bar);
    });
    const keyframes = video.keyframes.map((k) =>
      h("figure", { class: "keyframe" }, h("img", { src: href(k.file), alt: `Redacted frame ${k.frame}`, loading: "lazy" }),
        h("figcaption", {}, h("button", { type: "button", onclick: () => seek(k.time_s) }, `${timecode(k.time_s)} (frame ${k.frame})`))));
    const audio = video.audio_kept_unanalysed || [];
    const audioNote = audio.length
      ? h("p", { class: "banner", text: `Audio kept as it was, not analysed: ${audio.map((a) => `stream ${a.stream} (${a.codec})`).join(", ")}. Speech is not checked for PHI; --strip-audio drops it.` })
      : null;
    return h("div", { class: "media" }, player,
      h("p", { text: `${video.frames} frames, ${timecode(video.duration_s)}, ${video.frame_rate.toFixed(2)} frames/s; ${video.tracks.length} tracks` }),
      audioNote,
      h("ol", { class: "timeline", "aria-label": "Tracks over time" }, rows),
      h("div", { class: "keyframes" }, keyframes));
  }

  /** A DICOM object: browsers cannot show one, so its busiest frame as rendered and redacted. */
  function dicomView({ file }) {
    const dicom = file.dicom;
    const counts = dicom.attributes;
    const keyframe = dicom.keyframe
      ? h("figure", { class: "keyframe" }, h("img", { src: href(dicom.keyframe.file), alt: `Redacted frame ${dicom.keyframe.frame}`, loading: "lazy" }),
        h("figcaption", { text: `Frame ${dicom.keyframe.frame}, redacted` }))
      : null;
    return h("div", { class: "media" }, keyframe,
      h("p", { text: `DICOM, ${dicom.frames} frames; findings per frame: ${dicom.findings_per_frame.join(", ")}. ` +
        `Header: ${counts.removed} attributes removed, ${counts.emptied} emptied, ${counts.replaced} replaced. ` +
        `Transfer syntax ${dicom.transfer_syntax}, written as ${dicom.written_as}.` }));
  }

  function findingsTable({ file, index }, canDecide) {
    if (!file.findings.length) return null;
    const rows = file.findings.map((finding, i) => {
      const text = finding.text || {};
      const applied = finding.review && finding.review.decision;
      let decision;
      if (applied === "not_phi") decision = h("span", { text: `Not PHI (${finding.review.by}, ${finding.review.at})` });
      else if (applied === "added") decision = h("span", { text: `Added by ${finding.review.by}` });
      else {
        decision = h("select", { "aria-label": `Decision on finding ${i}`, class: "decision", disabled: !canDecide, title: canDecide ? null : "Videos are re-run, not edited",
          onchange: (e) => setNotPhi(index, i, e.target.value === "not_phi") },
          h("option", { value: "keep" }, "Keep redacted"), h("option", { value: "not_phi" }, "Not PHI: unredact"));
      }
      return h("tr", { class: text.needs_review ? "needs-review" : null },
        h("td", { text: String(i) }), h("td", { text: finding.kind }), h("td", { text: categoriesOf(finding).join(", ") }),
        h("td", { text: percent(text.risk ?? finding.score) }), h("td", { text: (text.reasons || (finding.kind === "face" ? ["face detector"] : [])).join("; ") }),
        h("td", { class: "text", text: text.raw ?? text.masked ?? "" }),
        h("td", { text: text.ocr_engine ? `${text.ocr_engine} ${percent(text.ocr_confidence)}` : "" }), h("td", {}, decision));
    });
    const head = ["#", "Kind", "Categories", "Risk", "Reasons", view.show_raw_text ? "Text" : "Text (masked)", "Read by", "Decision"];
    return h("table", { class: "findings" }, h("thead", {}, h("tr", {}, head.map((t) => h("th", { text: t })))), h("tbody", {}, rows));
  }

  function reviewControls({ file, index }, canDecide) {
    const review = file.review || {};
    const boxList = h("ul", { class: "boxes" });
    const inputs = ["x", "y", "width", "height"].map((name) =>
      h("label", {}, `${name} `, h("input", { type: "number", min: 0, step: 1, name, class: `box-${name}` })));
    const addFromInputs = () => {
      const [x, y, width, height] = inputs.map((l) => Number(l.querySelector("input").value));
      addBox(index, { x, y, width, height });
    };
    const approve = h("input", { type: "checkbox", class: "approve", id: `approve-${index}`, onchange: (e) => setApproved(index, e.target) });
    return h("div", { class: "review" },
      canDecide ? h("fieldset", {}, h("legend", { text: "Add a redaction (image pixels)" }), inputs,
        h("button", { type: "button", class: "add-box", onclick: addFromInputs }, "Add box"), boxList) : null,
      h("label", { class: "note" }, "Note ", h("textarea", { rows: 2, class: "note", onchange: (e) => setNote(index, e.target.value) })),
      review.note ? h("p", { class: "muted", text: `Earlier note: ${review.note}` }) : null,
      review.approved_by
        ? h("p", { class: "approved", text: `Approved by ${review.approved_by} at ${review.approved_at}` })
        : h("p", {}, approve, h("label", { for: `approve-${index}` }, " Approve this file for publication")));
  }

  function setNotPhi(index, finding, notPhi) {
    if (live) return notPhi && send(index, { not_phi: [finding] });
    const decided = decisionFor(index);
    if (notPhi) decided.notPhi.add(finding); else decided.notPhi.delete(finding);
    refresh(index);
  }

  function addBox(index, box) {
    const item = itemAt.get(index);
    const rounded = {
      x: Math.floor(box.x), y: Math.floor(box.y),
      width: Math.ceil(box.x + box.width) - Math.floor(box.x), height: Math.ceil(box.y + box.height) - Math.floor(box.y),
    };
    const fits = [rounded.x, rounded.y, rounded.width, rounded.height].every(Number.isFinite) && rounded.width > 0 && rounded.height > 0 &&
      rounded.x + rounded.width <= item.file.width && rounded.y + rounded.height <= item.file.height;
    if (!fits) return say(`That box is not inside the ${item.file.width}x${item.file.height} image.`);
    if (live) return send(index, { added_boxes: [rounded] });
    decisionFor(index).boxes.push(rounded);
    refresh(index);
    say(`Box added to ${item.file.input}.`);
  }

  function setApproved(index, checkbox) {
    const reviewer = document.getElementById("reviewer");
    if (checkbox.checked && !reviewer.value.trim()) {
      checkbox.checked = false;
      reviewer.focus();
      return say("Type your name at the top before approving.");
    }
    if (live) return checkbox.checked && send(index, { approved_at: nowIso() });
    decisionFor(index).approvedAt = checkbox.checked ? nowIso() : null;
  }

  function setNote(index, note) {
    if (live) return note.trim() && send(index, { note: note.trim() });
    decisionFor(index).note = note;
  }

  /** Live: one decision sent to the server, which applies it; the page then shows the result. */
  async function send(index, decision) {
    const reviewer = document.getElementById("reviewer").value.trim();
    if (!reviewer) {
      document.getElementById("reviewer").focus();
      return say("Type your name at the top first: decisions are recorded under it.");
    }
    say("Applying…");
    const body = { reviewer, output_sha256: report.files[index].output_sha256, ...decision };
    const answer = await fetch(view.decisions_url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    if (!answer.ok) {
      const error = await answer.json().catch(() => ({}));
      return say(`Not applied: ${error.error || answer.statusText}`);
    }
    location.reload();
  }

  /** Redraws what depends on a file's decisions: its outlines and its list of new boxes. */
  function refresh(index) {
    const section = document.getElementById(`file-${index}`);
    const frame = section.querySelector(".frame");
    if (frame) drawOutlines(frame, itemAt.get(index));
    const list = section.querySelector(".boxes");
    if (!list) return;
    list.replaceChildren(...decisionFor(index).boxes.map((b, i) =>
      h("li", {}, `x ${b.x}, y ${b.y}, ${b.width}x${b.height} `,
        h("button", { type: "button", onclick: () => { decisionFor(index).boxes.splice(i, 1); refresh(index); } }, "Remove"))));
  }

  // ---- Export ----

  function exportDecisions() {
    const reviewer = document.getElementById("reviewer").value.trim();
    if (!reviewer) {
      document.getElementById("reviewer").focus();
      return say("Type your name before exporting: decisions are recorded under it.");
    }
    const files = [];
    for (const [index, d] of decisions) {
      if (!d.notPhi.size && !d.boxes.length && !d.note.trim() && !d.approvedAt) continue;
      const file = report.files[index];
      files.push({ input: file.input, output_sha256: file.output_sha256, not_phi: [...d.notPhi].sort((a, b) => a - b),
        added_boxes: d.boxes, note: d.note.trim() || null, approved_at: d.approvedAt });
    }
    const out = { kind: "phi-redact-decisions", schema_version: 1, report: view.report_json, reviewer, exported_at: nowIso(), files };
    const link = h("a", { href: URL.createObjectURL(new Blob([`${JSON.stringify(out, null, 2)}\n`], { type: "application/json" })), download: "decisions.json" });
    document.body.append(link);
    link.click();
    link.remove();
    say(`Exported decisions on ${files.length} files. Apply them with: phi-redact apply decisions.json`);
  }

  const app = document.getElementById("app");
  app.append(header(), h("main", {}, items.map(fileSection)));
  applyFilters();
})();
