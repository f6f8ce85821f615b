//! The review page in a real browser (Debian's Chromium, driven by playwright-core from
//! tests/browser/review.test.mjs; `make setup` installs both), and `apply` of the decisions a
//! reviewer exports from it.

mod common;

use common::fixtures::{astronaut, crowd, repo_path};
use common::{file_entry, phi_redact, redact, stderr, temp_dir};
use image::Rgb;
use phi_redact::report::{Report, Status, TextDetails};
use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;

/// A file name and OCR text that would run script if the page ever treated them as markup.
const HOSTILE_NAME: &str = "<img src=x onerror=window.pwned=1>.png";
const HOSTILE_TEXT: &str = "</script><script>window.pwned=1</script>";

#[test]
fn a_reviewer_unredacts_one_finding_and_adds_one_box_and_apply_changes_exactly_those_pixels() {
    let dir = temp_dir();
    let (inputs, out) = (dir.path().join("in"), dir.path().join("out"));
    std::fs::create_dir_all(&inputs).unwrap();
    let (crowd_image, _) = crowd(&[120, 100, 90, 80]);
    crowd_image.save(inputs.join("crowd.png")).unwrap();
    astronaut().save(inputs.join(HOSTILE_NAME)).unwrap();
    std::fs::copy(repo_path("samples/halloween.png"), inputs.join("clean.png")).unwrap();
    let (output, report) = redact(&[&inputs], &out, &[]);
    assert!(output.status.success(), "{}", stderr(&output));

    let crowd_entry = file_entry(&report, "crowd.png");
    let findings = crowd_entry["findings"].as_array().unwrap();
    assert!(findings.len() >= 2, "the crowd's faces are found: {crowd_entry:#}");
    let unredacted = rect(&findings[0]["redacted"]);
    // A box in the empty bottom-right corner, clear of every finding.
    let added = [900, 680, 60, 40];
    assert!(findings.iter().all(|f| !overlaps(rect(&f["redacted"]), added)), "the added box must be clear of findings");

    let page = out.join("phi-redact-report.html");
    let hostile_page = write_hostile_page(&report, &out);
    let decisions = dir.path().join("decisions.json");
    let files = report["files"].as_array().unwrap();
    let plan = json!({
        "page": page, "hostile_page": hostile_page, "decisions": decisions,
        "files": files.len(),
        "clean_files": files.iter().filter(|f| f["status"] == "clean").count(),
        "files_with_faces": files.iter().filter(|f| f["findings"].as_array().unwrap().iter().any(|x| x["kind"] == "face")).count(),
        "hostile_strings": [HOSTILE_NAME, HOSTILE_TEXT],
        "decide": {
            "file": "crowd.png", "not_phi": 0, "note": "Staff photo, consent on file <b>ok</b>", "reviewer": "Dana Reviewer",
            "box": { "x": added[0], "y": added[1], "width": added[2], "height": added[3] },
        },
    });
    let plan_path = dir.path().join("plan.json");
    std::fs::write(&plan_path, plan.to_string()).unwrap();
    run_browser_test(&plan_path);

    let output_path = out.join("crowd.png");
    let before = image::open(&output_path).unwrap().to_rgb8();
    let applied = phi_redact(&["apply", decisions.to_str().unwrap()]);
    assert!(applied.status.success(), "{}", stderr(&applied));
    let after = image::open(&output_path).unwrap().to_rgb8();

    let (mut in_unredacted, mut in_added) = (0, 0);
    for (x, y, pixel) in after.enumerate_pixels() {
        if inside(added, x, y) {
            assert_eq!(*pixel, Rgb([0, 0, 0]), "the added box is solid at ({x}, {y})");
            in_added += 1;
        } else if pixel != before.get_pixel(x, y) {
            assert!(inside(unredacted, x, y), "({x}, {y}) changed outside both decisions");
            assert_eq!(pixel, crowd_image.get_pixel(x, y), "unredacted pixels come back from the original");
            in_unredacted += 1;
        }
    }
    assert!(in_unredacted > 1000 && in_added == 60 * 40, "{in_unredacted} unredacted, {in_added} boxed");

    let report: Value = serde_json::from_slice(&std::fs::read(out.join("phi-redact-report.json")).unwrap()).unwrap();
    let entry = file_entry(&report, "crowd.png");
    assert_eq!(entry["findings"][0]["review"]["decision"], "not_phi");
    assert_eq!(entry["findings"].as_array().unwrap().last().unwrap()["kind"], "manual");
    assert_eq!(entry["review"]["approved_by"], "Dana Reviewer");
    assert_eq!(entry["status"], "redacted");
    let actions: Vec<&str> = report["audit"].as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap()).collect();
    // The report lies in the output folder, beside the public copies: the reviewer's note,
    // which may name the patient, is not kept there.
    let note_not_kept = "note not kept: the report lies in the output folder, beside the public copies";
    assert_eq!(actions, ["unredacted finding 0 (face) as not PHI", "added a box at x 900, y 680, 60x40", note_not_kept, "approved"]);
    assert!(entry["review"].get("note").is_none(), "{entry:#}");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("Dana Reviewer"), "the page is redrawn with the audit trail");

    // The same run again keeps the reviewed copy: its record was updated by apply.
    let reviewed = std::fs::read(&output_path).unwrap();
    let (rerun, report) = redact(&[&inputs], &out, &[]);
    assert!(rerun.status.success(), "{}", stderr(&rerun));
    let entry = file_entry(&report, "crowd.png");
    assert_eq!((&entry["status"], &entry["result_status"]), (&json!("unchanged"), &json!("redacted")), "{entry:#}");
    assert_eq!(entry["findings"][0]["review"]["decision"], "not_phi");
    assert_eq!(std::fs::read(&output_path).unwrap(), reviewed, "the reviewed copy stands");

    // Decisions are made on one version of an output: applied again, they are stale.
    let again = phi_redact(&["apply", decisions.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1), "{}", stderr(&again));
    assert!(stderr(&again).contains("has changed since these decisions were made"), "{}", stderr(&again));
}

/// The run's report with markup planted in every kind of string the page shows, as a page of
/// its own beside the real one, with the originals and raw text shown.
fn write_hostile_page(report: &Value, out: &Path) -> std::path::PathBuf {
    let mut hostile: Report = serde_json::from_value(report.clone()).expect("the report reads back typed");
    // Shown as a run with --report-originals and --report-raw-text would be.
    hostile.settings.report_originals = true;
    hostile.settings.report_raw_text = true;
    let entry = hostile.files.iter_mut().find(|f| f.status == Status::Redacted).unwrap();
    entry.reason = Some(HOSTILE_TEXT.into());
    entry.findings[0].text = Some(TextDetails {
        masked: HOSTILE_TEXT.into(),
        raw: Some(HOSTILE_TEXT.into()),
        needs_review: true,
        ocr_engine: HOSTILE_TEXT.into(),
        ocr_confidence: 0.9,
        categories: Vec::new(),
        risk: 0.9,
        reasons: vec![HOSTILE_TEXT.into()],
    });
    let page = out.join("hostile.html");
    phi_redact::review::write_page(&hostile, &out.join("phi-redact-report.json"), &page).unwrap();
    page
}

fn run_browser_test(plan: &Path) {
    let script = repo_path("tests/browser/review.test.mjs");
    let run = Command::new("node").arg(&script).arg(plan).output().expect("node (run `make setup`)");
    let log = format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    assert!(run.status.success(), "browser test failed:\n{log}");
    println!("{log}");
}

fn rect(redacted: &Value) -> [u32; 4] {
    ["x", "y", "width", "height"].map(|k| redacted[k].as_u64().unwrap() as u32)
}

fn inside([x0, y0, w, h]: [u32; 4], x: u32, y: u32) -> bool {
    x >= x0 && y >= y0 && x < x0 + w && y < y0 + h
}

fn overlaps(a: [u32; 4], b: [u32; 4]) -> bool {
    a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3]
}

/// The reports hold what was found, masked: no labelled PHI string of the development set
/// appears in the JSON report's strings or anywhere in the page.
#[test]
#[cfg_attr(not(shared_dev_set), ignore = "needs the shared development set, ../shared/eval/dev")]
fn no_labelled_phi_string_of_the_dev_set_is_in_either_report_by_default() {
    let dev = common::dev_set().expect("the shared development set");
    let labels: Value = serde_json::from_slice(&std::fs::read(dev.join("labels.json")).unwrap()).unwrap();
    let phi: Vec<String> = labels["images"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|image| image["phi_text"].as_array().unwrap())
        .map(|label| label["text"].as_str().unwrap().to_string())
        .filter(|text| text.trim().len() >= 3)
        .collect();
    assert!(phi.len() >= 30, "{} labelled strings", phi.len());
    let out = temp_dir();
    let (output, report) = redact(&[&dev.join("images")], out.path(), &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(report["totals"]["text_regions"].as_u64().unwrap() >= 20, "PHI text was found and reported");

    // Every string in the JSON but hashes (hex digits can spell a number by chance).
    let mut strings = Vec::new();
    collect_strings(&report, "", &mut strings);
    let page = std::fs::read_to_string(out.path().join("phi-redact-report.html")).unwrap();
    for text in &phi {
        assert!(!strings.iter().any(|s| s.contains(text.as_str())), "{text:?} is in the JSON report");
        assert!(!page.contains(text.as_str()), "{text:?} is in the review page");
    }
}

fn collect_strings(value: &Value, key: &str, into: &mut Vec<String>) {
    match value {
        Value::String(s) if !key.ends_with("sha256") => into.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| collect_strings(v, key, into)),
        Value::Object(map) => map.iter().for_each(|(k, v)| collect_strings(v, k, into)),
        _ => {}
    }
}
