// Browser test of `phi-redact serve`'s pages, run by tests/serve_page.rs:
// `node serve.test.mjs PLAN.json`. Opens the URL the server printed, drops a photo, waits for
// its analysis, reviews it (one finding Not PHI, one box added, approved: each applied at
// once), downloads the approved copy, and checks a caption; exits non-zero on any failure.
import { readFileSync } from "node:fs";
import { runChecks, watchedPage } from "./chromium.mjs";

const plan = JSON.parse(readFileSync(process.argv[2], "utf8"));
await runChecks(postOnePhoto);

async function postOnePhoto(browser, check) {
  const server = new URL(plan.url).origin;
  const { page, problems } = await watchedPage(browser, { server });
  await page.goto(plan.url);
  check(new URL(page.url()).search === "", "the token leaves the address bar once the cookie is set");
  await page.fill("#reviewer", plan.reviewer);
  await page.locator("#reviewer").blur();

  // Dropped as a person drags a file from their desktop.
  const bytes = readFileSync(plan.photo).toString("base64");
  const dropped = await page.evaluateHandle(({ bytes, name }) => {
    const transfer = new DataTransfer();
    const data = Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0));
    transfer.items.add(new File([data], name, { type: "image/png" }));
    return transfer;
  }, { bytes, name: plan.photo_name });
  await page.dispatchEvent("#drop", "drop", { dataTransfer: dropped });
  const row = page.locator("tr[data-id]", { hasText: plan.photo_name });
  await row.locator(".badge.status-needs_review, .badge.status-redacted").waitFor({ timeout: 240000 });
  check(true, "the dropped photo is analysed and its status shown");
  check((await row.textContent()).includes("face"), "its faces are listed among what was found");

  // Its review: every decision is applied at once, and the page shows the new copy.
  const files = await page.evaluate(() => fetch("/api/v1/files").then((r) => r.json()));
  const entry = files.files.find((f) => f.name === plan.photo_name);
  const textFinding = entry.findings.findIndex((f) => f.kind === "text");
  await row.locator("a.review-link").click();
  await page.locator("section.file").waitFor();
  check(await page.locator("#export").count() === 0, "the review offers no export: decisions apply at once");
  check(await page.locator("section.file img").evaluate((img) => img.decode().then(() => img.naturalWidth > 0, () => false)), "the redacted copy shows");
  await Promise.all([page.waitForEvent("load"), page.locator("select.decision").nth(textFinding).selectOption("not_phi")]);
  check(await page.locator(".outline.not-phi").count() === 1, "the finding set to Not PHI is unredacted, as the reloaded page says");
  for (const [name, value] of Object.entries(plan.box)) await page.locator(`input.box-${name}`).fill(String(value));
  await Promise.all([page.waitForEvent("load"), page.locator("button.add-box").click()]);
  check(await page.locator(".outline.kind-manual").count() === 1, "the added box is a finding of the copy");
  // Clicked, not `check`ed: the page reloads at once, and the box is gone before it is seen checked.
  await Promise.all([page.waitForEvent("load"), page.locator("input.approve").click()]);
  check((await page.locator("p.approved").textContent()).includes(plan.reviewer), "the approval is recorded under the reviewer's name");

  // Back on the front page: the approved copy downloads.
  await page.goto(server + "/");
  const approvedRow = page.locator("tr[data-id]", { hasText: plan.photo_name });
  await approvedRow.locator("a.download").waitFor();
  const download = page.waitForEvent("download");
  await approvedRow.locator("a.download").click();
  await (await download).saveAs(plan.download);
  check(true, "the approved copy downloads");

  // The caption: a name and a date are marked, and the post is not ready until it is clean.
  await page.fill("#caption", plan.caption);
  await page.click("#check-caption");
  await page.locator("#caption-result mark").first().waitFor();
  const marked = await page.locator("#caption-result mark").allTextContents();
  check(marked.some((m) => m.includes(plan.caption_name)), `the name is marked (${marked.join(" | ")})`);
  check(marked.some((m) => m.includes(plan.caption_date)), `the date is marked (${marked.join(" | ")})`);
  check((await page.locator("#ready").textContent()).includes("the caption has PHI"), "the post is not ready while the caption has PHI");
  await page.fill("#caption", plan.clean_caption);
  await page.click("#check-caption");
  await page.locator("#caption-result .clean").waitFor();
  check((await page.locator("#ready").textContent()).startsWith("Ready to post"), "with the photo approved and the caption clean, the post is ready");
  check(problems.length === 0, `no console errors, dialogs or requests elsewhere: ${problems.join("; ")}`);
}
