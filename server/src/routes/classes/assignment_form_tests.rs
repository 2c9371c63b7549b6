//! The assignment form rendered from fixed values: what was chosen stays chosen, each error
//! sits at the top and beside its field, and a review of hand-picked cards keeps its cards.

use super::super::fixtures::{self, ESCAPED_NAME};
use super::*;

fn opt(value: &str, label: &str, checked: bool) -> Opt {
    Opt {
        value: value.into(),
        label: label.into(),
        checked,
    }
}

fn form(cards: Vec<String>) -> String {
    FormPage {
        page: PageCtx::teacher_for_tests(),
        class: fixtures::class(),
        heading: "New assignment".into(),
        action: "/classes/7/assignments".into(),
        title: Field::invalid("", "Give the assignment a title."),
        decks: vec![opt("vn", "Vietnam", true), opt("kh", "Cambodia", false)],
        eras: vec![opt("fall", "The fall", true)],
        tags: vec![opt("war", "war", false)],
        events: vec![EraGroup {
            title: "The fall".into(),
            events: vec![opt("fall", "Fall of <Saigon>", true)],
        }],
        kinds: vec![
            opt("date", "Date of an event", true),
            opt("place", "Place", false),
        ],
        cards,
        selection_error: None,
        kinds_error: Some("Pick at least one kind of question.".into()),
        goal: "stability".into(),
        stability: Field::new("21"),
        due: Field::invalid("2026-13-01T10:00", "That is not a date."),
        zone: "Asia/Ho_Chi_Minh".into(),
    }
    .render()
    .unwrap()
}

#[test]
fn the_form_keeps_every_choice_and_lists_each_error_at_the_top_and_beside_its_field() {
    let html = form(vec![]);
    assert!(
        html.contains(&format!("<a href=\"/classes/7\">{ESCAPED_NAME}</a>")),
        "{html}"
    );
    assert!(html.contains("action=\"/classes/7/assignments\""));
    assert!(html.contains("name=\"csrf_token\" value=\"tok\""));
    assert!(html.contains("There are 3 problems"));
    assert!(html.contains("<a href=\"#title\">Give the assignment a title.</a>"));
    assert!(html.contains("<a href=\"#kinds\">Pick at least one kind of question.</a>"));
    assert!(html.contains("<a href=\"#due_date\">That is not a date.</a>"));
    assert!(html.contains("id=\"title-error\">Give the assignment a title.</p>"));
    assert!(html.contains("id=\"kinds-error\">Pick at least one kind of question.</p>"));
    assert!(html.contains(
        "value=\"2026-13-01T10:00\" aria-invalid=\"true\" aria-describedby=\"due-error\""
    ));
    assert!(html.contains(
        "<option value=\"vn\" selected>Vietnam</option><option value=\"kh\">Cambodia</option>"
    ));
    assert!(html.contains("name=\"eras\" value=\"fall\" checked> The fall"));
    assert!(html.contains("name=\"tags\" value=\"war\"> war"));
    assert!(html.contains("name=\"events\" value=\"fall\" checked> Fall of &#60;Saigon&#62;"));
    assert!(html.contains("name=\"kinds\" value=\"date\" checked> Date of an event"));
    assert!(html.contains("name=\"goal\" value=\"stability\" checked>"));
    assert!(html.contains(
        "name=\"stability_days\" type=\"number\" min=\"1\" max=\"365\" step=\"1\" value=\"21\""
    ));
    assert!(html.contains("(optional; your time, Asia/Ho_Chi_Minh)"));
}

#[test]
fn a_review_of_hand_picked_cards_carries_them_instead_of_the_selection() {
    let html = form(vec!["fall/date".into(), "fall/place".into()]);
    assert!(html.contains("asks 2 hand-picked questions"), "{html}");
    assert!(html.contains("<input type=\"hidden\" name=\"cards\" value=\"fall/date\">"));
    assert!(html.contains("<input type=\"hidden\" name=\"cards\" value=\"fall/place\">"));
    assert!(!html.contains("name=\"eras\""));
    assert!(!html.contains("name=\"kinds\""));
}
