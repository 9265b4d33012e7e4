//! Query parameters of the read path, the push API and the resolver: a parameter that does not
//! parse (`?backlinks=abc`) is answered with a problem (`bad-parameter`, 400) naming it, like
//! every other error, instead of axum's plain-text rejection.

use super::problem::Problem;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

/// The query string deserialized into `T`.
pub struct Params<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Params<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(params)) => Ok(Self(params)),
            Err(rejection) => Err(bad_parameter(rejection.body_text())),
        }
    }
}

/// The answer to a query parameter that cannot be used: `detail` says which and why (the
/// deserializer's words, within a Czech sentence too).
fn bad_parameter(detail: String) -> Response {
    let czech = format!("parametr dotazu nelze použít: {detail}");
    Problem::new(StatusCode::BAD_REQUEST, "bad-parameter", detail)
        .in_czech(czech)
        .into_response()
}
