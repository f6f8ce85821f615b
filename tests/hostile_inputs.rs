//! Inputs made to slip PHI past the redaction: each test builds one, runs the real binary on it
//! and checks, on the output's pixels, that nothing a viewer could see is left.

mod common;

use common::fixtures::{self, astronaut, ASTRONAUT_HEAD, FONT};
use common::{detail, face_core, file_entry, phi_redact, redact, stderr, temp_dir};
use image::{imageops, GrayImage, Luma, Rgb, RgbImage, Rgba, RgbaImage};
use indicatif::ProgressBar;
use phi_redact::batch::run_parallel;
use phi_redact::config::Settings;
use phi_redact::detect::{Barcode, Region, ScalePlan};
use phi_redact::engine_pool::{EnginePool, EngineSet};
use phi_redact::engines::Analyser;
use phi_redact::geometry::Quad;
use phi_redact::job::FileJob;
use phi_redact::ocr::ReadText;
use phi_redact::phi::{Assessment, TextLine};
use phi_redact::report::Status;
use serde_json::json;
use std::path::Path;

/// Draws `text` `height` px tall at (`x`, `y`) in `colour`; returns its `[x, y, w, h]`.
fn draw(image: &mut GrayImage, text: &str, x: i32, y: i32, height: f32, colour: u8) -> [u32; 4] {
    let bytes = std::fs::read(FONT).unwrap_or_else(|e| panic!("{FONT}: {e} (run `make setup`)"));
    let font = ab_glyph::FontRef::try_from_slice(&bytes).expect("a TrueType font");
    imageproc::drawing::draw_text_mut(image, Luma([colour]), x, y, height, &font, text);
    let (w, h) = imageproc::drawing::text_size(height, &font, text);
    [x as u32, y as u32, w, h]
}

/// `image` laid over a flat grey `background`, as a viewer shows it.
fn over(image: &RgbaImage, background: u8) -> RgbImage {
    RgbImage::from_fn(image.width(), image.height(), |x, y| {
        let [r, g, b, a] = image.get_pixel(x, y).0.map(u32::from);
        let mix = |c: u32| ((c * a + u32::from(background) * (255 - a)) / 255) as u8;
        Rgb([mix(r), mix(g), mix(b)])
    })
}

/// Pixels of `area` brighter than mid-grey.
fn bright_pixels(image: &RgbImage, [x, y, w, h]: [u32; 4]) -> usize {
    (y..y + h).flat_map(|yy| (x..x + w).map(move |xx| (xx, yy))).filter(|&(xx, yy)| image.get_pixel(xx, yy)[0] > 128).count()
}

/// A transparent export as signature and overlay tools write it: the picture is in the alpha
/// channel alone. The upper part is black ink (colours all 0) that shows over a white page, a
/// name, a date of birth and the astronaut's face among it; the lower part is white ink (colours
/// all 255) that shows only over a dark one. Dropping alpha leaves a black and a white slab.
/// Returns the image, the name's and the date's boxes, the face and the record number's box.
fn transparent_export() -> (RgbaImage, [[u32; 4]; 2], [u32; 4], [u32; 4]) {
    let (width, height, split) = (900, 560, 400);
    let mut ink = GrayImage::new(width, height);
    // Labels and values drawn apart, for the values' boxes: the labels are not PHI and stay.
    let label = draw(&mut ink, "Patient:", 40, 60, 36.0, 255);
    let name = draw(&mut ink, "John Smith", 40 + label[2] as i32 + 12, 60, 36.0, 255);
    let label = draw(&mut ink, "DOB", 40, 140, 36.0, 255);
    let born = draw(&mut ink, "03/14/1962", 40 + label[2] as i32 + 12, 140, 36.0, 255);
    let [hx, hy, hw, hh] = ASTRONAUT_HEAD;
    let head = imageops::grayscale(&imageops::crop_imm(&astronaut(), hx, hy, hw, hh).to_image());
    let (face_x, face_y) = (620, 80);
    for (x, y, p) in head.enumerate_pixels() {
        // Dark where the photo is dark: over white the face shows as it was.
        ink.put_pixel(face_x + x, face_y + y, Luma([255 - p[0]]));
    }
    let label = draw(&mut ink, "MRN", 40, split as i32 + 50, 40.0, 255);
    let mrn = draw(&mut ink, "00482913", 40 + label[2] as i32 + 14, split as i32 + 50, 40.0, 255);
    let image = RgbaImage::from_fn(width, height, |x, y| {
        let colour = if y < split { 0 } else { 255 };
        Rgba([colour, colour, colour, ink.get_pixel(x, y)[0]])
    });
    (image, [name, born], [face_x, face_y, hw, hh], mrn)
}

/// Item 1 of the fail-closed issue: with alpha dropped this image came out clean, and showed
/// the name, date of birth, face and record number over any page.
#[test]
fn text_and_a_face_held_in_alpha_are_redacted_as_seen_over_white_and_over_black() {
    let dir = temp_dir();
    let (image, values, face, record_number) = transparent_export();
    let input = dir.path().join("overlay.png");
    image.save(&input).unwrap();
    let (before_white, before_black) = (over(&image, 255), over(&image, 0));
    assert!(bright_pixels(&before_black, record_number) > 500, "the record number shows over black");

    let (output, report) = redact(&[&input], &dir.path().join("out"), &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let entry = file_entry(&report, "overlay.png");
    assert_eq!(entry["status"], "redacted", "{entry:#}");
    let kinds: Vec<&str> = entry["findings"].as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.iter().filter(|&&k| k == "face").count(), 1, "one face, found once: {entry:#}");

    let after = image::open(dir.path().join("out/overlay.png")).unwrap();
    assert!(after.color().has_alpha(), "transparency is kept");
    let after = after.to_rgba8();
    let (after_white, after_black) = (over(&after, 255), over(&after, 0));
    for line in values {
        // Over white the value was black ink on white; boxed, it is black through.
        let (had, left) = (bright_pixels(&before_white, line), bright_pixels(&after_white, line));
        assert!(left * 10 < had, "value {line:?} still shows over white: {left} of {had} light pixels left");
    }
    let core = face_core(face);
    let (kept, had) = (detail(&after_white, core), detail(&before_white, core));
    assert!(kept < 0.15 * had, "face detail kept over white: {kept:.0} of {had:.0}");
    assert_eq!(bright_pixels(&after_black, record_number), 0, "the record number still shows over black");
}

/// Every file under `dir` whose bytes hold any of `strings`, with the string.
fn files_holding(dir: &Path, strings: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(dir).into_iter().map(Result::unwrap).filter(|e| e.file_type().is_file()) {
        let bytes = std::fs::read(entry.path()).unwrap();
        for string in strings.iter().filter(|s| bytes.windows(s.len()).any(|w| w == s.as_bytes())) {
            found.push(format!("{}: {string}", entry.path().display()));
        }
    }
    found
}

/// Item 2: the text read and a reviewer's note go only into a report outside the output
/// folder. The resume records under it held whole results, raw text and notes included.
#[test]
fn nothing_private_is_left_in_the_output_folder() {
    let dir = temp_dir();
    let (inputs, public, private) = (dir.path().join("in"), dir.path().join("pub"), dir.path().join("private/report.json"));
    std::fs::create_dir_all(&inputs).unwrap();
    let (image, _) = fixtures::wristband(&["SMITH, JOHN", "DOB 03/14/1962   MRN 00482913"], 28.0);
    image.save(inputs.join("band.png")).unwrap();
    let secrets = ["SMITH, JOHN", "03/14/1962", "00482913", "Mr Smith's own band"];

    let redact_reporting_to = |report: &Path| {
        let (inputs, public, report) = (inputs.to_str().unwrap(), public.to_str().unwrap(), report.to_str().unwrap());
        phi_redact(&["redact", inputs, "--out", public, "--quiet", "--report-raw-text", "--report", report])
    };
    let run = redact_reporting_to(&private);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(!files_holding(private.parent().unwrap(), &["00482913"]).is_empty(), "the private report holds the text read");

    // A reviewer approves the copy with a note naming the patient.
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&private).unwrap()).unwrap();
    let entry = file_entry(&report, "band.png");
    let decisions = json!({
        "kind": "phi-redact-decisions", "schema_version": 1, "report": private, "reviewer": "R", "exported_at": "2026-01-01T00:00:00Z",
        "files": [{ "input": entry["input"], "output_sha256": entry["output_sha256"], "note": secrets[3], "approved_at": "2026-01-01T00:00:00Z" }],
    });
    let decisions_path = dir.path().join("decisions.json");
    std::fs::write(&decisions_path, decisions.to_string()).unwrap();
    let applied = phi_redact(&["apply", decisions_path.to_str().unwrap()]);
    assert!(applied.status.success(), "{}", stderr(&applied));
    assert!(!files_holding(private.parent().unwrap(), &[secrets[3]]).is_empty(), "the private report keeps the note");

    assert_eq!(files_holding(&public, &secrets), Vec::<String>::new(), "PHI under the output folder");

    // Asked to put the text read into a report inside the output folder, it refuses.
    let refused = redact_reporting_to(&public.join("sub/../report.json"));
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("outside"), "{}", stderr(&refused));
    assert_eq!(files_holding(&public, &secrets), Vec::<String>::new(), "PHI under the output folder");
}

/// Engines that panic on any image 13 px wide, as a bug or a library meeting input it did not
/// expect would, and find nothing elsewhere.
struct PanicsOnNarrowImages;

impl Analyser for PanicsOnNarrowImages {
    fn faces(&mut self, image: &RgbImage, _: &ScalePlan) -> anyhow::Result<Vec<Region>> {
        assert_ne!(image.width(), 13, "a bug met a 13-px-wide image");
        Ok(Vec::new())
    }
    fn text_regions(&mut self, _: &RgbImage) -> anyhow::Result<Vec<Region>> {
        Ok(Vec::new())
    }
    fn second_look_text_regions(&mut self, _: &RgbImage) -> anyhow::Result<Vec<Region>> {
        Ok(Vec::new())
    }
    fn second_look_read(&mut self, _: &RgbImage, _: &[Quad]) -> anyhow::Result<Vec<ReadText>> {
        Ok(Vec::new())
    }
    fn read(&mut self, _: &RgbImage, lines: &[Quad]) -> anyhow::Result<Vec<Vec<ReadText>>> {
        Ok(vec![Vec::new(); lines.len()])
    }
    fn score(&mut self, lines: &[TextLine]) -> anyhow::Result<Vec<Vec<Assessment>>> {
        Ok(vec![Vec::new(); lines.len()])
    }
    fn score_barcode(&mut self, _: &Barcode) -> Option<Assessment> {
        None
    }
    fn plates(&mut self, _: &RgbImage, lines: &[TextLine]) -> Vec<Option<Assessment>> {
        vec![None; lines.len()]
    }
}

/// Item 8: a panic while one file is analysed fails that file, writes nothing for it, and the
/// batch goes on; the engine set lent to it comes back (with one set and two workers, the
/// other files would otherwise wait for it forever).
#[test]
fn a_file_that_panics_fails_alone_and_the_batch_finishes() {
    let dir = temp_dir();
    let names = ["before.png", "narrow.png", "after.png"];
    let jobs: Vec<FileJob> = names
        .iter()
        .map(|name| {
            let width = if *name == "narrow.png" { 13 } else { 40 };
            let input = dir.path().join(name);
            RgbImage::from_pixel(width, 30, Rgb([200, 200, 200])).save(&input).unwrap();
            FileJob { input, output: Some(dir.path().join("out").join(name)), ..FileJob::default() }
        })
        .collect();
    let engines = EnginePool::new(vec![Box::new(PanicsOnNarrowImages) as EngineSet]);
    let results = run_parallel(&jobs, 2, &engines, &Settings::default(), None, &ProgressBar::hidden(), &|_| {}).unwrap();

    let statuses: Vec<Status> = results.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Status::Clean, Status::Failed, Status::Clean]);
    assert!(results[1].reason.as_deref().unwrap().contains("a bug met a 13-px-wide image"), "{:?}", results[1].reason);
    let written: Vec<bool> = names.iter().map(|name| dir.path().join("out").join(name).exists()).collect();
    assert_eq!(written, [true, false, true], "nothing is written for the file that failed");
}

/// A display profile (ICC v2) whose description reads `description`: white point, colourants
/// and tone curves as sRGB's, laid out tag after tag.
fn profile_describing(description: &str) -> Vec<u8> {
    let xyz = |x: f64, y: f64, z: f64| {
        let mut tag = b"XYZ \0\0\0\0".to_vec();
        [x, y, z].iter().for_each(|v| tag.extend_from_slice(&((v * 65536.0) as i32).to_be_bytes()));
        tag
    };
    let gamma_2_2 = b"curv\0\0\0\0\0\0\0\x01\x02\x33".to_vec();
    let mut text = b"desc\0\0\0\0".to_vec();
    text.extend_from_slice(&(description.len() as u32 + 1).to_be_bytes());
    text.extend_from_slice(description.as_bytes());
    text.extend_from_slice(&[0; 1 + 8 + 3 + 67]);
    let tags: [(&[u8; 4], Vec<u8>); 8] = [
        (b"desc", text),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.4361, 0.2225, 0.0139)),
        (b"gXYZ", xyz(0.3851, 0.7169, 0.0971)),
        (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)),
        (b"rTRC", gamma_2_2.clone()),
        (b"gTRC", gamma_2_2.clone()),
        (b"bTRC", gamma_2_2),
    ];
    let mut header = vec![0u8; 128];
    header[8..12].copy_from_slice(&[2, 0x10, 0, 0]);
    header[12..24].copy_from_slice(b"mntrRGB XYZ ");
    header[36..40].copy_from_slice(b"acsp");
    let (mut table, mut data) = ((tags.len() as u32).to_be_bytes().to_vec(), Vec::new());
    let first_data = 128 + 4 + 12 * tags.len();
    for (signature, bytes) in &tags {
        table.extend_from_slice(*signature);
        table.extend_from_slice(&((first_data + data.len()) as u32).to_be_bytes());
        table.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
        data.extend_from_slice(bytes);
        data.resize(data.len().next_multiple_of(4), 0);
    }
    let mut profile = [header, table, data].concat();
    let size = (profile.len() as u32).to_be_bytes();
    profile[..4].copy_from_slice(&size);
    profile
}

fn icc_profile_of(path: &Path) -> Option<Vec<u8>> {
    use image::ImageDecoder;
    let mut decoder = image::codecs::png::PngDecoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap())).unwrap();
    decoder.icc_profile().unwrap()
}

/// Item 7: the colour profile is kept for its colours, not for its text. It was copied byte
/// for byte, description and all.
#[test]
fn a_colour_profile_keeps_its_colours_and_loses_its_text() {
    use image::ImageEncoder;
    let dir = temp_dir();
    let secret = "PATIENT: John Q. Smith MRN 00482913";
    let input = dir.path().join("profiled.png");
    let mut bytes = Vec::new();
    let mut encoder = image::codecs::png::PngEncoder::new(&mut bytes);
    encoder.set_icc_profile(profile_describing(secret)).unwrap();
    let pixels = RgbImage::from_fn(64, 48, |x, y| Rgb([x as u8 * 4, y as u8 * 5, 90]));
    encoder.write_image(pixels.as_raw(), 64, 48, image::ExtendedColorType::Rgb8).unwrap();
    std::fs::write(&input, bytes).unwrap();
    let holds = |profile: &[u8], text: &[u8]| profile.windows(text.len()).any(|w| w == text);
    assert!(holds(&icc_profile_of(&input).unwrap(), secret.as_bytes()), "the input carries it");

    let (output, report) = redact(&[&input], &dir.path().join("out"), &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(file_entry(&report, "profiled.png")["status"], "clean");
    let kept = icc_profile_of(&dir.path().join("out/profiled.png")).expect("the colours' profile is kept");
    assert!(!holds(&kept, b"John Q. Smith") && !holds(&kept, b"00482913"), "the profile's text went through");
    for colour_tag in [b"wtpt", b"rXYZ", b"gXYZ", b"bXYZ", b"rTRC", b"gTRC", b"bTRC"] {
        assert!(holds(&kept, colour_tag), "{} left out", String::from_utf8_lossy(colour_tag));
    }
    assert_eq!(image::open(dir.path().join("out/profiled.png")).unwrap().to_rgb8(), pixels, "pixels untouched");
}

/// A `models/` as an attacker would plant it in a folder to be processed: a "runtime library"
/// whose constructor writes `marker` when it is loaded, a junk face model, and a manifest that
/// vouches for both.
fn plant_models(dir: &Path, marker: &Path) {
    use sha2::Digest;
    let models = dir.join("models");
    std::fs::create_dir_all(&models).unwrap();
    let source = dir.join("planted.c");
    let code = format!(
        "#include <stdio.h>\n__attribute__((constructor)) static void planted(void) {{ FILE *f = fopen(\"{}\", \"w\"); if (f) fclose(f); }}\n",
        marker.display()
    );
    std::fs::write(&source, code).unwrap();
    let library = models.join("libonnxruntime.so.1.31.1");
    let built = std::process::Command::new("cc").args(["-shared", "-fPIC", "-o"]).arg(&library).arg(&source).status().expect("cc");
    assert!(built.success(), "cc builds the planted library");
    std::fs::write(models.join("centerface.onnx"), b"a face model that finds nothing").unwrap();
    let line =
        |name: &str| format!("{name} {} planted==1 x\n", hex::encode(sha2::Sha256::digest(std::fs::read(models.join(name)).unwrap())));
    std::fs::write(models.join("manifest.txt"), line("libonnxruntime.so.1.31.1") + &line("centerface.onnx")).unwrap();
}

/// Item 3: a `models/` in the working directory is never looked at, and one passed with
/// `--models` is checked against the manifest built into the program, not its own. Run in a
/// folder holding a planted one, the planted library's code ran.
#[test]
fn a_planted_models_folder_is_never_loaded() {
    let dir = temp_dir();
    let marker = dir.path().join("planted-code-ran");
    plant_models(dir.path(), &marker);
    let input = dir.path().join("astronaut.png");
    astronaut().save(&input).unwrap();
    let run = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_phi-redact"))
            .args(["redact", "astronaut.png", "--out", "out", "--quiet", "--force"])
            .args(extra)
            .current_dir(dir.path())
            .env_remove(phi_redact::infer::MODELS_ENV)
            .env_remove(phi_redact::infer::ORT_LIB_ENV)
            .output()
            .unwrap()
    };

    let in_the_folder = run(&[]);
    assert!(in_the_folder.status.success(), "the models beside the program are used: {}", stderr(&in_the_folder));
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path().join("out/phi-redact-report.json")).unwrap()).unwrap();
    assert_eq!(file_entry(&report, "astronaut.png")["status"], "redacted", "the real face model ran");

    let named = run(&["--models", "models"]);
    assert_eq!(named.status.code(), Some(2), "{}", stderr(&named));
    assert!(stderr(&named).contains("does not match its sha256"), "{}", stderr(&named));
    assert!(!marker.exists(), "the planted library's code ran");
}

/// Item 4: no original is ever overwritten, whatever the names. A video's copy took its MP4
/// name after the check: `redact vid/clip.avi --out vid` replaced the separate original
/// `vid/clip.mp4`, and `clip.avi` and `clip.mp4` in one folder both wrote `out/clip.mp4`. An
/// output reached through a hard link to its input passed the path comparison, and overwrote
/// the input.
#[test]
fn no_original_is_ever_overwritten() {
    let dir = temp_dir();
    let frames = |shade: u8| vec![RgbImage::from_pixel(64, 48, Rgb([shade, 90, 40])); 3];
    let videos = dir.path().join("vid");
    std::fs::create_dir_all(&videos).unwrap();
    common::video::encode(&frames(30), 5, &videos.join("clip.avi"), &[], &["-c:v", "mpeg4"]);
    common::video::encode(&frames(200), 5, &videos.join("clip.mp4"), &[], &["-c:v", "libx264", "-pix_fmt", "yuv420p"]);
    let photos = dir.path().join("photos");
    std::fs::create_dir_all(&photos).unwrap();
    astronaut().save(photos.join("astronaut.png")).unwrap();
    let linked_out = dir.path().join("linked-out");
    std::fs::create_dir_all(&linked_out).unwrap();
    std::fs::hard_link(photos.join("astronaut.png"), linked_out.join("astronaut.png")).unwrap();
    let originals = || -> Vec<Vec<u8>> {
        [videos.join("clip.avi"), videos.join("clip.mp4"), photos.join("astronaut.png")].iter().map(|p| std::fs::read(p).unwrap()).collect()
    };
    let before = originals();

    let (beside, report) = redact(&[&videos.join("clip.avi")], &videos, &["--no-text"]);
    assert_eq!(beside.status.code(), Some(1), "{}", stderr(&beside));
    assert_eq!(file_entry(&report, "clip.avi")["status"], "failed");
    assert!(file_entry(&report, "clip.avi")["reason"].as_str().unwrap().contains("left alone"), "{report}");

    let (both, report) = redact(&[&videos], &dir.path().join("out"), &["--no-text"]);
    assert_eq!(both.status.code(), Some(1), "{}", stderr(&both));
    assert_eq!(file_entry(&report, "clip.mp4")["output"], dir.path().join("out/clip.mp4").display().to_string());
    assert_eq!(file_entry(&report, "clip.avi")["status"], "failed", "its copy would take clip.mp4's name");

    let (linked, report) = redact(&[&photos.join("astronaut.png")], &linked_out, &[]);
    assert_eq!(linked.status.code(), Some(1), "{}", stderr(&linked));
    assert!(file_entry(&report, "astronaut.png")["reason"].as_str().unwrap().contains("never overwritten"), "{report}");
    assert!(before == originals(), "an original changed");

    // The copies phi-redact wrote are its own to replace, in a run forced to redo them.
    let (again, _) = redact(&[&photos], &dir.path().join("out"), &["--force"]);
    assert!(again.status.success(), "{}", stderr(&again));
    let (again, _) = redact(&[&photos], &dir.path().join("out"), &["--force", "--mode", "box"]);
    assert!(again.status.success(), "{}", stderr(&again));
}

/// Item 5: `apply` reads a report and decisions that anyone may have edited. Pointed at a file
/// that is not a phi-redact report, it rewrote it (and wrote a page beside it); a report that
/// is a JSON array, or a box at x = 4294967295, made it panic; a report naming an output
/// outside its folder made it write there. Each is now exit 1 with every file as it was, and
/// so are a report with a field this program does not write and one whose redaction lies
/// outside its image.
#[test]
fn hostile_decisions_and_reports_change_nothing() {
    let dir = temp_dir();
    let input = dir.path().join("astronaut.png");
    astronaut().save(&input).unwrap();
    let (run, report) = redact(&[&input], &dir.path().join("out"), &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    let entry = file_entry(&report, "astronaut.png").clone();
    let decision = |extra: serde_json::Value| {
        let mut file = json!({ "input": entry["input"], "output_sha256": entry["output_sha256"] });
        file.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        file
    };
    let not_a_report = dir.path().join("settings.json");
    std::fs::write(&not_a_report, r#"{"theme": "dark"}"#).unwrap();
    let an_array = dir.path().join("array.json");
    std::fs::write(&an_array, "[1, 2, 3]").unwrap();
    let edited = |name: &str, edit: &dyn Fn(&mut serde_json::Value)| {
        let mut edited = report.clone();
        edit(&mut edited);
        let path = dir.path().join("out").join(name);
        std::fs::write(&path, edited.to_string()).unwrap();
        path
    };
    let escaping_report = edited("escaping-report.json", &|r| r["files"][0]["output"] = json!(dir.path().join("escaped.png")));
    let unknown_field = edited("unknown-field-report.json", &|r| r["files"][0]["findings"][0]["exec"] = json!("rm -rf /"));
    let far_redaction = edited("far-redaction-report.json", &|r| r["files"][0]["findings"][0]["redacted"]["x"] = json!(4294967295u32));
    let real_report = dir.path().join("out/phi-redact-report.json");

    let cases = [
        ("not a report", &not_a_report, decision(json!({ "not_phi": [0] }))),
        ("a JSON array", &an_array, decision(json!({ "not_phi": [0] }))),
        (
            "a box past the end",
            &real_report,
            decision(json!({ "added_boxes": [{ "x": 4294967295u32, "y": 0, "width": 60, "height": 40 }] })),
        ),
        ("a finding it lacks", &real_report, decision(json!({ "not_phi": [7] }))),
        ("an output outside", &escaping_report, decision(json!({ "not_phi": [0] }))),
        ("a field it does not write", &unknown_field, decision(json!({ "not_phi": [0] }))),
        ("a redaction past the end", &far_redaction, decision(json!({ "added_boxes": [{ "x": 0, "y": 0, "width": 60, "height": 40 }] }))),
    ];
    let snapshot = || -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir.path())
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file() && e.file_name() != "decisions.json")
            .map(|e| (e.path().display().to_string(), std::fs::read(e.path()).unwrap()))
            .collect();
        files.sort();
        files
    };
    for (what, report_path, file) in cases {
        let before = snapshot();
        let decisions = json!({ "kind": "phi-redact-decisions", "schema_version": 1, "report": report_path, "reviewer": "R",
                                "exported_at": "2026-01-01T00:00:00Z", "files": [file] });
        let decisions_path = dir.path().join("decisions.json");
        std::fs::write(&decisions_path, decisions.to_string()).unwrap();
        let applied = phi_redact(&["apply", decisions_path.to_str().unwrap()]);
        assert_eq!(applied.status.code(), Some(1), "{what}: {}", stderr(&applied));
        assert!(!stderr(&applied).contains("panicked"), "{what}: {}", stderr(&applied));
        assert!(before == snapshot(), "{what}: files changed");
    }
}

/// Item 6: small files that declare great sizes fail with their reason, before the memory is
/// spent: a PNG whose colour profile inflates to 256 MB (one of 1 GiB took 2.2 GB and came out
/// "clean"), a 300000x1 strip (2.4 GB in the text detector, whose input it made 600000x32), a
/// video whose frames are over `--max-megapixels`, and videos of more frames than
/// `--max-video-frames`, whether their index says so or not.
#[test]
fn small_files_declaring_great_sizes_fail_with_their_reason() {
    let dir = temp_dir();
    let inputs = dir.path().join("in");
    std::fs::create_dir_all(&inputs).unwrap();
    std::fs::write(inputs.join("profile-bomb.png"), fixtures::png_with_profile(64, 48, Some(256 << 20))).unwrap();
    std::fs::write(inputs.join("strip.png"), fixtures::png_bomb(300_000, 1)).unwrap();
    let frames = vec![RgbImage::from_pixel(1280, 832, Rgb([120, 120, 120])); 2];
    common::video::encode(&frames, 5, &inputs.join("large-frames.mp4"), &[], &["-c:v", "libx264", "-pix_fmt", "yuv420p"]);
    let many = vec![RgbImage::from_pixel(64, 48, Rgb([120, 120, 120])); 12];
    common::video::encode(&many, 5, &inputs.join("many-frames.mp4"), &[], &["-c:v", "libx264", "-pix_fmt", "yuv420p"]);
    // The same frames in a container with no index of how many there are: counted as decoded.
    common::video::encode(&many, 5, &inputs.join("many-frames-unannounced.mkv"), &[], &["-c:v", "libx264", "-pix_fmt", "yuv420p"]);

    let (run, report) = redact(&[&inputs], &dir.path().join("out"), &["--max-megapixels", "1", "--max-video-frames", "10"]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    for (name, why) in [
        ("profile-bomb.png", "decompression bomb"),
        ("strip.png", "over 65535 px"),
        ("large-frames.mp4", "over the 1 MP limit"),
        ("many-frames.mp4", "over the limit of 10"),
        ("many-frames-unannounced.mkv", "over the limit of 10"),
    ] {
        let entry = file_entry(&report, name);
        assert_eq!(entry["status"], "failed", "{entry:#}");
        assert!(entry["reason"].as_str().unwrap().contains(why), "{entry:#}");
        assert!(!dir.path().join("out").join(name).exists(), "{name} has an output");
    }
}

/// Item 10: a video's sound is copied as it was, and the report said nothing of it. Now the
/// report names each stream kept unanalysed, and says none with `--strip-audio`.
#[test]
fn audio_copied_unanalysed_is_named_in_the_report() {
    let dir = temp_dir();
    let input = dir.path().join("visit.mp4");
    let frames = vec![RgbImage::from_pixel(160, 96, Rgb([90, 120, 150])); 8];
    let tone = ["-f", "lavfi", "-i", "sine=frequency=440:duration=1.6"];
    common::video::encode(&frames, 5, &input, &tone, &["-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-c:a", "aac", "-shortest"]);

    for (extra, kept) in [(&[][..], json!([{ "stream": 1, "codec": "aac" }])), (&["--strip-audio"][..], json!([]))] {
        let out = dir.path().join(format!("out{}", extra.len()));
        let (run, report) = redact(&[&input], &out, extra);
        assert!(run.status.success(), "{}", stderr(&run));
        assert_eq!(file_entry(&report, "visit.mp4")["video"]["audio_kept_unanalysed"], kept, "with {extra:?}");
        let page = std::fs::read_to_string(out.join("phi-redact-report.html")).unwrap();
        assert!(page.contains("audio_kept_unanalysed"), "the page carries what the report says");
    }
}

/// Draws `payload` as a `format` symbol of about `size` px at `at`; returns its ink's `[x, y, w, h]`.
fn draw_symbol(canvas: &mut RgbImage, payload: &str, format: rxing::BarcodeFormat, size: (i32, i32), at: (u32, u32)) -> [u32; 4] {
    use rxing::{EncodeHints, MultiFormatWriter, Writer};
    let hints = EncodeHints { Margin: Some("2".into()), ..Default::default() };
    let matrix = MultiFormatWriter.encode_with_hints(payload, &format, size.0, size.1, &hints).unwrap();
    let ink: Vec<(u32, u32)> =
        (0..matrix.height()).flat_map(|y| (0..matrix.width()).map(move |x| (x, y))).filter(|&(x, y)| matrix.get(x, y)).collect();
    for &(x, y) in &ink {
        canvas.put_pixel(at.0 + x, at.1 + y, Rgb([0, 0, 0]));
    }
    let (xs, ys) = (ink.iter().map(|p| p.0), ink.iter().map(|p| p.1));
    let (x0, x1, y0, y1) = (xs.clone().min().unwrap(), xs.max().unwrap(), ys.clone().min().unwrap(), ys.max().unwrap());
    [at.0 + x0, at.1 + y0, x1 - x0 + 1, y1 - y0 + 1]
}

/// The payloads any rxing reader can still decode in `image`.
fn decodable(image: &RgbImage) -> Vec<String> {
    let luma = imageops::grayscale(image);
    let (width, height) = luma.dimensions();
    let source = rxing::Luma8LuminanceSource::new(luma.into_raw(), width, height).unwrap();
    let mut bitmap = rxing::BinaryBitmap::new(rxing::common::HybridBinarizer::new(source));
    let hints = rxing::DecodeHints { TryHarder: Some(true), ..Default::default() };
    let mut reader = rxing::multi::GenericMultipleBarcodeReader::new(rxing::MultiUseMultiFormatReader::default());
    use rxing::multi::MultipleBarcodeReader;
    reader.decode_multiple_with_hints(&mut bitmap, &hints).unwrap_or_default().iter().map(|r| r.getText().to_string()).collect()
}

/// Item 9: a specimen label's Aztec code and Code 39 bars were never looked for, and a QR code
/// too smudged to decode was "no barcode": all three came out as they went in. Each is boxed
/// now, the smudged one for review. (The Aztec code is near the middle, where rxing's search for
/// one starts.)
#[test]
fn every_barcode_is_boxed_and_one_that_cannot_be_decoded_too() {
    use rxing::BarcodeFormat;
    let dir = temp_dir();
    let mut label = RgbImage::from_pixel(900, 620, Rgb([255, 255, 255]));
    let aztec = draw_symbol(&mut label, "MRN 00482913", BarcodeFormat::AZTEC, (150, 150), (375, 235));
    let code39 = draw_symbol(&mut label, "A0048291", BarcodeFormat::CODE_39, (420, 80), (40, 40));
    let qr = draw_symbol(&mut label, "MRN:00482913 SMITH JOHN", BarcodeFormat::QR_CODE, (200, 200), (660, 390));
    let [x, y, w, h] = qr;
    for (px, py) in (y + h * 2 / 5..y + h * 3 / 5).flat_map(|py| (x + w * 2 / 5..x + w * 3 / 5).map(move |px| (px, py))) {
        label.put_pixel(px, py, if (px * 7 + py * 13) % 5 < 2 { Rgb([0, 0, 0]) } else { Rgb([255, 255, 255]) });
    }
    let input = dir.path().join("label.png");
    label.save(&input).unwrap();
    assert_eq!(decodable(&label).len(), 2, "the Aztec and Code 39 symbols decode, the smudged QR code does not");

    let (run, report) = redact(&[&input], &dir.path().join("out"), &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    let entry = file_entry(&report, "label.png");
    let boxes: Vec<[u32; 4]> =
        entry["findings"].as_array().unwrap().iter().filter(|f| f["kind"] == "barcode").map(common::finding_box).collect();
    for (what, symbol) in [("Aztec", aztec), ("Code 39", code39), ("smudged QR", qr)] {
        let covered: u32 = boxes.iter().filter_map(|b| common::intersection(*b, symbol)).map(|[_, _, w, h]| w * h).max().unwrap_or(0);
        assert!(covered as f32 >= 0.99 * (symbol[2] * symbol[3]) as f32, "{what} at {symbol:?} not boxed: {boxes:?}");
    }
    let redacted = image::open(dir.path().join("out/label.png")).unwrap().to_rgb8();
    assert_eq!(decodable(&redacted), Vec::<String>::new());
}
