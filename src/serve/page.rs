//! The pages people open. The front page: drop files, follow their analysis, open each one's
//! review, download what is approved, and check the caption; static, it draws everything from
//! the JSON API with its own script, served from this server (the policy allows no inline
//! script). Each upload's review: the review page `redact` writes, its decisions applied at once.

use super::api::{finished, internal, Answer};
use super::Server;
use crate::review::{live_page, LiveLinks};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

const INDEX: &str = include_str!("page/index.html");
const SCRIPT: &str = concat!(include_str!("../review/dom.js"), include_str!("page/app.js"));
const STYLE: &str = include_str!("page/app.css");

pub async fn index() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], INDEX)
}

pub async fn script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], SCRIPT)
}

pub async fn style() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE)
}

pub async fn review(State(server): State<Arc<Server>>, Path(id): Path<String>) -> Answer<Response> {
    let (id, report, entry) = finished(&server, &id)?;
    let api = format!("/api/v1/files/{}", id.as_str());
    let links = LiveLinks {
        name: server.uploads.name(&id).unwrap_or_else(|| id.as_str().to_string()),
        output: entry.output.is_some().then(|| format!("{api}/output")),
        original: server.report_originals.then(|| format!("{api}/original")),
        decisions: format!("{api}/decisions"),
    };
    let (html, policy) = live_page(&report, links).map_err(internal)?;
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8".to_string()), (header::CONTENT_SECURITY_POLICY, policy)], html).into_response())
}
