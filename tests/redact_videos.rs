//! End-to-end tests of `phi-redact redact` on videos the tests make themselves with ffmpeg.

mod common;

use common::fixtures::{crowd, wristband};
use common::video::{decode, decode_errors, encode, pan, probe, rotate_first_track, stream_md5, streams_of, video_stream};
use common::{default_face_network, detail, detail_along_rows, dev_set, face_core, file_entry, intersection, redact, stderr, temp_dir};
use std::path::Path;

const FPS: u32 = 25;
/// Near-lossless input, so what the test sees in its frames is what phi-redact gets.
const LOSSLESS_ENOUGH: [&str; 6] = ["-c:v", "libx264", "-crf", "10", "-pix_fmt", "yuv420p"];

fn input_folder(dir: &Path) -> std::path::PathBuf {
    let inputs = dir.join("in");
    std::fs::create_dir_all(&inputs).unwrap();
    inputs
}

/// Frames, each frame's offset in the scene, and each face's box in the scene.
type Pan = (Vec<image::RgbImage>, Vec<(u32, u32)>, Vec<[u32; 4]>);

/// A 640x360 camera pan across a crowd of real faces (from 96 down to 16 px tall): where
/// every face is in every frame is known from the pan itself.
fn crowd_pan(frames: u32) -> Pan {
    let (scene, heads) = crowd(&[96, 64, 48, 40, 32, 28, 24, 20, 18, 16, 48, 32, 24, 20, 16]);
    // The top rows of the crowd, so that the pan runs mostly sideways along them.
    let scene = image::imageops::crop_imm(&scene, 0, 0, scene.width(), 400).to_image();
    let (views, offsets) = pan(&scene, 640, 360, frames).into_iter().unzip();
    (views, offsets, heads)
}

#[test]
fn no_frame_of_a_pan_leaks_a_face() {
    let dir = temp_dir();
    let (frames, offsets, heads) = crowd_pan(60);
    let input = dir.path().join("pan.mp4");
    encode(&frames, FPS, &input, &[], &LOSSLESS_ENOUGH);
    let (output, report) = redact(&[&input], &dir.path().join("out"), &["--no-text"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let redacted = decode(&dir.path().join("out/pan.mp4"));
    assert_eq!(redacted.len(), frames.len(), "every frame comes out");

    let mut checked = 0;
    for (index, ((before, after), (ox, oy))) in frames.iter().zip(&redacted).zip(&offsets).enumerate() {
        for &[x, y, w, h] in &heads {
            // The face's middle (eyes, nose, mouth) where it is in this frame, if all in view.
            let [cx, cy, cw, ch] = face_core([x, y, w, h]);
            if cx < *ox || cy < *oy || cx + cw > ox + 640 || cy + ch > oy + 360 {
                continue;
            }
            let core = [cx - ox, cy - oy, cw, ch];
            let (kept, had) = (detail(after, core), detail(before, core));
            assert!(kept < 0.5 * had, "frame {index}: the {h}-px face at {core:?} kept {kept:.0} of {had:.0} detail");
            checked += 1;
        }
    }
    assert!(checked > 300, "only {checked} face views checked");
    // ...with the 8-bit face network between key frames where it is the default (a CPU with
    // VNNI), the published one on every frame elsewhere.
    let models: Vec<&str> = report["models"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert!(models.contains(&"centerface.onnx"), "{models:?}");
    assert_eq!(models.contains(&"centerface-int8.onnx"), default_face_network() == "centerface-int8.onnx", "{models:?}");
    let entry = file_entry(&report, "pan.mp4");
    assert_eq!(entry["status"], "redacted");
    assert_eq!(entry["video"]["frames"], 60);
    let tracks = entry["video"]["tracks"].as_array().unwrap();
    assert_eq!(tracks.len(), entry["findings"].as_array().unwrap().len(), "one finding per track");
    assert!(tracks.iter().all(|t| t["kind"] == "face"));
    let keyframes = entry["video"]["keyframes"].as_array().unwrap();
    assert!(!keyframes.is_empty() && keyframes.len() <= 6, "{keyframes:?}");
    for keyframe in keyframes {
        let thumbnail = image::open(dir.path().join("out").join(keyframe["file"].as_str().unwrap())).unwrap();
        assert_eq!(thumbnail.width(), 320, "a small redacted frame beside the report");
    }
}

/// Faces smaller than this are below what the detector reliably finds (docs/guide.md: heads of about
/// 13 px, faces of about 10).
const SMALLEST_FACE: u32 = 10;

/// Every labelled face of a dev-set photo (from `SMALLEST_FACE` up), in every frame of a pan
/// across it, where at least half of it is in view (faces enter and leave cut by the border):
/// the part of the face's middle in view loses at least half its detail. Returns the face
/// views checked and the ones that kept more.
fn pan_across_labelled_photo(file: &str) -> (usize, Vec<String>) {
    let dev = dev_set().expect("dev set");
    let labels: serde_json::Value = serde_json::from_slice(&std::fs::read(dev.join("labels.json")).unwrap()).unwrap();
    let entry = labels["images"].as_array().unwrap().iter().find(|i| i["file"].as_str().unwrap().ends_with(file)).unwrap();
    let faces: Vec<[u32; 4]> =
        entry["faces"].as_array().unwrap().iter().map(|f| std::array::from_fn(|i| f[i].as_f64().unwrap().round() as u32)).collect();
    let photo = image::open(dev.join(entry["file"].as_str().unwrap())).unwrap().to_rgb8();
    let dir = temp_dir();
    let views = pan(&photo, 640, 360, 50);
    let frames: Vec<image::RgbImage> = views.iter().map(|(view, _)| view.clone()).collect();
    let input = dir.path().join("pan.mp4");
    encode(&frames, FPS, &input, &[], &LOSSLESS_ENOUGH);
    let (output, _) = redact(&[&input], &dir.path().join("out"), &["--no-text"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let redacted = decode(&dir.path().join("out/pan.mp4"));
    let (mut checked, mut leaks) = (0, Vec::new());
    for (index, ((before, after), (_, (ox, oy)))) in frames.iter().zip(&redacted).zip(&views).enumerate() {
        let view = [*ox, *oy, 640, 360];
        for &face in &faces {
            let [x, y, w, h] = face;
            let in_view = intersection(face, view).map_or(0, |[_, _, vw, vh]| vw * vh);
            let Some([cx, cy, cw, ch]) = intersection(face_core(face), view) else { continue };
            if 2 * in_view < w * h || h < SMALLEST_FACE || cw < 3 || ch < 3 {
                continue;
            }
            let core = [cx - ox, cy - oy, cw, ch];
            let (kept, had) = (detail(after, core), detail(before, core));
            if kept >= 0.5 * had {
                leaks.push(format!("frame {index}: {w}x{h} face at ({x}, {y}), {in_view} px in view, kept {kept:.0} of {had:.0}"));
            }
            checked += 1;
        }
    }
    (checked, leaks)
}

/// The check on real photos: a parade
/// (142 faces, 7 to 60 px), a meeting (17 faces, from 22 px) and a marching band (24 faces,
/// from 32 px).
#[test]
#[cfg_attr(not(shared_dev_set), ignore = "needs the shared development set, ../shared/eval/dev")]
fn no_frame_of_a_pan_across_labelled_dev_photos_leaks_a_face() {
    for photo in [
        "wider_0_Parade_Parade_0_873.jpg",
        "wider_11_Meeting_Meeting_11_Meeting_Meeting_11_176.jpg",
        "wider_0_Parade_marchingband_1_149.jpg",
    ] {
        let (checked, leaks) = pan_across_labelled_photo(photo);
        assert!(checked > 200, "{photo}: only {checked} face views checked");
        assert!(leaks.is_empty(), "{photo}: {} of {checked} face views leak:\n{}", leaks.len(), leaks.join("\n"));
    }
}

#[test]
fn a_phone_video_stored_on_its_side_is_analysed_upright() {
    let dir = temp_dir();
    let (frames, offsets, heads) = crowd_pan(30);
    // Stored a quarter turn anticlockwise, with a display matrix that turns it back.
    let stored: Vec<image::RgbImage> = frames.iter().map(image::imageops::rotate270).collect();
    let input = dir.path().join("phone.mp4");
    encode(&stored, FPS, &input, &[], &LOSSLESS_ENOUGH);
    rotate_first_track(&input);
    let (output, report) = redact(&[&input], &dir.path().join("out"), &["--no-text"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let entry = file_entry(&report, "phone.mp4");
    assert_eq!((entry["width"].as_u64(), entry["height"].as_u64()), (Some(640), Some(360)), "reported as shown");
    let redacted = decode(&dir.path().join("out/phone.mp4"));
    assert_eq!(redacted[0].dimensions(), (360, 640), "stored as the input was");

    let mut checked = 0;
    for (index, ((before, after), (ox, oy))) in stored.iter().zip(&redacted).zip(&offsets).enumerate() {
        for &head in &heads {
            let [cx, cy, cw, ch] = face_core(head);
            if head[3] < 24 || cx < *ox || cy < *oy || cx + cw > ox + 640 || cy + ch > oy + 360 {
                continue;
            }
            // Where the upright frame's box lies in the stored one (turned anticlockwise).
            let core = [cy - oy, 640 - (cx - ox) - cw, ch, cw];
            let (kept, had) = (detail(after, core), detail(before, core));
            assert!(kept < 0.5 * had, "frame {index}: the {}-px face kept {kept:.0} of {had:.0} detail", head[3]);
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} face views checked");
}

#[test]
fn the_output_keeps_size_rate_frames_rotation_and_audio_and_drops_metadata() {
    let dir = temp_dir();
    let (frames, _, _) = crowd_pan(40);
    let input = dir.path().join("clip.mov");
    let audio = ["-f", "lavfi", "-i", "sine=frequency=440:duration=1.6"];
    let mut extra = vec!["-map", "0:v", "-map", "1:a", "-c:a", "aac", "-shortest"];
    extra.extend(LOSSLESS_ENOUGH);
    extra.extend([
        "-metadata",
        "title=Jane Doe, MRN 12345678",
        "-metadata",
        "creation_time=2024-03-14T10:00:00Z",
        "-metadata",
        "location=+40.7128-074.0060/",
    ]);
    encode(&frames, FPS, &input, &audio, &extra);
    rotate_first_track(&input);

    let (output, report) = redact(&[&input], &dir.path().join("out"), &["--no-text"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let out = dir.path().join("out/clip.mov");
    assert_eq!(file_entry(&report, "clip.mov")["output"], out.display().to_string());
    assert_eq!(decode_errors(&out), "", "ffmpeg decodes the output without a complaint");

    let (before, after) = (probe(&input), probe(&out));
    let (v0, v1) = (video_stream(&before), video_stream(&after));
    for key in ["width", "height", "r_frame_rate", "avg_frame_rate", "nb_read_frames"] {
        assert_eq!(v0[key], v1[key], "{key}");
    }
    assert_eq!(v1["codec_name"], "h264");
    let rotation = |v: &serde_json::Value| v["side_data_list"][0]["rotation"].clone();
    assert_eq!(rotation(v1), rotation(v0), "rotation kept");
    assert!(!rotation(v0).is_null(), "the test input has a rotation");

    assert_eq!(streams_of(&after, "audio").count(), 1, "audio kept");
    assert_eq!(stream_md5(&out, "0:a"), stream_md5(&input, "0:a"), "audio packets copied unchanged");
    let tags = after["format"]["tags"].to_string();
    for leaked in ["Jane", "2024", "40.7128", "Lavf", "encoder"] {
        assert!(!tags.contains(leaked), "container metadata leaked {leaked}: {tags}");
    }

    let (output, _) = redact(&[&input], &dir.path().join("silent"), &["--no-text", "--strip-audio"]);
    assert!(output.status.success());
    assert_eq!(streams_of(&probe(&dir.path().join("silent/clip.mov")), "audio").count(), 0, "--strip-audio drops it");
}

#[test]
fn broken_videos_fail_clearly_leave_nothing_behind_and_the_batch_goes_on() {
    let dir = temp_dir();
    let inputs = input_folder(dir.path());
    let (frames, _, _) = crowd_pan(30);
    let good = inputs.join("good.mp4");
    let mut faststart = LOSSLESS_ENOUGH.to_vec();
    faststart.extend(["-movflags", "+faststart"]);
    encode(&frames, FPS, &good, &[], &faststart);
    let bytes = std::fs::read(&good).unwrap();
    std::fs::write(inputs.join("truncated.mp4"), &bytes[..bytes.len() * 6 / 10]).unwrap();
    std::fs::write(inputs.join("half-gone.mp4"), &bytes[..bytes.len() / 2]).unwrap();
    let no_video = inputs.join("sound-only.mp4");
    let status = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-f", "lavfi", "-i", "sine=duration=1", "-c:a", "aac"])
        .arg(&no_video)
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::write(inputs.join("notes.mp4"), b"not a video at all, just text").unwrap();
    // The index (moov) of a file written without faststart is at its end: cut, it is gone.
    let late_index = inputs.join("late-index.mp4");
    encode(&frames, FPS, &late_index, &[], &LOSSLESS_ENOUGH);
    let late = std::fs::read(&late_index).unwrap();
    std::fs::write(&late_index, &late[..late.len() - 200]).unwrap();

    let out = dir.path().join("out");
    let (output, report) = redact(&[&inputs], &out, &["--no-text"]);
    assert_eq!(output.status.code(), Some(1), "files failed: {}", stderr(&output));
    assert_eq!(file_entry(&report, "good.mp4")["status"], "redacted");
    for (name, why) in [
        ("truncated.mp4", "truncated"),
        ("half-gone.mp4", "truncated"),
        ("sound-only.mp4", "no video stream"),
        ("notes.mp4", "not a video"),
        ("late-index.mp4", "cannot open"),
    ] {
        let entry = file_entry(&report, name);
        assert_eq!(entry["status"], "failed", "{name}: {entry:#}");
        let reason = entry["reason"].as_str().unwrap();
        assert!(reason.contains(why), "{name}: {reason}");
        assert!(!out.join(name).exists(), "{name} left an output");
    }
    let left: Vec<String> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    // `.phi-redact/` holds the resume records, which are meant to stay.
    assert!(left.iter().all(|n| !n.starts_with('.') || n == ".phi-redact"), "temporary files left: {left:?}");
}

#[test]
fn images_and_videos_mix_in_one_batch_and_webm_and_avi_with_pcm_come_out_as_matroska() {
    let dir = temp_dir();
    let inputs = input_folder(dir.path());
    let (frames, _, _) = crowd_pan(20);
    frames[0].save(inputs.join("still.png")).unwrap();
    encode(&frames, FPS, &inputs.join("clip.webm"), &[], &["-c:v", "libvpx-vp9", "-b:v", "2M", "-deadline", "realtime"]);
    let tone = ["-f", "lavfi", "-i", "sine=duration=0.8"];
    encode(
        &frames,
        FPS,
        &inputs.join("old.avi"),
        &tone,
        &["-map", "0:v", "-map", "1:a", "-c:v", "mpeg4", "-c:a", "pcm_s16le", "-shortest"],
    );
    let (output, report) = redact(&[&inputs], &dir.path().join("out"), &["--no-text"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(file_entry(&report, "still.png")["status"], "redacted");
    let clip = file_entry(&report, "clip.webm");
    assert_eq!(clip["status"], "redacted");
    let out = dir.path().join("out/clip.mkv");
    assert_eq!(clip["output"], out.display().to_string());
    assert_eq!(video_stream(&probe(&out))["nb_read_frames"], "20");
    assert!(Path::new(&dir.path().join("out/still.png")).exists());
    // MP4 cannot hold the AVI's PCM audio: Matroska can, and the audio is kept.
    let old = dir.path().join("out/old.mkv");
    assert_eq!(file_entry(&report, "old.avi")["output"], old.display().to_string());
    assert_eq!(streams_of(&probe(&old), "audio").count(), 1);
}

#[test]
fn a_name_read_in_some_frames_is_boxed_in_every_frame_it_is_in_view() {
    let dir = temp_dir();
    let (scene, lines) = wristband(&["SMITH, JOHN", "Allergies: penicillin"], 28.0);
    // A slow pan along the band, with the name in view throughout.
    let scene = image::imageops::crop_imm(&scene, 0, 0, 700, 400).to_image();
    let views = pan(&scene, 640, 360, 40);
    let frames: Vec<image::RgbImage> = views.iter().map(|(view, _)| view.clone()).collect();
    let input = dir.path().join("wristband.mp4");
    encode(&frames, FPS, &input, &[], &LOSSLESS_ENOUGH);
    let (output, report) = redact(&[&input], &dir.path().join("out"), &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let redacted = decode(&dir.path().join("out/wristband.mp4"));

    // Letters' strokes cross the rows of their line; the box's edges run along them.
    let [x, y, w, h] = lines[0];
    let mut checked = 0;
    for (index, (after, (before, (ox, oy)))) in redacted.iter().zip(&views).enumerate() {
        if x < *ox || y < *oy || x + w > ox + 640 || y + h > oy + 360 {
            continue;
        }
        let name_line = [x - ox, y - oy, w, h];
        let (left, was) = (detail_along_rows(after, name_line), detail_along_rows(before, name_line));
        assert!(left < 0.1 * was, "frame {index}: the name line keeps {left:.0} of {was:.0} of its strokes");
        checked += 1;
    }
    assert_eq!(checked, 40, "the name is in view in every frame");
    let entry = file_entry(&report, "wristband.mp4");
    let text_tracks: Vec<_> = entry["video"]["tracks"].as_array().unwrap().iter().filter(|t| t["kind"] == "text").collect();
    assert!(!text_tracks.is_empty(), "{entry:#}");
    let masked: Vec<&str> = entry["findings"].as_array().unwrap().iter().filter_map(|f| f["text"]["masked"].as_str()).collect();
    assert!(masked.contains(&"S****, J***"), "{masked:?}");
    assert!(!entry.to_string().contains("SMITH"), "the report shows no raw text");
}

#[test]
fn full_precision_runs_the_published_face_network_on_every_frame() {
    let dir = temp_dir();
    let (frames, _, _) = crowd_pan(10);
    let input = dir.path().join("pan.mp4");
    encode(&frames, FPS, &input, &[], &LOSSLESS_ENOUGH);
    let (output, report) = redact(&[&input], &dir.path().join("out"), &["--no-text", "--full-precision"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let models: Vec<&str> = report["models"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(models, ["centerface.onnx"]);
    assert_eq!(report["settings"]["quantized_faces"], false);
    assert_eq!(file_entry(&report, "pan.mp4")["status"], "redacted");
}
