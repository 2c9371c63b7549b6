//! "Are you sure?" as a page of its own, so that a destructive button works without
//! JavaScript: the first click shows what will happen, the POST from this page does it.

use super::page::PageCtx;
use askama::Template;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "confirm.html")]
pub struct ConfirmPage {
    pub page: PageCtx,
    pub heading: String,
    /// What will happen and what will not, one paragraph each.
    pub explain: Vec<String>,
    /// Where the confirmed POST goes.
    pub action: String,
    pub button: String,
    /// Red button: the action cannot be undone.
    pub danger: bool,
    /// Where "Cancel" and the crumb go.
    pub back: String,
    pub back_label: String,
}

/// A destructive form: its CSRF token and the `confirm=yes` that only the confirmation page
/// sends.
#[derive(Deserialize)]
pub struct ConfirmedForm {
    #[serde(default)]
    pub csrf_token: String,
    #[serde(default)]
    pub confirm: String,
}

impl ConfirmedForm {
    pub fn confirmed(&self) -> bool {
        self.confirm == "yes"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_posts_the_confirmation_and_offers_a_way_back() {
        let html = ConfirmPage {
            page: PageCtx::anonymous("t0k".into()),
            heading: "Delete “Dates”?".into(),
            explain: vec!["Students keep their progress.".into()],
            action: "/classes/1/assignments/2/delete".into(),
            button: "Delete the assignment".into(),
            danger: true,
            back: "/classes/1/assignments/2".into(),
            back_label: "Dates".into(),
        }
        .render()
        .unwrap();
        assert!(html.contains(r#"<form method="post" action="/classes/1/assignments/2/delete">"#));
        assert!(html.contains(r#"name="confirm" value="yes""#));
        assert!(html.contains(r#"name="csrf_token" value="t0k""#));
        assert!(html.contains(r#"<a class="button" href="/classes/1/assignments/2">Cancel</a>"#));
        assert!(html.contains("Students keep their progress."));
    }
}
