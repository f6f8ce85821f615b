//! `phi-redact serve`'s JSON API, driven over HTTP as a script would: the access token, an
//! upload through to its redacted copy, decisions applied at once, the caption check, bad
//! input refused while good uploads go on, and many uploads in a row.

mod common;

use common::fixtures::wristband;
use common::serve::{png, wristband_and_face, Served};
use common::{letters_hidden, temp_dir};
use image::{imageops, Rgb, RgbImage};
use reqwest::blocking::Response;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::time::Duration;

fn region(image: &RgbImage, [x, y, w, h]: [u32; 4]) -> Vec<Rgb<u8>> {
    (y..y + h).flat_map(|row| (x..x + w).map(move |column| *image.get_pixel(column, row))).collect()
}

/// The inside of what a finding's redaction covers (its outline's edges fall between pixels).
fn redacted_box(finding: &Value) -> [u32; 4] {
    let r = &finding["redacted"];
    let [x, y, width, height] = ["x", "y", "width", "height"].map(|key| r[key].as_u64().expect("a redacted box") as u32);
    [x + 2, y + 2, width - 4, height - 4]
}

#[test]
fn every_request_needs_the_token_and_a_caption_is_checked() {
    let dir = temp_dir();
    let served = Served::start(&dir.path().join("data"), &[]);
    let token_mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(dir.path().join("data.token")).unwrap().permissions());
    assert_eq!(token_mode & 0o777, 0o600, "the token file is private");

    for path in ["/", "/api/v1/files", "/app.js"] {
        let anonymous = served.client.get(format!("{}{path}", served.url)).send().unwrap();
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED, "{path}");
        let wrong = served.client.get(format!("{}{path}", served.url)).bearer_auth("0".repeat(64)).send().unwrap();
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    let refused = served.client.post(format!("{}/api/v1/text", served.url)).json(&json!({ "text": "Maria Gonzalez" })).send().unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);

    // The printed URL sets the cookie and sends the browser on without the token.
    let opened = served.client.get(format!("{}/?token={}", served.url, served.token)).send().unwrap();
    assert_eq!(opened.status(), StatusCode::SEE_OTHER);
    assert_eq!(opened.headers()["location"], "/");
    let cookie = opened.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let page = served.client.get(format!("{}/", served.url)).header("cookie", cookie.split(';').next().unwrap()).send().unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let policy = page.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(policy.starts_with("default-src 'none'") && policy.contains("connect-src 'self'"), "{policy}");

    let caption = "Welcome home, Maria Gonzalez! Discharged 03/14/2024 from 4 West.";
    let answer = served.post_json("/api/v1/text", &json!({ "text": caption }));
    assert_eq!(answer.status(), StatusCode::OK);
    let findings: Value = answer.json().unwrap();
    let flagged: Vec<(String, Value)> = findings["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let [start, end] = [0, 1].map(|i| f["span"][i].as_u64().unwrap() as usize);
            (caption.chars().skip(start).take(end - start).collect(), f["categories"].clone())
        })
        .collect();
    assert!(
        flagged.iter().any(|(text, categories)| text.contains("Maria Gonzalez") && categories.to_string().contains("name")),
        "{flagged:?}"
    );
    assert!(flagged.iter().any(|(text, categories)| text.contains("03/14/2024") && categories.to_string().contains("date")), "{flagged:?}");
    let clean: Value = served.post_json("/api/v1/text", &json!({ "text": "Happy Nurses Week from 4 West!" })).json().unwrap();
    assert_eq!(clean["findings"], json!([]));
    let unknown_field = served.post_json("/api/v1/text", &json!({ "text": "hi", "extra": 1 }));
    assert_eq!(unknown_field.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[test]
fn an_upload_is_redacted_reviewed_at_once_and_found_again_after_a_restart() {
    let dir = temp_dir();
    let data = dir.path().join("data");
    let original = wristband_and_face();
    let served = Served::start(&data, &[]);
    let id = served.queue("ward photo.png", png(&original));
    let entry = served.finished(&id);
    assert_eq!((entry["id"].as_str(), entry["name"].as_str()), (Some(id.as_str()), Some("ward photo.png")));
    assert!(matches!(entry["status"].as_str(), Some("redacted" | "needs_review")), "{entry:#}");
    let findings = entry["findings"].as_array().unwrap();
    assert!(findings.iter().any(|f| f["kind"] == "face"), "{entry:#}");
    let text: Vec<usize> = (0..findings.len()).filter(|&i| findings[i]["kind"] == "text").collect();
    assert!(text.len() >= 2, "the name and the numbers: {entry:#}");

    let output = served.get(&format!("/api/v1/files/{id}/output"));
    assert_eq!(output.status(), StatusCode::OK);
    assert_eq!(output.headers()["content-type"], "image/png");
    let copy = image::load_from_memory(&output.bytes().unwrap()).unwrap().to_rgb8();
    let first = redacted_box(&findings[text[0]]);
    letters_hidden(&copy, first).unwrap_or_else(|e| panic!("a text box hides its letters: {e}"));

    let first_sha = entry["output_sha256"].clone();
    // Not PHI: that text is back as it was; a box added: black where it was drawn.
    let added = [700, 600, 60, 40];
    let decided = served.post_json(
        &format!("/api/v1/files/{id}/decisions"),
        &json!({ "reviewer": "Dana Reviewer", "output_sha256": entry["output_sha256"], "not_phi": [text[0]],
                 "added_boxes": [{ "x": added[0], "y": added[1], "width": added[2], "height": added[3] }],
                 "note": "checked", "approved_at": "2026-12-05T07:00:00Z" }),
    );
    assert_eq!(decided.status(), StatusCode::OK);
    let entry: Value = decided.json().unwrap();
    assert_eq!(entry["review"]["approved_by"], "Dana Reviewer");
    assert_eq!(entry["findings"][text[0]]["review"]["decision"], "not_phi", "{entry:#}");
    let copy = image::load_from_memory(&served.get(&format!("/api/v1/files/{id}/output")).bytes().unwrap()).unwrap().to_rgb8();
    assert_eq!(region(&copy, first), region(&original, first), "the finding judged not PHI is unredacted");
    assert!(region(&copy, added).iter().all(|p| p.0 == [0, 0, 0]), "the added box is redacted");
    letters_hidden(&copy, redacted_box(&findings[text[1]])).unwrap_or_else(|e| panic!("the other text stays boxed: {e}"));

    // The approved copy is also in the zip of every approved copy.
    let copy_bytes = served.get(&format!("/api/v1/files/{id}/output")).bytes().unwrap();
    let zip = served.get("/api/v1/approved.zip");
    assert_eq!(zip.headers()["content-type"], "application/zip");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip.bytes().unwrap())).unwrap();
    assert_eq!(zip.len(), 1);
    let mut zipped = Vec::new();
    zip.by_name("ward photo.png").unwrap().read_to_end(&mut zipped).unwrap();
    assert!(zipped == copy_bytes, "the zip holds the approved copy as served");

    // A decision for a finding that does not exist changes nothing.
    let sha = entry["output_sha256"].clone();
    let wrong = served.post_json(&format!("/api/v1/files/{id}/decisions"), &json!({ "reviewer": "Dana", "not_phi": [99] }));
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.json::<Value>().unwrap()["error"].as_str().unwrap().contains("no finding 99"));
    let stale = served.post_json(
        &format!("/api/v1/files/{id}/decisions"),
        &json!({ "reviewer": "Dana", "output_sha256": first_sha, "note": "made on the first copy" }),
    );
    assert_eq!(stale.status(), StatusCode::UNPROCESSABLE_ENTITY, "decisions on a copy since re-rendered are refused");
    let not_a_name = served.post_json(&format!("/api/v1/files/{id}/decisions"), &json!({ "reviewer": 7, "note": "x" }));
    assert_eq!(not_a_name.status(), StatusCode::BAD_REQUEST);
    // The decisions.json file entry alone, as a script may send it: recorded, under no name.
    let nameless = served.post_json(&format!("/api/v1/files/{id}/decisions"), &json!({ "note": "seen by the posting tool" }));
    assert_eq!(nameless.status(), StatusCode::OK);
    assert_eq!(nameless.json::<Value>().unwrap()["review"]["note"], "seen by the posting tool");
    let report: Value =
        serde_json::from_slice(&std::fs::read(data.join("uploads").join(&id).join("phi-redact-report.json")).unwrap()).unwrap();
    assert_eq!(report["audit"].as_array().unwrap().last().unwrap()["by"], "unnamed API client", "{:#}", report["audit"]);
    assert_eq!(served.get(&format!("/api/v1/files/{id}")).json::<Value>().unwrap()["output_sha256"], sha);
    assert_eq!(served.get("/api/v1/files/0123456789abcdef").status(), StatusCode::NOT_FOUND);
    assert_eq!(served.get("/api/v1/files/..%2F..%2Fetc").status(), StatusCode::NOT_FOUND);
    drop(served);

    let again = Served::start(&data, &[]);
    let files: Value = again.get("/api/v1/files").json().unwrap();
    assert_eq!(files["files"].as_array().unwrap().len(), 1, "{files:#}");
    assert_eq!(files["files"][0]["id"], id.as_str());
    assert_eq!(files["files"][0]["output_sha256"], sha, "the reviewed copy, as it was");
}

/// An upload's head declaring `length` bytes of body, and the answer to it, which comes
/// before any of the body is sent when the length is over the limit.
fn send_head_only(served: &Served, length: usize) -> String {
    let address = served.url.trim_start_matches("http://");
    let mut socket = std::net::TcpStream::connect(address).unwrap();
    socket.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let head = format!(
        "POST /api/v1/files HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {}\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: {length}\r\n\r\n",
        served.token
    );
    socket.write_all(head.as_bytes()).unwrap();
    let mut answer = [0; 512];
    let read = socket.read(&mut answer).unwrap_or(0);
    String::from_utf8_lossy(&answer[..read]).into_owned()
}

/// A request declaring more body than it sends, over a plain socket: the server answers it
/// (or closes it) without waiting for ever, and keeps serving.
fn send_lying_request(url: &str, token: &str) -> String {
    let address = url.trim_start_matches("http://");
    let mut socket = std::net::TcpStream::connect(address).unwrap();
    socket.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let body = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.png\"\r\n\r\n\u{89}PNG";
    let head = format!(
        "POST /api/v1/files HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n"
    );
    socket.write_all(head.as_bytes()).unwrap();
    socket.write_all(body.as_bytes()).unwrap();
    socket.shutdown(std::net::Shutdown::Write).unwrap();
    let mut answer = String::new();
    let _ = socket.read_to_string(&mut answer);
    answer
}

fn raw_upload(served: &Served, file_name: &str) -> Response {
    let body = format!("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: image/png\r\n\r\nnot really a png\r\n--b--\r\n");
    served
        .client
        .post(format!("{}/api/v1/files", served.url))
        .bearer_auth(&served.token)
        .header("content-type", "multipart/form-data; boundary=b")
        .body(body)
        .send()
        .unwrap()
}

#[test]
fn bad_input_is_refused_while_good_uploads_go_on_and_memory_stays_bounded() {
    let dir = temp_dir();
    let data = dir.path().join("data");
    let served = Served::start(&data, &["--max-upload", "1M", "--jobs", "2"]);
    let (band, _) = wristband(&["SMITH, JOHN", "MRN 00482913"], 32.0);
    let good = png(&band);

    std::thread::scope(|scope| {
        let parallel = scope.spawn(|| served.queue("good.png", good.clone()));

        let too_large = send_head_only(&served, 2 << 20);
        assert!(too_large.starts_with("HTTP/1.1 413"), "{too_large}");
        let empty = served.upload("empty.png", Vec::new());
        assert_eq!(empty.status(), StatusCode::BAD_REQUEST);
        for name in ["../../escape.png", "..", ".hidden.png", "dir/inner.png", "nul\0.png"] {
            let answer = raw_upload(&served, name);
            assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "{name}");
            assert!(answer.json::<Value>().unwrap()["error"].as_str().is_some(), "{name}");
        }
        let lying = send_lying_request(&served.url, &served.token);
        assert!(lying.is_empty() || lying.starts_with("HTTP/1.1 4"), "{lying}");
        let truncated = served.queue("cut.png", good[..good.len() / 2].to_vec());

        let good_id = parallel.join().unwrap();
        let entry = served.finished(&good_id);
        assert!(matches!(entry["status"].as_str(), Some("redacted" | "needs_review")), "{entry:#}");
        let cut = served.finished(&truncated);
        assert_eq!(cut["status"], "failed", "{cut:#}");
        assert_eq!(served.get(&format!("/api/v1/files/{truncated}/output")).status(), StatusCode::CONFLICT);
    });
    let written: Vec<String> = walkdir::WalkDir::new(dir.path())
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir.path()).unwrap().display().to_string())
        .collect();
    assert!(written.iter().all(|path| path == "data.token" || path.starts_with("data/uploads/")), "{written:#?}");
    assert!(!written.iter().any(|path| path.contains("escape") || path.contains("hidden") || path.contains("large")), "{written:#?}");

    // Many uploads in a row: the server's memory is that of its engines, not of what it saw.
    let small = png(&imageops::resize(&band, 300, 133, imageops::FilterType::Triangle));
    let ids: Vec<String> = (0..20).map(|i| served.queue(&format!("warm-{i}.png"), small.clone())).collect();
    ids.iter().for_each(|id| assert_ne!(served.finished(id)["status"], "failed"));
    let warm = served.resident_memory_kb();
    let ids: Vec<String> = (0..180).map(|i| served.queue(&format!("more-{i}.png"), small.clone())).collect();
    ids.iter().for_each(|id| assert_ne!(served.finished(id)["status"], "failed"));
    let after = served.resident_memory_kb();
    assert!(after < warm + 200 * 1024, "resident memory grew from {warm} kB to {after} kB over 180 uploads");
    assert_eq!(served.get("/api/v1/files").json::<Value>().unwrap()["files"].as_array().unwrap().len(), 202);
}
