//! Test videos made with Debian's `ffmpeg` and `ffprobe` (installed by `make setup`) from frames
//! the tests render themselves, and read back the same way: the tools are independent of the
//! FFmpeg bindings phi-redact uses.
#![allow(dead_code)]

use image::{imageops, RgbImage};
use serde_json::Value;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

/// A camera pan across `scene`: `frames` views of `width` x `height`, moving in a straight line
/// from the top-left corner to the bottom-right. Returns each view and its offset in the scene.
pub fn pan(scene: &RgbImage, width: u32, height: u32, frames: u32) -> Vec<(RgbImage, (u32, u32))> {
    let (span_x, span_y) = (scene.width() - width, scene.height() - height);
    (0..frames)
        .map(|i| {
            let (x, y) = (span_x * i / (frames - 1).max(1), span_y * i / (frames - 1).max(1));
            (imageops::crop_imm(scene, x, y, width, height).to_image(), (x, y))
        })
        .collect()
}

/// Encodes `frames` at `fps` into `path` with ffmpeg. `inputs_after` follow the frames' input
/// (a second, audio input); `extra` goes just before the output path (codec options, metadata,
/// stream mapping).
pub fn encode(frames: &[RgbImage], fps: u32, path: &Path, inputs_after: &[&str], extra: &[&str]) {
    let (w, h) = frames[0].dimensions();
    let mut args: Vec<String> = ["-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s"].iter().map(|s| s.to_string()).collect();
    args.extend([format!("{w}x{h}"), "-r".into(), fps.to_string(), "-i".into(), "-".into()]);
    args.extend(inputs_after.iter().map(|s| s.to_string()));
    args.extend(extra.iter().map(|s| s.to_string()));
    args.push(path.display().to_string());
    let mut child = Command::new("ffmpeg").args(&args).stdin(Stdio::piped()).spawn().expect("ffmpeg (run `make setup`)");
    {
        let stdin = child.stdin.as_mut().unwrap();
        for frame in frames {
            stdin.write_all(frame.as_raw()).unwrap();
        }
    }
    assert!(child.wait().unwrap().success(), "ffmpeg could not make {}", path.display());
}

/// Every frame of the first video stream, as RGB, as stored (not turned by its rotation).
pub fn decode(path: &Path) -> Vec<RgbImage> {
    let info = probe(path);
    let video = video_stream(&info);
    let (w, h) = (video["width"].as_u64().unwrap() as u32, video["height"].as_u64().unwrap() as u32);
    let mut child = Command::new("ffmpeg")
        .args(["-v", "error", "-noautorotate", "-i"])
        .arg(path)
        .args(["-map", "0:v:0", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut bytes = Vec::new();
    child.stdout.take().unwrap().read_to_end(&mut bytes).unwrap();
    assert!(child.wait().unwrap().success());
    let size = (w * h * 3) as usize;
    bytes.chunks_exact(size).map(|c| RgbImage::from_raw(w, h, c.to_vec()).unwrap()).collect()
}

/// ffprobe's view of a file: streams (with counted frames) and format.
pub fn probe(path: &Path) -> Value {
    let output = Command::new("ffprobe")
        .args(["-v", "error", "-count_frames", "-show_streams", "-show_format", "-of", "json"])
        .arg(path)
        .output()
        .expect("ffprobe (run `make setup`)");
    assert!(output.status.success(), "ffprobe {}: {}", path.display(), String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

pub fn video_stream(info: &Value) -> &Value {
    streams_of(info, "video").next().expect("a video stream")
}

pub fn streams_of<'a>(info: &'a Value, kind: &'a str) -> impl Iterator<Item = &'a Value> {
    info["streams"].as_array().unwrap().iter().filter(move |s| s["codec_type"] == kind)
}

/// What `ffmpeg -v error -i FILE -f null -` prints: empty for a clean file.
pub fn decode_errors(path: &Path) -> String {
    let output = Command::new("ffmpeg").args(["-v", "error", "-i"]).arg(path).args(["-f", "null", "-"]).output().unwrap();
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// MD5 of a stream's packets as stored (`-c copy`): equal only for identical packets.
pub fn stream_md5(path: &Path, selector: &str) -> String {
    let output = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-map", selector, "-c", "copy", "-f", "md5", "-"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// Turns the first track of an MP4/MOV file a quarter turn for players, as a phone held
/// sideways does: the identity matrix in its track header becomes a 90-degree rotation. (The
/// ffmpeg of Debian 12 cannot write one itself.)
pub fn rotate_first_track(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let identity: Vec<u8> = [0x0001_0000u32, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000].iter().flat_map(|v| v.to_be_bytes()).collect();
    let quarter: Vec<u8> = [0u32, 0x0001_0000, 0, 0xFFFF_0000, 0, 0, 0, 0, 0x4000_0000].iter().flat_map(|v| v.to_be_bytes()).collect();
    let tkhd = bytes.windows(4).position(|w| w == b"tkhd").expect("a track header");
    let at = tkhd + bytes[tkhd..].windows(36).position(|w| w == identity.as_slice()).expect("an identity matrix");
    bytes[at..at + 36].copy_from_slice(&quarter);
    std::fs::write(path, bytes).unwrap();
}
