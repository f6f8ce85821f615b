//! `phi-redact serve`: the tool as a local web application, for the people who check a photo
//! before it is posted and do not open a terminal. Uploads are queued through the engines
//! loaded once at start (`analysis`), kept under the data folder (`uploads`), reviewed and
//! downloaded through a JSON API (`api`) that the page (`page`) uses like any other client,
//! behind an access token (`access`).
//!
//! The HTTP side is axum on a small tokio runtime; analysis never runs there, but on its own
//! thread and the existing worker pool.

mod access;
mod analysis;
mod api;
mod downloads;
mod page;
mod uploads;

pub use analysis::Analysis;

use crate::caption::CaptionChecker;
use crate::report::THUMBNAIL_DIR;
use access::{require_token, AccessToken};
use analysis::Queue;
use anyhow::{Context, Result};
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::routing::{get, post};
use axum::Router;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use uploads::Uploads;

/// Where and how to listen.
pub struct ServeOptions {
    pub address: SocketAddr,
    pub data: PathBuf,
    pub token_file: Option<PathBuf>,
    pub max_upload: u64,
}

/// What every request handler shares.
pub struct Server {
    uploads: Uploads,
    queue: Queue,
    captions: CaptionChecker,
    max_upload: u64,
    /// Whether the originals may be shown (`--report-originals`).
    report_originals: bool,
    /// Decisions are applied one at a time: each rewrites its upload's report whole.
    reviewing: Mutex<()>,
}

/// Room for a multipart form's boundaries and headers around the file itself.
const FORM_ROOM: u64 = 64 * 1024;
/// The largest JSON body taken (decisions, a caption with its quoting).
const JSON_LIMIT: usize = 2 * crate::caption::MAX_TEXT_BYTES;
/// Every answer: no script, style, image or connection from anywhere but this server, no
/// framing, no caching of what may show PHI, and no token leaked in a Referer.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; media-src 'self'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/// Serves until interrupted (Ctrl-C or SIGTERM).
pub fn run(options: ServeOptions, analysis: Analysis, captions: CaptionChecker) -> Result<()> {
    let uploads = Uploads::open(&options.data)?;
    let report_originals = analysis.settings.report_originals;
    let queue = Queue::start(analysis, uploads.clone())?;
    let server = Arc::new(Server { uploads, queue, captions, max_upload: options.max_upload, report_originals, reviewing: Mutex::new(()) });
    let token = AccessToken::fresh()?;
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(async {
        let listener =
            tokio::net::TcpListener::bind(options.address).await.with_context(|| format!("cannot listen on {}", options.address))?;
        let address = listener.local_addr()?;
        if let Some(path) = &options.token_file {
            // Written through a temporary file, which is created readable by this user only.
            crate::fsutil::write_atomically(path, token.as_str().as_bytes())
                .with_context(|| format!("cannot write the token file {}", path.display()))?;
        }
        crate::app::print_line(format!("phi-redact: serving {} at http://{address}/?token={}", options.data.display(), token.as_str()))?;
        axum::serve(listener, router(server, token)).with_graceful_shutdown(stopped()).await.context("the server stopped")
    })
}

fn router(server: Arc<Server>, token: AccessToken) -> Router {
    let upload_limit = usize::try_from(server.max_upload.saturating_add(FORM_ROOM)).unwrap_or(usize::MAX);
    let uploads = post(api::upload).layer(DefaultBodyLimit::max(upload_limit));
    let json_limit = DefaultBodyLimit::max(JSON_LIMIT);
    let header = |name, value| SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value));
    // A review page sends its own policy, which allows its inline script by hash.
    let default_policy =
        SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    Router::new()
        .route("/", get(page::index))
        .route("/app.js", get(page::script))
        .route("/app.css", get(page::style))
        // Browsers ask for one on every page; there is none, and that is no error.
        .route("/favicon.ico", get(|| async { axum::http::StatusCode::NO_CONTENT }))
        .route("/api/v1/files", uploads.get(api::list))
        .route("/files/{id}/review", get(page::review))
        .route(&format!("/files/{{id}}/{THUMBNAIL_DIR}/{{name}}"), get(downloads::key_frame))
        .route("/api/v1/files/{id}", get(api::entry))
        .route("/api/v1/files/{id}/output", get(downloads::output))
        .route("/api/v1/files/{id}/original", get(downloads::original))
        .route("/api/v1/approved.zip", get(downloads::approved_zip))
        .route("/api/v1/files/{id}/decisions", post(api::decide).layer(json_limit))
        .route("/api/v1/text", post(api::check_text).layer(json_limit))
        .with_state(server)
        // A declared length over the limit is refused before any of the body is read.
        .layer(RequestBodyLimitLayer::new(upload_limit))
        .layer(axum::middleware::from_fn_with_state(token, require_token))
        .layer(default_policy)
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::REFERRER_POLICY, "no-referrer"))
        .layer(header(header::CACHE_CONTROL, "no-store"))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
}

/// Resolves on Ctrl-C or SIGTERM.
async fn stopped() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {},
        () = terminate => {},
    }
    eprintln!("phi-redact: serve stopped");
}
