// Screenshots of `phi-redact serve`: `node tests/browser/serve-screenshots.mjs BINARY OUTDIR
// FILE...` (`make screenshots` runs it on some samples). Starts the server on a fresh data
// folder, drops the files, approves the first, checks a caption, and writes the front page and
// the first file's review.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { launch, watchedPage } from "./chromium.mjs";

const [binary, outDir, ...files] = process.argv.slice(2);
if (!binary || !outDir || !files.length) {
  console.error("usage: node serve-screenshots.mjs BINARY OUTDIR FILE...");
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const data = mkdtempSync(join(tmpdir(), "phi-redact-serve-"));
const server = spawn(binary, ["serve", "--port", "0", "--data", data], { stdio: ["ignore", "pipe", "inherit"] });
const url = await new Promise((resolve, reject) => {
  createInterface({ input: server.stdout }).on("line", (line) => {
    const found = line.match(/http:\/\/\S+/);
    if (found) resolve(found[0]);
  });
  server.on("exit", (code) => reject(new Error(`phi-redact serve exited with ${code}`)));
});
const browser = await launch();
let problems = [];
try {
  const watched = await watchedPage(browser, { server: new URL(url).origin, viewport: { width: 1280, height: 1000 } });
  const page = watched.page;
  problems = watched.problems;
  await page.goto(url);
  await page.fill("#reviewer", "Dana Reviewer");
  await page.locator("#reviewer").blur();
  await page.setInputFiles("#choose", files);
  await page.waitForFunction((n) => document.querySelectorAll("tr[data-id]").length === n &&
    !document.querySelector("tr[data-status=queued], tr[data-status=running], tr.sending"), files.length, { timeout: 600000 });
  // The first file reviewed and approved, as a person would in its review.
  await page.locator("a.review-link").first().click();
  await page.locator("section.file").waitFor();
  await page.screenshot({ path: join(outDir, "serve-review.png") });
  await Promise.all([page.waitForEvent("load"), page.locator("input.approve").click()]);
  await page.goto(new URL(url).origin + "/");
  await page.locator("a.download").first().waitFor();
  await page.fill("#caption", "So proud of Maria Gonzalez, who went home on 03/14/2024!");
  await page.click("#check-caption");
  await page.locator("#caption-result mark").first().waitFor();
  await page.screenshot({ path: join(outDir, "serve-front.png"), fullPage: true });
} finally {
  await browser.close();
  server.kill();
  rmSync(data, { recursive: true, force: true });
}
for (const p of problems) console.error(p);
console.log(`serve screenshots in ${outDir}`);
process.exit(problems.length ? 1 : 0);
