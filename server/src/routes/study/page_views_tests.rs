//! The study pages rendered from fixed values, without a server: the answer form carries
//! everything the answer needs, each presentation shows its own controls, and text is escaped.

use super::*;

fn source() -> SourceRef {
    SourceRef {
        document: "wiki".into(),
        document_title: "History".into(),
        citation: "History (Wiki, 2024)".into(),
        quote: "Saigon fell on 30 April".into(),
    }
}

fn study(presentation: &'static str) -> StudyPage {
    StudyPage {
        page: PageCtx::learner_for_tests(),
        deck_id: "vn".into(),
        deck_title: "Vietnam".into(),
        mode: "",
        assignment_id: Some(AssignmentId(3)),
        card_id: "fall/date".into(),
        review_id: "6f9619ff-8b86-d011-b42d-00c04fc964ff".into(),
        reps: 2,
        shown_at: 1_700_000_000_000,
        presentation,
        prompt: "When did <script>Saigon</script> fall?".into(),
        slots: vec![],
        positions: vec![],
        choices: vec!["1975".into(), "1976 & after".into()],
        typed_hint: "a year",
        back: "30 April 1975".into(),
        back_order: vec![],
        notes: vec![],
        sources: vec![source()],
        error: None,
        focus: "era=fall".into(),
        focus_label: "the fall of Saigon".into(),
        progress_label: "3 of 10 today".into(),
        progress_done: 3,
        progress_total: 10,
        progress_percent: 30,
    }
}

#[test]
fn the_answer_form_carries_the_card_review_position_and_focus() {
    let html = study("multiple_choice").render().unwrap();
    for hidden in [
        "name=\"csrf_token\" value=\"tok\"",
        "name=\"card_id\" value=\"fall/date\"",
        "name=\"review_id\" value=\"6f9619ff-8b86-d011-b42d-00c04fc964ff\"",
        "name=\"reps\" value=\"2\"",
        "name=\"shown_at\" value=\"1700000000000\"",
        "name=\"deck\" value=\"vn\"",
        "name=\"focus\" value=\"era=fall\"",
        "name=\"assignment\" value=\"3\"",
    ] {
        assert!(html.contains(hidden), "{hidden} in {html}");
    }
    assert!(html.contains("action=\"/study/answer\""));
    assert!(html.contains("When did &#60;script&#62;Saigon&#60;/script&#62; fall?"));
    assert!(!html.contains("<script>Saigon"));
    assert!(html.contains("aria-valuemax=\"10\" aria-valuenow=\"3\""));
    assert!(
        html.contains("Studying the fall of Saigon · <a href=\"/study?deck=vn\">whole deck</a>")
    );
}

#[test]
fn multiple_choice_offers_one_button_a_choice_and_typed_one_text_field() {
    let html = study("multiple_choice").render().unwrap();
    assert!(
        html.contains("name=\"choice\" value=\"0\" data-key=\"1\"><kbd>1</kbd> 1975</button>"),
        "{html}"
    );
    assert!(html.contains("value=\"1\" data-key=\"2\"><kbd>2</kbd> 1976 &#38; after</button>"));
    assert!(!html.contains("name=\"typed\""));
    let typed = study("typed").render().unwrap();
    assert!(
        typed.contains("<input id=\"typed\" name=\"typed\""),
        "{typed}"
    );
    assert!(typed.contains("<span class=\"hint\">(a year)</span>"));
    assert!(!typed.contains("name=\"choice\""));
}

#[test]
fn a_flashcard_shows_the_back_its_source_and_four_grades() {
    let html = study("flashcard").render().unwrap();
    assert!(html.contains("<p>30 April 1975</p>"), "{html}");
    assert!(html.contains(
        "<blockquote><p>“Saigon fell on 30 April”</p><footer>History (Wiki, 2024)</footer>"
    ));
    for (n, word) in [(1, "Again"), (2, "Hard"), (3, "Good"), (4, "Easy")] {
        assert!(html.contains(&format!(
            "name=\"grade\" value=\"{n}\" data-key=\"{n}\"><kbd>{n}</kbd> {word}</button>"
        )));
    }
}

#[test]
fn a_chronology_keeps_the_positions_chosen_before_an_error() {
    let mut page = study("multiple_choice");
    page.slots = vec![
        OrderSlot {
            title: "Fall of Saigon".into(),
            index: 0,
            chosen: Some(2),
        },
        OrderSlot {
            title: "Reunification".into(),
            index: 1,
            chosen: None,
        },
    ];
    page.positions = vec![1, 2];
    page.error = Some("Give each event a different position.".into());
    let html = page.render().unwrap();
    assert!(
        html.contains(
            "id=\"answer-error\" role=\"alert\">Give each event a different position.</p>"
        ),
        "{html}"
    );
    assert!(html.contains("<label for=\"order-0\">Fall of Saigon</label>"));
    assert!(html.contains("<option value=\"2\" selected>2 (latest)</option>"));
    assert!(html.contains("<option value=\"1\">1 (earliest)</option>"));
    assert!(html.contains("Check the order</button>"));
}

#[test]
fn the_result_page_gives_the_verdict_both_answers_and_the_way_on() {
    let html = ResultPage {
        page: PageCtx::learner_for_tests(),
        correct: false,
        verdict: "Not quite",
        prompt: "When did Saigon fall?".into(),
        given: "<b>1976</b>".into(),
        answer: "30 April 1975".into(),
        order: vec![],
        events: vec![EventNote {
            title: "Fall of Saigon".into(),
            date: "30 April 1975".into(),
            place: Some("Saigon".into()),
            summary: "North Vietnamese forces take the city.".into(),
            disputes: vec![],
        }],
        sources: vec![source()],
        next_url: "/study?deck=vn&mode=flashcard".into(),
        progress_label: "4 of 10 today".into(),
    }
    .render()
    .unwrap();
    assert!(
        html.contains("<span aria-hidden=\"true\">✗</span> Not quite</h1>"),
        "{html}"
    );
    assert!(html.contains("<dt>Your answer</dt><dd>&#60;b&#62;1976&#60;/b&#62;</dd>"));
    assert!(html.contains("<dd id=\"right-answer\">30 April 1975</dd>"));
    assert!(html.contains("href=\"/study?deck=vn&#38;mode=flashcard\""));
    assert!(html.contains("<p class=\"when\">30 April 1975 · Saigon</p>"));
    assert!(html.contains("<footer>History (Wiki, 2024)</footer>"));
}

#[test]
fn the_done_page_offers_more_only_when_some_is_left() {
    let page = |more_url: Option<String>| {
        DonePage {
            page: PageCtx::learner_for_tests(),
            missed_mode: false,
            message: "You answered 10 cards today.".into(),
            more_url,
            more_left: 1,
        }
        .render()
        .unwrap()
    };
    let more = page(Some("/study?deck=vn&more=1".into()));
    assert!(more.contains("<h1>All done for now</h1>"), "{more}");
    assert!(more.contains("1 more card can be studied now"));
    assert!(more.contains("id=\"more\" href=\"/study?deck=vn&#38;more=1\""));
    let none = page(None);
    assert!(!none.contains("id=\"more\""), "{none}");
    assert!(none.contains("You answered 10 cards today."));
    assert!(none.contains("href=\"/missed\""));
}
