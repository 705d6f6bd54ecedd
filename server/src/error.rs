//! Errors at the HTTP boundary: every API failure becomes an RFC 9457 problem details body with
//! the right status; server-side details are logged, never sent.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bao_contract::Problem;

use crate::db::DbError;
use crate::search::SearchError;

/// What can go wrong while answering an API request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The client asked for something that does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The client sent a malformed request.
    #[error("{0}")]
    BadRequest(String),
    /// The server failed; the client is told nothing more.
    #[error("storage: {0}")]
    Storage(#[from] DbError),
    #[error("search: {0}")]
    Search(#[from] SearchError),
    #[error("background task: {0}")]
    Task(#[from] tokio::task::JoinError),
    /// The widget bundle was not built before the server started.
    #[error("the widget bundle is not available")]
    BundleMissing,
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::BundleMissing => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Storage(_) | ApiError::Search(_) | ApiError::Task(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let detail = match &self {
            ApiError::NotFound(detail) | ApiError::BadRequest(detail) => Some(detail.clone()),
            ApiError::BundleMissing => {
                Some("Le serveur a démarré sans le widget compilé (cargo xtask build-widget).".into())
            }
            ApiError::Storage(_) | ApiError::Search(_) | ApiError::Task(_) => {
                tracing::error!(error = %self, "request failed");
                None
            }
        };
        problem_response(status, detail)
    }
}

/// A problem details response for `status`, with the status's reason as title.
pub fn problem_response(status: StatusCode, detail: Option<String>) -> Response {
    let problem = Problem {
        problem_type: "about:blank".into(),
        title: status.canonical_reason().unwrap_or("Error").into(),
        status: status.as_u16(),
        detail,
    };
    let mut response = (status, Json(problem)).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    response
}
