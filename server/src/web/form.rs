//! What a form page is built from: fields as typed, with their errors, and the CSRF-only form.

use serde::Deserialize;

/// A form field's value as typed (never a password) and its error message.
#[derive(Default)]
pub struct Field {
    pub value: String,
    pub error: Option<String>,
}

impl Field {
    pub fn new(value: &str) -> Field {
        Field {
            value: value.to_string(),
            error: None,
        }
    }

    /// The value as typed, kept, with what is wrong with it.
    pub fn invalid(value: &str, message: impl Into<String>) -> Field {
        Field {
            value: value.to_string(),
            error: Some(message.into()),
        }
    }
}

/// A form that carries nothing but its CSRF token (a button that does one thing).
#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf_token: String,
}
