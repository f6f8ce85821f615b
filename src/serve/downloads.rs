//! What the server hands out as files: an upload's redacted copy, every approved copy as one
//! zip, the redacted key frames its review shows, and, only when started with
//! `--report-originals`, the original.

use super::api::{finished, internal, refused, Answer};
use super::uploads::check_file_name;
use super::Server;
use crate::fsutil::lies_within;
use crate::report::THUMBNAIL_DIR;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::io::{Seek, Write};
use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;
use tower_http::services::ServeFile;

pub async fn output(State(server): State<Arc<Server>>, Path(id): Path<String>, request: Request) -> Answer<Response> {
    let (id, _, entry) = finished(&server, &id)?;
    let no_copy =
        || refused(StatusCode::CONFLICT, format!("no redacted copy: {}", entry.reason.as_deref().unwrap_or("the analysis failed")));
    let path = PathBuf::from(entry.output.as_deref().ok_or_else(no_copy)?);
    // The report is this server's own, but a copy is only ever served from the copy folder.
    if !lies_within(&path, &server.uploads.copy_dir(&id)).map_err(internal)? {
        return Err(internal(format!("{} is outside the upload's copy folder", path.display())));
    }
    send_file(&path, Disposition::Attachment, request).await
}

pub async fn original(State(server): State<Arc<Server>>, Path(id): Path<String>, request: Request) -> Answer<Response> {
    if !server.report_originals {
        return Err(refused(StatusCode::NOT_FOUND, "originals are shown only by a server started with --report-originals"));
    }
    let (id, _, _) = finished(&server, &id)?;
    let original = server.uploads.original(&id).ok_or_else(|| internal("the original is missing"))?;
    send_file(&original, Disposition::Inline, request).await
}

/// A redacted key frame of a video or DICOM object, as its review page links it.
pub async fn key_frame(State(server): State<Arc<Server>>, Path((id, name)): Path<(String, String)>, request: Request) -> Answer<Response> {
    let (id, _, _) = finished(&server, &id)?;
    let name = check_file_name(&name).map_err(|_| refused(StatusCode::NOT_FOUND, "no such key frame"))?;
    let path = server.uploads.report_path(&id).with_file_name(THUMBNAIL_DIR).join(name);
    if !path.is_file() {
        return Err(refused(StatusCode::NOT_FOUND, "no such key frame"));
    }
    send_file(&path, Disposition::Inline, request).await
}

/// Every approved copy, in one zip (stored: photos and videos are compressed already).
pub async fn approved_zip(State(server): State<Arc<Server>>) -> Answer<Response> {
    let mut copies: Vec<(String, PathBuf)> = Vec::new();
    for (id, _) in server.queue.all() {
        let Ok((_, _, entry)) = finished(&server, id.as_str()) else { continue };
        let approved = entry.review.as_ref().is_some_and(|review| review.approved_by.is_some());
        let Some(output) = entry.output.filter(|_| approved).map(PathBuf::from) else { continue };
        let name = output.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        // Two uploads of one name: the later one's copy is named with its id.
        let name = if copies.iter().any(|(taken, _)| *taken == name) { format!("{}-{name}", id.as_str()) } else { name };
        copies.push((name, output));
    }
    if copies.is_empty() {
        return Err(refused(StatusCode::NOT_FOUND, "no copy has been approved yet"));
    }
    let zip = tokio::task::spawn_blocking(move || zip_files(&copies)).await.map_err(internal)?.map_err(internal)?;
    let size = zip.metadata().map_err(internal)?.len();
    let headers = [
        (header::CONTENT_TYPE, "application/zip".to_string()),
        (header::CONTENT_LENGTH, size.to_string()),
        (header::CONTENT_DISPOSITION, "attachment; filename=\"approved-copies.zip\"".to_string()),
    ];
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(tokio::fs::File::from_std(zip)));
    Ok((headers, body).into_response())
}

/// The files zipped into an unnamed temporary file, which goes when the last handle to it does.
fn zip_files(files: &[(String, PathBuf)]) -> anyhow::Result<std::fs::File> {
    let mut zip = zip::ZipWriter::new(tempfile::tempfile()?);
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored).large_file(true);
    for (name, path) in files {
        zip.start_file(name.as_str(), stored)?;
        std::io::copy(&mut std::fs::File::open(path)?, &mut zip)?;
    }
    let mut file = zip.finish()?;
    file.flush()?;
    file.rewind()?;
    Ok(file)
}

enum Disposition {
    /// Shown in the page (key frames, originals).
    Inline,
    /// Saved under its own name (copies).
    Attachment,
}

/// The file as tower-http serves one (its media type by extension, ranges for a video player
/// that seeks, conditional requests), with how the browser is to treat it.
async fn send_file(path: &FsPath, disposition: Disposition, request: Request) -> Answer<Response> {
    let served = ServeFile::new(path).oneshot(request).await.map_err(internal)?;
    let mut response = served.map(Body::new);
    let name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    let disposition = match disposition {
        Disposition::Inline => "inline".to_string(),
        Disposition::Attachment => format!("attachment; filename=\"{}\"", ascii_file_name(&name)),
    };
    response.headers_mut().insert(header::CONTENT_DISPOSITION, HeaderValue::from_str(&disposition).map_err(internal)?);
    Ok(response)
}

/// A file name safe inside a quoted header parameter: anything but letters, digits, `.`, `-`
/// and `_` becomes `_`.
fn ascii_file_name(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' }).collect()
}
