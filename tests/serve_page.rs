//! `phi-redact serve` in a real browser (Debian's Chromium, driven by playwright-core from
//! tests/browser/serve.test.mjs): a photo dropped, reviewed, approved and downloaded, and a
//! caption checked; then the downloaded copy's pixels.

mod common;

use common::fixtures::repo_path;
use common::serve::{wristband_and_face, Served};
use common::{letters_hidden, temp_dir};
use serde_json::{json, Value};
use std::process::Command;

#[test]
fn a_social_team_member_posts_one_photo_and_its_caption() {
    let dir = temp_dir();
    let original = wristband_and_face();
    let photo = dir.path().join("ward-photo.png");
    original.save(&photo).unwrap();
    let served = Served::start(&dir.path().join("data"), &[]);
    let download = dir.path().join("downloaded.png");
    // Clear of the band and the face: bottom right.
    let added = [760, 700, 60, 40];
    let plan = json!({
        "url": format!("{}/?token={}", served.url, served.token),
        "photo": photo, "photo_name": "ward-photo.png", "reviewer": "Dana Reviewer", "download": download,
        "box": { "x": added[0], "y": added[1], "width": added[2], "height": added[3] },
        "caption": "So proud of Maria Gonzalez, who went home on 03/14/2024!",
        "caption_name": "Maria Gonzalez", "caption_date": "03/14/2024",
        "clean_caption": "Happy Nurses Week from 4 West!",
    });
    let plan_path = dir.path().join("plan.json");
    std::fs::write(&plan_path, plan.to_string()).unwrap();
    let run =
        Command::new("node").arg(repo_path("tests/browser/serve.test.mjs")).arg(&plan_path).output().expect("node (run `make setup`)");
    let log = format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    assert!(run.status.success(), "browser test failed:\n{log}");

    let files: Value = served.get("/api/v1/files").json().unwrap();
    let entry = &files["files"][0];
    assert_eq!(entry["review"]["approved_by"], "Dana Reviewer", "{entry:#}");
    let findings = entry["findings"].as_array().unwrap();
    let unredacted: Vec<&Value> = findings.iter().filter(|f| f["review"]["decision"] == "not_phi").collect();
    assert_eq!(unredacted.len(), 1, "{entry:#}");
    assert_eq!(findings.last().unwrap()["kind"], "manual");

    let copy = image::open(&download).unwrap().to_rgb8();
    let inside = |[x, y, w, h]: [u32; 4]| (y..y + h).flat_map(move |row| (x..x + w).map(move |column| (column, row)));
    let redacted = |finding: &Value| {
        let r = &finding["redacted"];
        let [x, y, w, h] = ["x", "y", "width", "height"].map(|key| r[key].as_u64().unwrap() as u32);
        [x + 2, y + 2, w - 4, h - 4]
    };
    assert!(inside(redacted(unredacted[0])).all(|(x, y)| copy.get_pixel(x, y) == original.get_pixel(x, y)), "Not PHI is shown as it was");
    assert!(inside(added).all(|(x, y)| copy.get_pixel(x, y).0 == [0, 0, 0]), "the added box is solid");
    for finding in findings.iter().filter(|f| f["kind"] == "text" && f["review"].is_null()) {
        letters_hidden(&copy, redacted(finding)).unwrap_or_else(|e| panic!("text kept redacted stays boxed: {e}: {finding}"));
    }
    let face = findings.iter().find(|f| f["kind"] == "face").expect("the face");
    let changed = inside(redacted(face)).filter(|&(x, y)| copy.get_pixel(x, y) != original.get_pixel(x, y)).count();
    let [_, _, w, h] = redacted(face);
    assert!(changed as f64 > 0.5 * f64::from(w * h), "the face is blurred: {changed} of {} pixels changed", w * h);
}
