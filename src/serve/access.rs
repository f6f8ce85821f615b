//! Who may use the server: whoever holds its access token, drawn afresh at every start. Scripts
//! send it as `Authorization: Bearer TOKEN`; a browser opens the URL printed, `/?token=TOKEN`,
//! which sets it as a cookie (HttpOnly, SameSite=Strict) and sends the browser on to the same
//! page without the token in its address bar.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::sync::Arc;

const COOKIE: &str = "phi_redact_token";
const QUERY: &str = "token=";

#[derive(Clone)]
pub struct AccessToken(Arc<str>);

impl AccessToken {
    pub fn fresh() -> anyhow::Result<Self> {
        Ok(Self(hex::encode(crate::hashing::random_bytes::<32>()?).into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Compared in time that does not depend on where the guess first differs.
    fn matches(&self, offered: &str) -> bool {
        let (expected, offered) = (self.0.as_bytes(), offered.as_bytes());
        expected.len() == offered.len() && expected.iter().zip(offered).fold(0, |differ, (a, b)| differ | (a ^ b)) == 0
    }

    fn offered_in(&self, headers: &HeaderMap) -> bool {
        let bearer =
            headers.get(header::AUTHORIZATION).and_then(|value| value.to_str().ok()).and_then(|value| value.strip_prefix("Bearer "));
        let cookies = headers.get_all(header::COOKIE).iter().filter_map(|value| value.to_str().ok());
        let from_cookie = cookies.flat_map(|value| value.split(';')).filter_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('='));
        bearer.into_iter().chain(from_cookie).any(|offered| self.matches(offered))
    }
}

/// Lets a request through only with the token; the printed URL's query sets the cookie.
pub async fn require_token(State(token): State<AccessToken>, request: Request, next: Next) -> Response {
    if token.offered_in(request.headers()) {
        return next.run(request).await;
    }
    let query = request.uri().query().unwrap_or_default();
    if query.split('&').filter_map(|pair| pair.strip_prefix(QUERY)).any(|offered| token.matches(offered)) {
        let cookie = format!("{COOKIE}={}; HttpOnly; SameSite=Strict; Path=/", token.as_str());
        return ([(header::SET_COOKIE, cookie)], Redirect::to(request.uri().path())).into_response();
    }
    (StatusCode::UNAUTHORIZED, axum::Json(serde_json::json!({ "error": "the access token is missing or wrong" }))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_token_is_taken_from_the_bearer_header_or_the_cookie() {
        let token = AccessToken::fresh().unwrap();
        let with = |name, value: String| {
            let mut headers = HeaderMap::new();
            headers.insert(name, HeaderValue::from_str(&value).unwrap());
            token.offered_in(&headers)
        };
        assert!(with(header::AUTHORIZATION, format!("Bearer {}", token.as_str())));
        assert!(with(header::COOKIE, format!("theme=dark; {COOKIE}={}", token.as_str())));
        assert!(!with(header::AUTHORIZATION, format!("Bearer {}x", token.as_str())));
        assert!(!with(header::AUTHORIZATION, token.as_str().to_string()), "no scheme");
        assert!(!with(header::COOKIE, format!("other_{COOKIE}={}", token.as_str())));
        assert!(!token.offered_in(&HeaderMap::new()));
        assert_eq!(token.as_str().len(), 64);
    }
}
