// Browser test of the review page, run by tests/review_page.rs: `node review.test.mjs PLAN.json`.
// The plan names the pages to open and what to decide; this script drives Debian's Chromium,
// checks what it sees, exports decisions.json, and exits non-zero on any failure.
import { readFileSync } from "node:fs";
import { runChecks, watchedPage, fileUrl } from "./chromium.mjs";

const plan = JSON.parse(readFileSync(process.argv[2], "utf8"));
let browser;
let check;
await runChecks(async (launched, checker) => {
  [browser, check] = [launched, checker];
  await reviewPage();
  await hostilePage();
});

async function reviewPage() {
  const { page, problems } = await watchedPage(browser);
  await page.goto(fileUrl(plan.page));
  const sections = page.locator("section.file");
  check(await page.locator(".banner").count() === 0, "no PHI warning by default: the page shows no originals or raw text");
  check(await page.getByText("Show original").count() === 0, "and offers no originals");
  check(await sections.count() === plan.files, `all ${plan.files} files are shown`);
  check(await allImagesLoad(page), "every redacted copy and keyframe loads from the page's folder");

  // Filters: a status off hides its files; a category shows only files with it.
  await page.locator("button.filter[data-status=clean]").click();
  check(await page.locator("section.file[data-status=clean]:visible").count() === 0, "the Clean filter hides clean files");
  check(await page.locator("section.file:visible").count() === plan.files - plan.clean_files, "and only them");
  await page.locator("button.filter[data-status=clean]").click();
  await page.selectOption("#category", "face");
  const visible = await page.locator("section.file:visible").count();
  check(visible === plan.files_with_faces, `the face category shows the ${plan.files_with_faces} files with faces (saw ${visible})`);
  await page.selectOption("#category", "");

  // Decisions on one file: one finding is not PHI, one box added from the keyboard, a note, approval.
  const file = page.locator("section.file", { has: page.locator(".path", { hasText: plan.decide.file }) });
  await file.locator("select.decision").nth(plan.decide.not_phi).selectOption("not_phi");
  check(await file.locator(".outline.not-phi").count() === 1, "the unredacted finding is marked on the image");
  for (const [name, value] of Object.entries(plan.decide.box)) await file.locator(`input.box-${name}`).fill(String(value));
  await file.locator("button.add-box").click();
  check(await file.locator(".outline.added").count() === 1, "the added box is drawn");
  await file.locator("textarea.note").fill(plan.decide.note);
  await file.locator("textarea.note").blur();
  await page.fill("#reviewer", plan.decide.reviewer);
  await file.locator("input.approve").check();
  const download = page.waitForEvent("download");
  await page.click("#export");
  await (await download).saveAs(plan.decisions);
  check(problems.length === 0, `no console errors, dialogs or network requests: ${problems.join("; ")}`);
}

async function allImagesLoad(page) {
  await page.$$eval("img", (images) => images.forEach((img) => { img.loading = "eager"; }));
  return page.waitForFunction(() => [...document.images].every((img) => img.complete && img.naturalWidth > 0), null, { timeout: 10000 })
    .then(() => true, () => false);
}

async function hostilePage() {
  const { page, problems } = await watchedPage(browser);
  await page.goto(fileUrl(plan.hostile_page));
  await page.waitForTimeout(300);
  const text = await page.locator("body").innerText();
  for (const s of plan.hostile_strings) check(text.includes(s), `markup shows as text: ${s}`);
  check(await page.evaluate(() => window.pwned === undefined), "no injected script ran");
  check(await page.locator(".banner[role=alert]").count() === 2, "originals and raw text are each announced in a banner");
  const toggle = page.getByText("Show original").first();
  await toggle.click();
  const shown = await page.locator(".frame img[data-showing=original]").first().evaluate((img) => decodeURIComponent(img.src));
  check(shown.includes("/in/"), `Show original swaps in the original file (${shown})`);
  check(await page.locator("main script, main img[src=x], main [onerror], main iframe").count() === 0, "no injected elements");
  check(problems.length === 0, `no console errors, dialogs or network requests: ${problems.join("; ")}`);
}
