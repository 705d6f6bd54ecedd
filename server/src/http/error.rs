//! Errors at the HTTP boundary: every failure becomes an RFC 9457 problem details body with the
//! right status — including what axum rejects before a handler runs, through the [`ApiQuery`] and
//! [`ApiPath`] extractors; server-side details are logged, never sent.

use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{FromRequestParts, Path, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bao_contract::Problem;

use crate::search::SearchError;
use crate::store::DbError;

/// What can go wrong while answering a request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The client asked for something that does not exist.
    #[error("{0}")]
    NotFound(String),
    /// What the client asked for was withdrawn by its network (the id will never name another).
    #[error("{0}")]
    Gone(String),
    /// The client sent a malformed request.
    #[error("{0}")]
    BadRequest(String),
    /// What the client asked for opens with a key it did not give (a network's reuse figures).
    #[error("{0}")]
    Forbidden(String),
    /// The client sent more bytes than the route takes (its limit).
    #[error("larger than {0} bytes")]
    TooLarge(usize),
    /// The client asked for something this server does not do (an oEmbed format other than JSON).
    #[error("{0}")]
    NotImplemented(String),
    /// The server failed; the client is told nothing more.
    #[error("storage: {0}")]
    Storage(#[from] DbError),
    #[error("search: {0}")]
    Search(#[from] SearchError),
    #[error("background task: {0}")]
    Task(#[from] tokio::task::JoinError),
    #[error("page template: {0}")]
    Template(#[from] askama::Error),
    #[error("reading an answer: {0}")]
    Answer(axum::Error),
    #[error("open data: {0}")]
    Export(#[from] crate::opendata::dataset::ExportError),
    /// What the client asked for is answered by another server, away for now (a scale-out's
    /// reports, on a replica).
    #[error("{0}")]
    Elsewhere(String),
    /// The widget bundle was not built before the server started.
    #[error("the widget bundle is not available")]
    BundleMissing,
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Gone(_) => StatusCode::GONE,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::NotImplemented(_) => StatusCode::NOT_IMPLEMENTED,
            ApiError::BundleMissing | ApiError::Elsewhere(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Storage(_)
            | ApiError::Search(_)
            | ApiError::Task(_)
            | ApiError::Template(_)
            | ApiError::Answer(_)
            | ApiError::Export(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let detail = match self {
            ApiError::NotFound(detail)
            | ApiError::Gone(detail)
            | ApiError::BadRequest(detail)
            | ApiError::Forbidden(detail)
            | ApiError::Elsewhere(detail)
            | ApiError::NotImplemented(detail) => Some(detail),
            ApiError::TooLarge(limit) => Some(format!("Trop long : {limit} octets au plus.")),
            ApiError::BundleMissing => {
                Some("Le serveur a démarré sans le widget compilé (cargo xtask build-widget).".into())
            }
            server_side => {
                tracing::error!(error = %server_side, "request failed");
                None
            }
        };
        problem_response(status, detail)
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::BadRequest(format!("Paramètres invalides : {}", rejection.body_text()))
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        ApiError::BadRequest(format!("Adresse invalide : {}", rejection.body_text()))
    }
}

/// axum's `Query`, rejecting as a problem.
#[derive(Debug, FromRequestParts)]
#[from_request(via(Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// axum's `Path`, rejecting as a problem (a path that is not UTF-8, like `%ff`, is one).
#[derive(Debug, FromRequestParts)]
#[from_request(via(Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

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

/// The problems the API's answers document, each declared once: a route's `#[utoipa::path]`
/// lists those it may give beside its own answers (`responses((status = 200, …), Invalid,
/// Unknown)`), and the OpenAPI document says each the same way.
pub mod documented {
    use bao_contract::Problem;
    use utoipa::IntoResponses;

    /// One documented problem: its type, status and description.
    macro_rules! problem {
        ($(#[doc = $doc:tt])* $name:ident, $status:tt, $description:tt) => {
            $(#[doc = $doc])*
            #[derive(IntoResponses)]
            #[response(status = $status, description = $description, content_type = "application/problem+json")]
            pub struct $name(#[allow(dead_code)] Problem);
        };
    }

    problem!(
        /// 400: a parameter or a body the route does not take; `detail` says which and why.
        Invalid, 400, "Paramètre invalide"
    );
    problem!(
        /// 403: what opens with a key, asked without it.
        KeyNeeded, 403, "Sans la clé attendue"
    );
    problem!(
        /// 404: nothing under this name (id, network, source), or a route this server does not open.
        Unknown, 404, "Rien sous ce nom"
    );
    problem!(
        /// 410: a resource its network withdrew; its id will never name another.
        Withdrawn, 410, "Retirée par son réseau"
    );
    problem!(
        /// 413: a body over the route's limit.
        TooLarge, 413, "Trop lourd"
    );
    problem!(
        /// 429: a client over its rate; `Retry-After` says when to ask again.
        TooMany, 429, "Trop de demandes de ce client (voir Retry-After)"
    );
    problem!(
        /// 503: answered by another server, away for now (a scale-out's reports, on a replica).
        Elsewhere, 503, "Ailleurs : sur le serveur principal"
    );
}
