//! `phi-redact serve` started for a test, and the photo the serve tests upload.

use super::fixtures::{astronaut, wristband};
use image::{imageops, Rgb, RgbImage};
use reqwest::blocking::{multipart, Client, Response};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `serve`, stopped when dropped.
pub struct Served {
    child: Child,
    /// `http://127.0.0.1:PORT`, without the token.
    pub url: String,
    pub token: String,
    pub client: Client,
}

impl Served {
    pub fn start(data: &Path, extra: &[&str]) -> Self {
        let token_file = data.with_extension("token");
        let mut child = Command::new(env!("CARGO_BIN_EXE_phi-redact"))
            .args(["serve", "--port", "0", "--data"])
            .arg(data)
            .arg("--token-file")
            .arg(&token_file)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start phi-redact serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("the URL line");
        let url = line.split_whitespace().find(|word| word.starts_with("http://")).unwrap_or_else(|| panic!("no URL in {line:?}"));
        let base = url.split("/?token=").next().expect("a base URL").to_string();
        let token = std::fs::read_to_string(&token_file).expect("the token file");
        assert!(url.ends_with(&format!("/?token={token}")), "{url}");
        let client = Client::builder().timeout(Duration::from_secs(300)).redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Self { child, url: base, token, client }
    }

    pub fn get(&self, path: &str) -> Response {
        self.client.get(format!("{}{path}", self.url)).bearer_auth(&self.token).send().expect("GET")
    }

    pub fn post_json(&self, path: &str, body: &Value) -> Response {
        self.client.post(format!("{}{path}", self.url)).bearer_auth(&self.token).json(body).send().expect("POST")
    }

    pub fn upload(&self, name: &str, bytes: Vec<u8>) -> Response {
        let form = multipart::Form::new().part("file", multipart::Part::bytes(bytes).file_name(name.to_string()));
        self.client.post(format!("{}/api/v1/files", self.url)).bearer_auth(&self.token).multipart(form).send().expect("upload")
    }

    /// Uploads a file and returns its id.
    pub fn queue(&self, name: &str, bytes: Vec<u8>) -> String {
        let answer = self.upload(name, bytes);
        assert_eq!(answer.status(), reqwest::StatusCode::ACCEPTED);
        let body: Value = answer.json().unwrap();
        assert_eq!(body["status"], "queued");
        body["id"].as_str().expect("an id").to_string()
    }

    /// The upload's entry once its analysis has ended.
    pub fn finished(&self, id: &str) -> Value {
        let started = Instant::now();
        loop {
            let entry: Value = self.get(&format!("/api/v1/files/{id}")).json().unwrap();
            if !matches!(entry["status"].as_str(), Some("queued" | "running")) {
                return entry;
            }
            assert!(started.elapsed() < Duration::from_secs(600), "upload {id} never finished");
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    pub fn resident_memory_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let line = status.lines().find(|line| line.starts_with("VmRSS:")).expect("VmRSS");
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn png(image: &RgbImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    image.write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
    bytes
}

/// A wristband with a name, a birth date and a record number, above a face.
pub fn wristband_and_face() -> RgbImage {
    let (band, _) = wristband(&["SMITH, JOHN", "DOB 03/14/1962   MRN 00482913"], 32.0);
    let mut image = RgbImage::from_pixel(band.width(), band.height() + 420, Rgb([90, 110, 140]));
    imageops::replace(&mut image, &band, 0, 0);
    imageops::replace(
        &mut image,
        &imageops::resize(&astronaut(), 400, 400, imageops::FilterType::Triangle),
        250,
        i64::from(band.height()) + 10,
    );
    image
}
