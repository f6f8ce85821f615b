//! End-to-end tests of `phi-redact redact` on real pixels and real files.

mod common;

use common::fixtures::{self, astronaut, crowd, phone_jpeg, png_bomb, ASTRONAUT_HEAD};
use common::{default_face_network, detail, face_core, file_entry, letters_hidden, phi_redact, redact, stderr, temp_dir};
use image::{DynamicImage, GenericImageView, ImageFormat, RgbImage};
use serde_json::Value;
use std::path::Path;

fn redacted_rects(entry: &Value) -> Vec<[u32; 4]> {
    entry["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let r = &f["redacted"];
            let n = |k: &str| r[k].as_u64().unwrap() as u32;
            [n("x"), n("y"), n("width"), n("height")]
        })
        .collect()
}

fn inside_any(x: u32, y: u32, rects: &[[u32; 4]]) -> bool {
    rects.iter().any(|&[rx, ry, rw, rh]| x >= rx && x < rx + rw && y >= ry && y < ry + rh)
}

fn save(image: &RgbImage, path: &Path) {
    image.save(path).unwrap();
}

#[test]
fn the_astronauts_face_is_blurred_beyond_recognition_and_nothing_else_changes() {
    let dir = temp_dir();
    let input = dir.path().join("astronaut.png");
    save(&astronaut(), &input);
    let out = dir.path().join("out");
    let (output, report) = redact(&[&input], &out, &[]);
    assert!(output.status.success(), "{}", stderr(&output));

    let entry = file_entry(&report, "astronaut.png");
    assert_eq!(entry["status"], "redacted");
    assert_eq!(entry["findings"].as_array().unwrap().len(), 1, "one face: {entry:#}");
    let before = astronaut();
    let after = image::open(out.join("astronaut.png")).unwrap().to_rgb8();
    assert_eq!(after.dimensions(), before.dimensions());

    let core = face_core(ASTRONAUT_HEAD);
    let (kept, had) = (detail(&after, core), detail(&before, core));
    assert!(kept < 0.15 * had, "face detail kept: {kept:.0} of {had:.0}");

    let rects = redacted_rects(entry);
    let changed_outside =
        before.enumerate_pixels().filter(|(x, y, p)| !inside_any(*x, *y, &rects) && after.get_pixel(*x, *y) != *p).count();
    assert_eq!(changed_outside, 0, "PNG output must equal the input outside the redaction");
}

/// The cat's face scores as a weak face (0.14 with the full network); with no person surely in
/// the photo it is not one, and the photo comes back as it was.
#[test]
fn a_cat_is_not_a_person_and_its_photo_comes_back_untouched() {
    let dir = temp_dir();
    let input = dir.path().join("chelsea.png");
    let cat = fixtures::cat();
    save(&cat, &input);
    let out = dir.path().join("out");
    let (output, report) = redact(&[&input], &out, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let entry = file_entry(&report, "chelsea.png");
    assert_eq!(entry["status"], "clean", "{entry:#}");
    assert_eq!(image::open(out.join("chelsea.png")).unwrap().to_rgb8(), cat, "the copy's pixels are the original's");
    assert_eq!(report["settings"]["keep_lone_weak_faces"], false);
}

/// Asked to keep lone weak faces (a lone person in poor light must not be missed), it blurs the
/// cat's face as a person's, and the report records that it was asked.
#[test]
fn asked_to_keep_weak_faces_it_blurs_the_cats_face_too() {
    let dir = temp_dir();
    let input = dir.path().join("chelsea.png");
    save(&fixtures::cat(), &input);
    let (output, report) = redact(&[&input], &dir.path().join("out"), &["--keep-weak-faces"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let entry = file_entry(&report, "chelsea.png");
    assert_eq!(entry["status"], "redacted", "{entry:#}");
    let faces: Vec<f64> =
        entry["findings"].as_array().unwrap().iter().filter(|f| f["kind"] == "face").map(|f| f["score"].as_f64().unwrap()).collect();
    assert!(!faces.is_empty() && faces.iter().all(|&score| score < 0.3), "weak faces only: {faces:?}");
    assert_eq!(report["settings"]["keep_lone_weak_faces"], true);
}

/// The astronaut with 70% of the face cut off by the left border, or (mirrored) the right:
/// what is left of the face, 27 px of it, loses its detail up to the border. Without the
/// detector's mirrored margins and the rectangle for a face cut by the border, 22-26% of it was
/// left.
#[test]
fn what_is_left_of_a_face_cut_by_the_image_border_is_blurred_to_the_border() {
    let dir = temp_dir();
    let [face_x0, face_x1] = [181, 270];
    let cut = face_x0 + (face_x1 - face_x0) * 7 / 10;
    let visible = face_x1 - cut;
    let cut_left = image::imageops::crop_imm(&astronaut(), cut, 0, 512 - cut, 512).to_image();
    let cut_right = image::imageops::flip_horizontal(&cut_left);
    save(&cut_left, &dir.path().join("cut-left.png"));
    save(&cut_right, &dir.path().join("cut-right.png"));
    let (output, _) = redact(&[dir.path()], &dir.path().join("out"), &["--no-text"]);
    assert!(output.status.success(), "{}", stderr(&output));
    for (name, before, face_part) in
        [("cut-left.png", &cut_left, [0, 70, visible, 100]), ("cut-right.png", &cut_right, [cut_left.width() - visible, 70, visible, 100])]
    {
        let after = image::open(dir.path().join("out").join(name)).unwrap().to_rgb8();
        let (kept, had) = (detail(&after, face_part), detail(before, face_part));
        assert!(kept < 0.15 * had, "{name}: face detail kept: {kept:.0} of {had:.0}");
    }
}

#[test]
fn box_mode_paints_solid_black_and_pixelate_leaves_a_few_blocks() {
    let dir = temp_dir();
    let input = dir.path().join("astronaut.png");
    save(&astronaut(), &input);

    let (output, report) = redact(&[&input], &dir.path().join("box"), &["--mode", "box"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let boxed = image::open(dir.path().join("box/astronaut.png")).unwrap().to_rgb8();
    let [x, y, w, h] = redacted_rects(file_entry(&report, "astronaut.png"))[0];
    assert!((y..y + h).all(|yy| (x..x + w).all(|xx| boxed.get_pixel(xx, yy).0 == [0, 0, 0])));

    let (output, report) = redact(&[&input], &dir.path().join("pix"), &["--mode", "pixelate"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let pixelated = image::open(dir.path().join("pix/astronaut.png")).unwrap().to_rgb8();
    let redacted = redacted_rects(file_entry(&report, "astronaut.png"))[0];
    assert_eq!(file_entry(&report, "astronaut.png")["findings"][0]["redacted"]["shape"], "ellipse");
    // The square inscribed in the ellipse: 70% of its width, centred.
    let [x, y, w, h] = redacted;
    let (x, y, w, h) = (x + w * 15 / 100, y + h * 15 / 100, w * 70 / 100, h * 70 / 100);
    let mut colours: Vec<[u8; 3]> =
        (y..y + h).flat_map(|yy| (x..x + w).map(move |xx| (xx, yy))).map(|(xx, yy)| pixelated.get_pixel(xx, yy).0).collect();
    colours.sort();
    colours.dedup();
    assert!(colours.len() <= 36, "{} distinct colours: more than a handful of blocks", colours.len());
}

#[test]
fn every_face_in_a_crowd_is_redacted_down_to_12_pixels() {
    let dir = temp_dir();
    let heights = [96, 48, 32, 24, 20, 16, 14, 12];
    let (image, heads) = crowd(&heights);
    let input = dir.path().join("crowd.png");
    save(&image, &input);
    let (output, _) = redact(&[&input], &dir.path().join("out"), &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let after = image::open(dir.path().join("out/crowd.png")).unwrap().to_rgb8();
    for (head, height) in heads.iter().zip(heights) {
        let core = face_core(*head);
        let (kept, had) = (detail(&after, core), detail(&image, core));
        assert!(kept < 0.5 * had, "{height}-px face kept {kept:.0} of {had:.0} detail");
    }
}

#[test]
fn a_phone_photo_comes_out_upright_with_no_metadata_at_all() {
    let dir = temp_dir();
    let input = dir.path().join("IMG_0001.JPG");
    let original = phone_jpeg(&fixtures::astronaut_landscape());
    std::fs::write(&input, &original).unwrap();
    assert!(exif::Reader::new().read_from_container(&mut std::io::Cursor::new(&original)).is_ok(), "fixture has EXIF");

    let (output, report) = redact(&[&input], &dir.path().join("out"), &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let bytes = std::fs::read(dir.path().join("out/IMG_0001.JPG")).unwrap();
    assert_eq!(image::guess_format(&bytes).unwrap(), ImageFormat::Jpeg);
    let decoded = image::load_from_memory(&bytes).unwrap();
    assert_eq!(decoded.dimensions(), (512, 384), "stored portrait, shown landscape");

    // The face was found where it is in the upright picture.
    let entry = file_entry(&report, "IMG_0001.JPG");
    let face = &entry["findings"][0]["box"];
    let (fx, fy) = (face[0].as_f64().unwrap(), face[1].as_f64().unwrap());
    assert!((150.0..210.0).contains(&fx) && (30.0..90.0).contains(&fy), "face at {fx},{fy}");

    assert!(exif::Reader::new().read_from_container(&mut std::io::Cursor::new(&bytes)).is_err(), "EXIF left in output");
    let contains = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    for needle in [b"Exif".as_slice(), b"SN-4711", b"PhoneMaker", b"http://ns.adobe.com/xap", b"Photoshop 3.0"] {
        assert!(!contains(needle), "output still contains {:?}", String::from_utf8_lossy(needle));
    }
    let image_starts = bytes.windows(2).filter(|w| *w == [0xFF, 0xD8]).count();
    assert_eq!(image_starts, 1, "an embedded thumbnail (a second JPEG) survived");
    assert!(!bytes.windows(2).any(|w| w == [0xFF, 0xFE]), "JPEG comment segment in output");
}

#[test]
fn broken_files_fail_closed_while_the_rest_of_the_batch_is_processed() {
    let dir = temp_dir();
    let inputs = dir.path().join("in");
    std::fs::create_dir_all(&inputs).unwrap();
    let good = phone_jpeg(&fixtures::astronaut_landscape());
    std::fs::write(inputs.join("truncated.jpg"), &good[..good.len() * 2 / 3]).unwrap();
    std::fs::write(inputs.join("empty.png"), b"").unwrap();
    std::fs::write(inputs.join("letter.jpg"), b"Dear Dr. Smith, please find attached...").unwrap();
    std::fs::write(inputs.join("bomb.png"), png_bomb(30_000, 30_000)).unwrap();
    let mut png = Vec::new();
    astronaut().write_to(&mut std::io::Cursor::new(&mut png), ImageFormat::Png).unwrap();
    std::fs::write(inputs.join("truncated.png"), &png[..png.len() / 2]).unwrap();
    std::fs::write(inputs.join("good.png"), &png).unwrap();
    std::fs::write(inputs.join("notes.txt"), b"not media").unwrap();

    let out = dir.path().join("out");
    let (output, report) = redact(&[&inputs], &out, &[]);
    assert_eq!(output.status.code(), Some(1), "non-zero exit when files failed");
    let err = stderr(&output);

    for (name, reason) in [
        ("truncated.jpg", "truncated"),
        ("empty.png", "empty"),
        ("letter.jpg", "not an image"),
        ("bomb.png", "limit"),
        ("truncated.png", ""),
    ] {
        let entry = file_entry(&report, name);
        assert_eq!(entry["status"], "failed", "{name}: {entry:#}");
        assert!(entry["reason"].as_str().unwrap().contains(reason), "{name}: {}", entry["reason"]);
        assert!(entry["output"].is_null());
        assert!(!out.join(name).exists(), "{name} must not be written");
        assert!(err.contains(name), "stderr does not name {name}: {err}");
    }
    assert_eq!(file_entry(&report, "good.png")["status"], "redacted");
    assert!(out.join("good.png").is_file());
    assert_eq!(file_entry(&report, "notes.txt")["status"], "skipped");
    assert!(!out.join("notes.txt").exists());
    assert_eq!(report["totals"]["failed"], 5);

    // `.phi-redact/` holds the resume records, which are meant to stay.
    let leftovers: Vec<_> =
        walk_names(&out).into_iter().filter(|n| n.contains(".tmp") || (n.starts_with(".phi") && n != ".phi-redact")).collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

fn walk_names(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect()
}

#[test]
fn formats_colour_types_and_sizes_are_kept() {
    let dir = temp_dir();
    let inputs = dir.path().join("in");
    std::fs::create_dir_all(inputs.join("nested/deeper")).unwrap();
    let photo = DynamicImage::ImageRgb8(fixtures::astronaut_landscape());
    let cases: Vec<(&str, DynamicImage, ImageFormat)> = vec![
        ("a.tif", photo.clone(), ImageFormat::Tiff),
        ("b.bmp", photo.clone(), ImageFormat::Bmp),
        ("c.webp", DynamicImage::ImageRgba8(photo.to_rgba8()), ImageFormat::WebP),
        ("nested/d16.png", DynamicImage::ImageRgb16(photo.to_rgb16()), ImageFormat::Png),
        ("nested/deeper/grey-alpha.png", DynamicImage::ImageLumaA8(photo.to_luma_alpha8()), ImageFormat::Png),
        ("e.jpeg", DynamicImage::ImageLuma8(photo.to_luma8()), ImageFormat::Jpeg),
    ];
    for (name, image, format) in &cases {
        image.save_with_format(inputs.join(name), *format).unwrap();
    }
    let out = dir.path().join("out");
    let (output, report) = redact(&[&inputs], &out, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    for (name, image, format) in &cases {
        let bytes = std::fs::read(out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(image::guess_format(&bytes).unwrap(), *format, "{name}");
        let back = image::load_from_memory(&bytes).unwrap();
        assert_eq!(back.dimensions(), image.dimensions(), "{name}");
        assert_eq!(back.color(), image.color(), "{name}");
        assert_eq!(file_entry(&report, name)["status"], "redacted", "{name}: face found in every format");
    }
}

#[test]
fn reruns_are_byte_identical_and_never_walk_their_own_output() {
    let dir = temp_dir();
    let inputs = dir.path().join("photos");
    std::fs::create_dir_all(&inputs).unwrap();
    std::fs::write(inputs.join("phone.jpg"), phone_jpeg(&fixtures::astronaut_landscape())).unwrap();
    save(&astronaut(), &inputs.join("astronaut.png"));
    let out = inputs.join("redacted");
    let original_bytes = std::fs::read(inputs.join("phone.jpg")).unwrap();

    let (first, report1) = redact(&[&inputs], &out, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let first_bytes = std::fs::read(out.join("phone.jpg")).unwrap();
    let (second, report2) = redact(&[&inputs], &out, &[]);
    assert!(second.status.success(), "{}", stderr(&second));

    assert_eq!(std::fs::read(out.join("phone.jpg")).unwrap(), first_bytes);
    assert_eq!(report1["totals"]["files"], 2);
    assert_eq!(report2["totals"]["files"], 2, "the output folder inside the input was walked");
    assert_eq!(file_entry(&report1, "phone.jpg")["output_sha256"], file_entry(&report2, "phone.jpg")["output_sha256"]);
    assert_eq!(std::fs::read(inputs.join("phone.jpg")).unwrap(), original_bytes, "input modified");
    assert_eq!(report1["schema_version"], 3);
    assert_eq!(report1["models"][0]["name"], default_face_network(), "still images need only one face network");
}

const WRISTBAND_LINES: [&str; 3] = ["SMITH, JOHN", "DOB 03/14/1962   MRN 00482913", "Allergies: penicillin"];

/// Writes the wristband fixture into `dir`; returns its path, pixels and line boxes.
fn wristband_input(dir: &Path) -> (std::path::PathBuf, RgbImage, Vec<[u32; 4]>) {
    let (image, line_boxes) = fixtures::wristband(&WRISTBAND_LINES, 28.0);
    let input = dir.join("wristband.png");
    save(&image, &input);
    (input, image, line_boxes)
}

#[test]
fn redact_all_text_boxes_out_every_letter_and_no_text_leaves_it() {
    let dir = temp_dir();
    let (input, image, _) = wristband_input(dir.path());

    let (output, report) = redact(&[&input], &dir.path().join("all-text"), &["--redact-all-text"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let entry = file_entry(&report, "wristband.png");
    let findings = entry["findings"].as_array().unwrap();
    assert!(findings.len() >= WRISTBAND_LINES.len(), "{entry:#}");
    assert!(findings.iter().all(|f| f["kind"] == "text" && f["redacted"]["mode"] == "box"), "{entry:#}");
    let models: Vec<&str> = report["models"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(models, [default_face_network(), "PP-OCRv6_tiny_det.onnx"], "the face network and text detector, no recognizer");

    let after = image::open(dir.path().join("all-text/wristband.png")).unwrap().to_rgb8();
    let ink: Vec<(u32, u32)> = image.enumerate_pixels().filter(|(_, _, p)| p.0.iter().all(|&c| c < 100)).map(|(x, y, _)| (x, y)).collect();
    assert!(ink.len() > 1000, "fixture draws text");
    // Black over the print, or where a level of a box held too little ink to count as print
    // (the tip of one letter's stroke), the band's own colour: no letter's shape is left.
    const BAND: [u8; 3] = [245, 245, 240];
    let uncovered = ink.iter().filter(|&&(x, y)| ![[0, 0, 0], BAND].contains(&after.get_pixel(x, y).0)).count();
    assert_eq!(uncovered, 0, "{uncovered} of {} ink pixels still visible", ink.len());
    for finding in findings {
        let r = &finding["redacted"];
        let [x, y, w, h] = ["x", "y", "width", "height"].map(|k| r[k].as_u64().unwrap() as u32);
        letters_hidden(&after, [x + 2, y + 2, w - 4, h - 4]).unwrap_or_else(|e| panic!("{e}: {finding}"));
    }
    assert_eq!(after.get_pixel(5, 5), image.get_pixel(5, 5), "background away from text untouched");

    let (output, report) = redact(&[&input], &dir.path().join("faces-only"), &["--no-text"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(file_entry(&report, "wristband.png")["status"], "clean");
    assert_eq!(image::open(dir.path().join("faces-only/wristband.png")).unwrap().to_rgb8(), image, "--no-text leaves text alone");
}

#[test]
fn boxes_painted_over_the_print_leave_no_letter_and_darken_less_of_the_band() {
    let dir = temp_dir();
    let (input, image, _) = wristband_input(dir.path());
    let run = |paint: &str| {
        let out = dir.path().join(paint);
        let (output, report) = redact(&[&input], &out, &["--redact-all-text", "--box-paint", paint]);
        assert!(output.status.success(), "{}", stderr(&output));
        assert_eq!(report["settings"]["box_paint"], paint);
        image::open(out.join("wristband.png")).unwrap().to_rgb8()
    };
    let (whole, over_print) = (run("whole"), run("over-print"));
    let changed = |after: &RgbImage| image.pixels().zip(after.pixels()).filter(|(a, b)| a != b).count();
    let (darkened_whole, darkened_over_print) = (changed(&whole), changed(&over_print));
    assert!(darkened_over_print * 10 < darkened_whole * 9, "{darkened_over_print} pixels changed against {darkened_whole}");
    // Every letter is gone: where the band held ink, and wherever a whole box was painted, the
    // copy is black or the band's paper.
    let is_ink = |p: &image::Rgb<u8>| p.0.iter().all(|&c| c < 100);
    let is_paper = |p: &image::Rgb<u8>| p.0.iter().all(|&c| c > 200);
    for ((original, boxed), painted) in image.pixels().zip(whole.pixels()).zip(over_print.pixels()) {
        if is_ink(original) {
            assert!(painted.0 == [0, 0, 0] || is_paper(painted), "a letter's pixel left as {painted:?}");
        }
        if boxed.0 == [0, 0, 0] && original.0 != [0, 0, 0] {
            assert!(painted.0 == [0, 0, 0] || is_paper(painted), "a box's pixel left as {painted:?}");
        }
    }
}

#[test]
fn by_default_only_the_phi_in_text_is_boxed_and_the_report_masks_it() {
    let dir = temp_dir();
    let (input, image, line_boxes) = wristband_input(dir.path());

    let (output, report) = redact(&[&input], &dir.path().join("out"), &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let after = image::open(dir.path().join("out/wristband.png")).unwrap().to_rgb8();
    let is_ink = |xx: u32, yy: u32| image.get_pixel(xx, yy).0.iter().all(|&c| c < 100);
    let ink =
        |[x, y, w, h]: [u32; 4]| (y..y + h).flat_map(|yy| (x..x + w).map(move |xx| (xx, yy))).filter(|&(xx, yy)| is_ink(xx, yy)).count();
    let ink_left = |[x, y, w, h]: [u32; 4]| {
        (y..y + h)
            .flat_map(|yy| (x..x + w).map(move |xx| (xx, yy)))
            .filter(|&(xx, yy)| is_ink(xx, yy) && after.get_pixel(xx, yy).0 != [0, 0, 0])
            .count()
    };
    assert_eq!(ink_left(line_boxes[0]), 0, "name line still visible");
    // Of "DOB 03/14/1962   MRN 00482913" the date and number go, boxed as one part (they are
    // a few characters apart); the "DOB" label stays.
    let second = line_boxes[1];
    assert!(ink_left(second) * 3 < ink(second), "{} of {} ink pixels left on the DOB/MRN line", ink_left(second), ink(second));
    assert!(ink_left(line_boxes[2]) > 100, "the allergy line carries no PHI and stays");

    let entry = file_entry(&report, "wristband.png");
    let texts: Vec<&Value> = entry["findings"].as_array().unwrap().iter().map(|f| &f["text"]).collect();
    let masked: Vec<&str> = texts.iter().map(|t| t["masked"].as_str().unwrap()).collect();
    assert_eq!(masked, ["S****, J***", "**/**/**** M** ********"], "{entry:#}");
    assert!(texts[1]["categories"].as_array().unwrap().iter().any(|c| c == "medical_record_number"));
    assert!(texts[1]["reasons"][0].as_str().unwrap().contains("dob"), "{entry:#}");
    assert!(texts.iter().all(|t| t["risk"].as_f64().unwrap() >= 0.5));
    // Every string in the report, keys too: a timing of 1962 ms is no leak of the year 1962.
    let strings = strings_in(&report).join("\n");
    for secret in ["SMITH", "JOHN", "1962", "00482913"] {
        assert!(!strings.contains(secret), "report leaks {secret}");
    }
}

fn strings_in(value: &Value) -> Vec<String> {
    match value {
        Value::String(text) => vec![text.clone()],
        Value::Array(items) => items.iter().flat_map(strings_in).collect(),
        Value::Object(fields) => fields.iter().flat_map(|(key, field)| std::iter::once(key.clone()).chain(strings_in(field))).collect(),
        _ => Vec::new(),
    }
}

#[test]
fn check_is_a_yes_no_gate_that_writes_nothing() {
    let dir = temp_dir();
    let (wristband, _, _) = wristband_input(dir.path());
    let (sign, _) = fixtures::wristband(&["Wash your hands", "Cardiology - 3rd floor", "Open 24 hours"], 28.0);
    let control = dir.path().join("sign.png");
    save(&sign, &control);
    let files_before = walk_names(dir.path());

    let clean = phi_redact(&["check", control.to_str().unwrap()]);
    assert_eq!(clean.status.code(), Some(0), "{}", stderr(&clean));
    assert!(String::from_utf8_lossy(&clean.stdout).trim_end().ends_with("sign.png: clean"));

    let flagged = phi_redact(&["check", control.to_str().unwrap(), wristband.to_str().unwrap(), "--format", "json"]);
    assert_eq!(flagged.status.code(), Some(1), "{}", stderr(&flagged));
    let files: Value = serde_json::from_slice(&flagged.stdout).expect("JSON verdicts");
    let wristband_entry = files.as_array().unwrap().iter().find(|f| f["input"].as_str().unwrap().ends_with("wristband.png")).unwrap();
    assert_ne!(wristband_entry["status"], "clean");
    assert!(wristband_entry["output"].is_null());

    let broken = dir.path().join("broken.png");
    std::fs::write(&broken, b"not a png").unwrap();
    let failed = phi_redact(&["check", broken.to_str().unwrap()]);
    assert_eq!(failed.status.code(), Some(2), "{}", stderr(&failed));
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, b"not media").unwrap();
    let skipped = phi_redact(&["check", notes.to_str().unwrap(), control.to_str().unwrap()]);
    assert_eq!(skipped.status.code(), Some(2), "a file that was not analysed is not safe to post");
    assert_eq!(walk_names(dir.path()).len(), files_before.len() + 2, "check writes nothing");
}

#[test]
fn tesseract_reads_the_wristband_too_and_the_report_names_the_engine() {
    let dir = temp_dir();
    let (input, _, _) = wristband_input(dir.path());
    for (engine, expected) in [("tesseract", vec!["tesseract"]), ("both", vec!["pp-ocrv6", "tesseract"])] {
        let (output, report) = redact(&[&input], &dir.path().join(engine), &["--ocr", engine]);
        assert!(output.status.success(), "{}", stderr(&output));
        let entry = file_entry(&report, "wristband.png");
        let texts: Vec<&Value> = entry["findings"].as_array().unwrap().iter().map(|f| &f["text"]).collect();
        let categories: Vec<&str> = texts.iter().flat_map(|t| t["categories"].as_array().unwrap()).filter_map(|c| c.as_str()).collect();
        for category in ["name", "date", "medical_record_number"] {
            assert!(categories.contains(&category), "{engine}: {category} missing in {entry:#}");
        }
        let mut engines: Vec<&str> = texts.iter().filter_map(|t| t["ocr_engine"].as_str()).collect();
        engines.sort();
        engines.dedup();
        assert!(expected.iter().any(|e| engines.contains(e)), "{engine}: {engines:?}");
    }
}
