//! `--image-format keep|jpeg|png`: every still image's copy in one format, named for it, with
//! what a JPEG cannot hold (transparency, 16 bits) converted as a viewer would show it; and
//! `apply` re-rendering a copy in the format its run chose.

mod common;

use common::fixtures::{astronaut, phone_heic, wristband, ASTRONAUT_HEAD};
use common::{detail, file_entry, phi_redact, redact, stderr, temp_dir};
use image::{DynamicImage, GenericImageView, ImageFormat, Rgba, RgbaImage};
use phi_redact::media::alpha::over_white;
use serde_json::json;
use std::path::{Path, PathBuf};

/// A wristband exported with a transparent background, 16 bits a channel: its text is dark
/// and opaque, the band around it see-through.
fn transparent_band() -> DynamicImage {
    let (band, _) = wristband(&["SMITH, JOHN", "MRN 00482913"], 40.0);
    let rgba = RgbaImage::from_fn(band.width(), band.height(), |x, y| {
        let [r, g, b] = band.get_pixel(x, y).0;
        let ink = u16::from(r) + u16::from(g) + u16::from(b) < 300;
        Rgba([r, g, b, if ink { 255 } else { 0 }])
    });
    DynamicImage::ImageRgba16(DynamicImage::ImageRgba8(rgba).to_rgba16())
}

/// The three stills in `dir`: an RGB PNG with a face, a transparent 16-bit PNG with PHI text
/// and a phone HEIC.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).unwrap();
    let paths = ["astronaut.png", "band.png", "IMG_0001.HEIC"].map(|name| dir.join(name));
    astronaut().save(&paths[0]).unwrap();
    transparent_band().save(&paths[1]).unwrap();
    std::fs::write(&paths[2], phone_heic(&common::fixtures::astronaut_landscape())).unwrap();
    paths.to_vec()
}

#[test]
fn every_still_is_copied_in_the_format_asked_for_and_named_for_it() {
    let dir = temp_dir();
    let inputs = inputs(&dir.path().join("in"));
    let input_refs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    for (choice, format, names) in [
        ("jpeg", ImageFormat::Jpeg, ["astronaut.jpg", "band.jpg", "IMG_0001.jpg"]),
        ("png", ImageFormat::Png, ["astronaut.png", "band.png", "IMG_0001.png"]),
    ] {
        let out = dir.path().join(choice);
        let (run, report) = redact(&input_refs, &out, &["--image-format", choice]);
        assert!(run.status.success(), "{choice}: {}", stderr(&run));
        assert_eq!(report["settings"]["image_format"], choice);
        for (input, name) in inputs.iter().zip(names) {
            let entry = file_entry(&report, input.file_name().unwrap().to_str().unwrap());
            assert!(entry["output"].as_str().unwrap().ends_with(name), "{choice}: {entry:#}");
            let bytes = std::fs::read(out.join(name)).unwrap();
            assert_eq!(image::guess_format(&bytes).unwrap(), format, "{choice}: {name}");
        }
        let face = image::open(out.join(names[0])).unwrap().to_rgb8();
        assert!(detail(&face, ASTRONAUT_HEAD) < 0.3 * detail(&astronaut(), ASTRONAUT_HEAD), "{choice}: the face is blurred");
        // The band's PHI, boxed, cannot show through whatever the copy does with transparency.
        let shown = over_white(&image::open(out.join(names[1])).unwrap().to_rgba8());
        let original = over_white(&transparent_band().to_rgba8());
        let text = file_entry(&report, "band.png")["findings"].as_array().unwrap().clone();
        assert!(text.iter().filter(|f| f["kind"] == "text").count() >= 2, "{choice}: the name and the MRN are found");
        for finding in text.iter().filter(|f| f["kind"] == "text") {
            let rect = ["x", "y", "width", "height"].map(|k| finding["redacted"][k].as_u64().unwrap() as u32);
            let inner = [rect[0] + 2, rect[1] + 2, rect[2] - 4, rect[3] - 4]; // JPEG softens the box's edge
            let (before, after) = (detail(&original, inner), detail(&shown, inner));
            assert!(after < 0.02 * before, "{choice}: text at {rect:?} keeps {after:.0} of {before:.0} detail");
        }
        assert_eq!(image::open(out.join(names[2])).unwrap().dimensions(), (512, 384), "{choice}: the HEIC upright");
    }
}

#[test]
fn apply_renders_a_copy_again_in_the_format_its_run_chose() {
    let dir = temp_dir();
    let input = dir.path().join("astronaut.png");
    astronaut().save(&input).unwrap();
    let out = dir.path().join("out");
    let (run, report) = redact(&[&input], &out, &["--image-format", "jpeg"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let entry = file_entry(&report, "astronaut.png");
    let decisions = json!({
        "kind": "phi-redact-decisions", "schema_version": 1, "report": out.join("phi-redact-report.json"), "reviewer": "R",
        "exported_at": "2026-01-01T00:00:00Z",
        "files": [{ "input": entry["input"], "output_sha256": entry["output_sha256"], "not_phi": [0] }],
    });
    let decisions_path = dir.path().join("decisions.json");
    std::fs::write(&decisions_path, decisions.to_string()).unwrap();
    let applied = phi_redact(&["apply", decisions_path.to_str().unwrap()]);
    assert!(applied.status.success(), "{}", stderr(&applied));

    let bytes = std::fs::read(out.join("astronaut.jpg")).unwrap();
    assert_eq!(image::guess_format(&bytes).unwrap(), ImageFormat::Jpeg, "still the run's format");
    let face = image::load_from_memory(&bytes).unwrap().to_rgb8();
    let (original, now) = (detail(&astronaut(), ASTRONAUT_HEAD), detail(&face, ASTRONAUT_HEAD));
    assert!(now > 0.8 * original, "unredacted as decided: {now:.0} of {original:.0} detail");
    assert!(!out.join("astronaut.png").exists(), "no copy in another format beside it");
}
