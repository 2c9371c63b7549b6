//! What the HTTP faces share, below the extractors and the handlers: how page and API errors
//! become responses, and what every page's layout needs.

pub mod api_error;
pub mod confirm;
pub mod error;
pub mod form;
pub mod page;
pub mod redirect;
pub mod request_log;
pub mod respond;
