// Screenshots of a review page: `node tests/browser/screenshots.mjs PAGE.html OUTDIR`
// (`make screenshots` runs it on the demo's report). Writes the top of the page, the whole
// page, and the first file enlarged.
import { mkdirSync } from "node:fs";
import { resolve, join } from "node:path";
import { launch, watchedPage, fileUrl } from "./chromium.mjs";

const [pagePath, outDir] = process.argv.slice(2);
if (!pagePath || !outDir) {
  console.error("usage: node screenshots.mjs REPORT.html OUTDIR");
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const browser = await launch();
const { page, problems } = await watchedPage(browser);
await page.goto(fileUrl(resolve(pagePath)));
// Images load lazily as a person scrolls; a screenshot of the whole page wants them all.
await page.$$eval("img", (images) => images.forEach((img) => { img.loading = "eager"; }));
await page.waitForLoadState("networkidle");
await page.screenshot({ path: join(outDir, "review-top.png") });
await page.screenshot({ path: join(outDir, "review-full.png"), fullPage: true });
const enlarge = page.locator("button.enlarge").first();
if (await enlarge.count()) {
  await enlarge.click();
  await page.locator("section.file").first().screenshot({ path: join(outDir, "review-file-enlarged.png") });
}
await browser.close();
for (const p of problems) console.error(p);
console.log(`screenshots in ${outDir}`);
process.exit(problems.length ? 1 : 0);
