//! The JSON API, version 1, which the page itself uses (docs/guide.md documents it):
//!
//! - `POST /api/v1/files` (multipart/form-data, field `file`) -> `{"id", "name", "status": "queued"}`
//! - `GET /api/v1/files` -> `{"files": [...]}`, every upload's entry, oldest first
//! - `GET /api/v1/files/{id}` -> the report's file entry plus `id` and `name`; `status` is
//!   `queued` or `running` until the run ends
//! - `GET /api/v1/files/{id}/output` -> the redacted copy (`downloads`)
//! - `GET /api/v1/approved.zip` -> every approved copy (`downloads`)
//! - `POST /api/v1/files/{id}/decisions` -> a decisions.json file entry (and who decided, as
//!   `reviewer` or `X-Reviewer`), applied as `apply` applies it; answers the new entry
//! - `POST /api/v1/text` with `{"text": "..."}` -> `{"findings": [...]}`
//!
//! Errors are `{"error": "..."}` with a 4xx status for what the request got wrong, 5xx for
//! what went wrong here.

use super::analysis::Stage;
use super::uploads::{check_file_name, Incoming, UploadId};
use super::Server;
use crate::report::{FileResult, Report};
use crate::review::{apply_decisions, Decisions, FileDecisions, DECISIONS_KIND, DECISIONS_VERSION};
use axum::extract::multipart::{Field, MultipartError};
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::sync::Arc;
use tokio::io::AsyncWriteExt;

pub struct ApiError(pub StatusCode, pub String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

pub type Answer<T> = Result<T, ApiError>;

pub fn refused(status: StatusCode, message: impl Into<String>) -> ApiError {
    ApiError(status, message.into())
}

/// What went wrong here, not in the request: logged in full, answered in brief.
pub fn internal(error: impl std::fmt::Display) -> ApiError {
    eprintln!("phi-redact: serve: {error:#}");
    refused(StatusCode::INTERNAL_SERVER_ERROR, format!("{error:#}"))
}

/// A form that cannot be read: too large (413), or malformed or cut short by the client (400;
/// the multipart reader calls a body that ends before its declared length a server error).
fn multipart_refused(error: MultipartError) -> ApiError {
    let status = match error.status() {
        StatusCode::PAYLOAD_TOO_LARGE => StatusCode::PAYLOAD_TOO_LARGE,
        _ => StatusCode::BAD_REQUEST,
    };
    refused(status, format!("the upload could not be read: {}", error.body_text()))
}

pub async fn upload(State(server): State<Arc<Server>>, mut form: Multipart) -> Answer<(StatusCode, Json<Value>)> {
    while let Some(mut field) = form.next_field().await.map_err(multipart_refused)? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().ok_or_else(|| refused(StatusCode::BAD_REQUEST, "the `file` field has no file name"))?;
        let name = check_file_name(name).map_err(|error| refused(StatusCode::BAD_REQUEST, format!("{error:#}")))?.to_string();
        let incoming = server.uploads.receive(&name).map_err(internal)?;
        receive(&mut field, &incoming, server.max_upload).await?;
        let id = server.uploads.accept(incoming).map_err(internal)?;
        server.queue.push(id.clone());
        return Ok((StatusCode::ACCEPTED, Json(json!({ "id": id.as_str(), "name": name, "status": "queued" }))));
    }
    Err(refused(StatusCode::BAD_REQUEST, "the form has no `file` field"))
}

/// The field's bytes written to the upload's temporary file as they come; refused when empty
/// or over `max_upload`.
async fn receive(field: &mut Field<'_>, incoming: &Incoming, max_upload: u64) -> Answer<()> {
    let mut file = tokio::fs::File::create(&incoming.path).await.map_err(internal)?;
    let mut size = 0;
    while let Some(chunk) = field.chunk().await.map_err(multipart_refused)? {
        size += chunk.len() as u64;
        if size > max_upload {
            return Err(refused(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the file is larger than the {max_upload} bytes --max-upload allows"),
            ));
        }
        file.write_all(&chunk).await.map_err(internal)?;
    }
    if size == 0 {
        return Err(refused(StatusCode::BAD_REQUEST, "the file is empty"));
    }
    file.sync_all().await.map_err(internal)
}

pub async fn list(State(server): State<Arc<Server>>) -> Answer<Json<Value>> {
    let entries = server.queue.all().into_iter().map(|(id, stage)| entry_json(&server, &id, stage)).collect::<Answer<Vec<_>>>()?;
    Ok(Json(json!({ "files": entries })))
}

pub async fn entry(State(server): State<Arc<Server>>, Path(id): Path<String>) -> Answer<Json<Value>> {
    let (id, stage) = known(&server, &id)?;
    entry_json(&server, &id, stage).map(Json)
}

fn known(server: &Server, id: &str) -> Answer<(UploadId, Stage)> {
    let not_found = || refused(StatusCode::NOT_FOUND, "no upload with this id");
    let id = UploadId::parse(id).ok_or_else(not_found)?;
    let stage = server.queue.stage(&id).ok_or_else(not_found)?;
    Ok((id, stage))
}

/// A known upload whose run has ended, its report and its one file entry.
pub fn finished(server: &Server, id: &str) -> Answer<(UploadId, Report, FileResult)> {
    let (id, stage) = known(server, id)?;
    if stage != Stage::Finished {
        return Err(refused(StatusCode::CONFLICT, "the upload is still being analysed"));
    }
    let (report, entry) = finished_entry(server, &id)?;
    Ok((id, report, entry))
}

/// The upload's report and its one file entry, once its run has ended.
fn finished_entry(server: &Server, id: &UploadId) -> Answer<(Report, FileResult)> {
    let path = server.uploads.report_path(id);
    let bytes = std::fs::read(&path).map_err(|error| internal(format!("cannot read {}: {error}", path.display())))?;
    let report = Report::read(&bytes).map_err(internal)?;
    let entry = report.files.first().cloned().ok_or_else(|| internal("the upload's report lists no file"))?;
    Ok((report, entry))
}

fn entry_json(server: &Server, id: &UploadId, stage: Stage) -> Answer<Value> {
    let name = server.uploads.name(id);
    let mut entry = match stage {
        Stage::Queued => json!({ "status": "queued" }),
        Stage::Running => json!({ "status": "running" }),
        // An upload whose report cannot be read is shown as failed, and the others still listed.
        Stage::Finished => match finished_entry(server, id) {
            Ok((_, entry)) => serde_json::to_value(entry).map_err(internal)?,
            Err(ApiError(_, reason)) => json!({ "status": "failed", "reason": reason }),
        },
    };
    if let Value::Object(fields) = &mut entry {
        fields.insert("id".into(), id.as_str().into());
        fields.insert("name".into(), name.into());
    }
    Ok(entry)
}

/// Who the audit trail says decided, when a script names no one.
const UNNAMED_REVIEWER: &str = "unnamed API client";

/// A decisions.json file entry for this upload (its `input` may be left out), and the
/// `reviewer` the audit trail records: a field of its own beside the entry's, or the
/// `X-Reviewer` header.
pub async fn decide(
    State(server): State<Arc<Server>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(mut fields): Json<Map<String, Value>>,
) -> Answer<Json<Value>> {
    let (id, _, entry) = finished(&server, &id)?;
    let from_header = headers.get("x-reviewer").and_then(|value| value.to_str().ok()).map(str::to_string);
    let reviewer = match fields.remove("reviewer") {
        Some(Value::String(name)) => Some(name),
        None => from_header,
        Some(_) => return Err(refused(StatusCode::BAD_REQUEST, "`reviewer` must be a name")),
    };
    let reviewer = reviewer.filter(|name| !name.trim().is_empty()).unwrap_or_else(|| UNNAMED_REVIEWER.into());
    if fields.get("input").is_some_and(|input| input.as_str() != Some(entry.input.as_str())) {
        return Err(refused(StatusCode::BAD_REQUEST, "these decisions name another file"));
    }
    fields.insert("input".into(), entry.input.into());
    // Without the copy they were made on, decisions are made on the copy as it is now.
    if !fields.contains_key("output_sha256") {
        fields.insert("output_sha256".into(), entry.output_sha256.into());
    }
    let file: FileDecisions = serde_json::from_value(Value::Object(fields))
        .map_err(|error| refused(StatusCode::BAD_REQUEST, format!("not a decisions file entry: {error}")))?;
    let report_path = server.uploads.report_path(&id);
    let decisions = Decisions {
        kind: DECISIONS_KIND.into(),
        schema_version: DECISIONS_VERSION,
        report: report_path.clone(),
        reviewer,
        exported_at: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
        files: vec![file],
    };
    let reviewing = Arc::clone(&server);
    let outcome = tokio::task::spawn_blocking(move || {
        let _one_at_a_time = reviewing.reviewing.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        apply_decisions(&decisions, &report_path)
    })
    .await
    .map_err(internal)?
    .map_err(|error| refused(StatusCode::UNPROCESSABLE_ENTITY, format!("{error:#}")))?;
    if let Some((_, reason)) = outcome.failed.first() {
        return Err(refused(StatusCode::UNPROCESSABLE_ENTITY, format!("decisions not applied: {reason}")));
    }
    entry_json(&server, &id, Stage::Finished).map(Json)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextRequest {
    text: String,
}

pub async fn check_text(State(server): State<Arc<Server>>, Json(request): Json<TextRequest>) -> Answer<Json<Value>> {
    if request.text.len() > crate::caption::MAX_TEXT_BYTES {
        return Err(refused(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("at most {} bytes of text are checked at once", crate::caption::MAX_TEXT_BYTES),
        ));
    }
    let checking = Arc::clone(&server);
    let findings =
        tokio::task::spawn_blocking(move || checking.captions.check(&request.text)).await.map_err(internal)?.map_err(internal)?;
    Ok(Json(json!({ "findings": findings })))
}
