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

/// One line of a form's error summary: what is wrong, linking to the field (by its id).
pub struct Problem {
    pub target: &'static str,
    pub message: String,
}

/// The error summary of a form, fields in page order as `(field id, its error)`.
pub fn problems<'a>(
    fields: impl IntoIterator<Item = (&'static str, &'a Option<String>)>,
) -> Vec<Problem> {
    fields
        .into_iter()
        .filter_map(|(target, error)| {
            error.as_ref().map(|m| Problem {
                target,
                message: m.clone(),
            })
        })
        .collect()
}
