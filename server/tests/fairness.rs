//! The fairness rules on a small synthetic deck that holds every tricky case
//! (tests/fixtures/fair/tricky.toml), one deck per lint rule that breaks it
//! (tests/fixtures/lint/RULE.toml), and questions tampered with to break each rule the
//! generator itself keeps.

use chronicle::catalog::Catalog;
use chronicle::dataset::{Deck, parse_deck};
use chronicle::questions::{Kind, Question, Rule, answer, cards_and_suppressed, lint};
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

#[path = "support/fair_checks.rs"]
mod fair_checks;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn tricky() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        Catalog::load(&fixtures().join("fair")).unwrap_or_else(|e| panic!("tricky deck:\n{e}"))
    })
}

fn deck() -> &'static Deck {
    &tricky().decks[0]
}

fn question(card: &str, seed: u64) -> Question {
    tricky()
        .question(card, seed)
        .unwrap_or_else(|| panic!("no card {card}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_tricky_question_is_fair_for_any_seed(seed in any::<u64>()) {
        for card in &tricky().cards {
            let q = tricky().question(&card.id, seed).expect("every offered card generates");
            fair_checks::check_question(deck(), &q)?;
        }
    }
}

#[test]
fn the_tricky_deck_passes_the_lint() {
    let findings: Vec<String> = lint::lint(deck()).iter().map(|f| f.to_string()).collect();
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn a_span_is_asked_as_a_span_and_any_date_inside_it_is_right() {
    // From the deck: 1981 to 1982.
    for seed in 0..30 {
        let q = question("dry-season-offensives/date", seed);
        assert_eq!(q.answer, "1981–1982");
        assert!(
            !q.choices.iter().any(|c| c == "1981" || c == "1982"),
            "{:?}",
            q.choices
        );
        for typed in ["1982", "1981", "1981-1982"] {
            assert!(answer::check_typed(&q.expected, typed), "{typed}");
        }
        assert!(!answer::check_typed(&q.expected, "1983"));
    }
    let tf: Vec<Question> = (0..60)
        .map(|s| question("winter-campaign/true_false", s))
        .filter(|q| q.statement.as_ref().is_some_and(|s| s.about == "date"))
        .collect();
    assert!(!tf.is_empty());
    for q in tf {
        let st = q.statement.unwrap();
        // November 1984 to March 1985: "January 1985" would be inside, so never called false.
        assert!(
            st.truth || !st.shown.contains("1985") || st.shown.contains('–'),
            "{st:?}"
        );
    }
}

#[test]
fn inferred_dates_are_never_asked_and_flashcards_say_so() {
    for e in ["investment-grows", "scholarships"] {
        for kind in ["date", "event_on_date", "chronology"] {
            assert!(
                tricky().card(&format!("{e}/{kind}")).is_none(),
                "{e}/{kind}"
            );
        }
        let card = question(&format!("{e}/flashcard"), 0);
        assert!(
            card.answer
                .to_lowercase()
                .contains("date not stated in the sources"),
            "{}",
            card.answer
        );
    }
    for card in &tricky().cards {
        for seed in 0..10 {
            let q = question(&card.id, seed);
            if matches!(q.kind, Kind::Date | Kind::EventOnDate | Kind::Chronology) {
                assert!(
                    !q.event_ids
                        .iter()
                        .any(|id| deck().event(id).unwrap().date_inferred)
                );
                assert!(
                    !q.choices
                        .iter()
                        .any(|c| c == "Investment grows" || c == "Scholarships given")
                );
            }
        }
    }
}

#[test]
fn a_flashcard_never_states_an_inferred_date() {
    // From the deck: investment-grows is put in 2023, which no quote gives; its only article
    // is dated 7 January 2024. scholarships' article has no date at all.
    let back = question("investment-grows/flashcard", 0).answer;
    assert!(!back.contains("2023"), "{back}");
    assert!(
        back.starts_with("Reported by January 2024 (date not stated in the sources)"),
        "{back}"
    );
    let back = question("scholarships/flashcard", 0).answer;
    assert!(
        back.starts_with("Date not stated in the sources. "),
        "{back}"
    );
}

#[test]
fn a_question_on_when_cites_what_happened_not_only_the_date() {
    // From the deck: "Over the four years from 1980 to 1983" dates volunteers-decade, and only
    // the other quote tells the nickname its title asks about.
    let nickname = "people called the volunteers guardians of the river";
    for card in [
        "volunteers-decade/date",
        "volunteers-decade/event_on_date",
        "volunteers-decade/true_false",
    ] {
        for seed in 0..20 {
            let q = question(card, seed);
            if q.statement.as_ref().is_some_and(|s| s.about != "date") {
                continue;
            }
            assert!(
                q.sources.iter().any(|s| s.quote == nickname),
                "{card} (seed {seed}): {:?}",
                q.sources
            );
        }
    }
}

#[test]
fn place_and_chronology_questions_cite_what_happened_beside_the_fact() {
    // From the deck: the market fire's first quote names the place; only the second says
    // what the fire did, and a learner shown the place alone would not see it.
    let deed = "the traders lost their stalls to the fire";
    for seed in 0..20 {
        let q = question("market-burned/place", seed);
        assert!(
            q.sources.iter().any(|s| s.quote == deed),
            "seed {seed}: {:?}",
            q.sources
        );
    }
    // A chronology cites every quote of each of its events, not only the dated ones.
    let mut chronologies = 0;
    for card in tricky()
        .cards
        .iter()
        .filter(|c| c.id.ends_with("/chronology"))
    {
        for seed in 0..5 {
            let q = question(&card.id, seed);
            for id in &q.event_ids {
                let event = deck().events.iter().find(|e| e.id == *id).unwrap();
                for s in &event.sources {
                    assert!(
                        q.sources.iter().any(|c| c.quote == s.quote),
                        "{} (seed {seed}) lacks {:?}",
                        card.id,
                        s.quote
                    );
                }
            }
            chronologies += 1;
        }
    }
    assert!(chronologies > 0, "the tricky deck has no chronology");
}

#[test]
fn a_place_the_deck_ties_to_the_event_is_never_a_wrong_one() {
    // From the deck: River Town fell on 7 January 1979, the day Big City did; the Old Town
    // market fire's own quote names Port Town.
    for seed in 0..60 {
        let q = question("capital-taken/place", seed);
        assert!(
            !q.choices.iter().any(|c| c == "River Town"),
            "{:?}",
            q.choices
        );
        let q = question("market-burned/place", seed);
        assert!(
            !q.choices.iter().any(|c| c == "Port Town"),
            "{:?}",
            q.choices
        );
        let q = question("capital-taken/true_false", seed);
        let st = q.statement.unwrap();
        assert!(!(st.about == "place" && st.shown == "River Town"), "{st:?}");
        // The border raid's month also saw a "border raiding season" told near Port Town.
        let q = question("border-raid/place", seed);
        assert!(
            !q.choices.iter().any(|c| c == "Port Town"),
            "{:?}",
            q.choices
        );
    }
}

#[test]
fn a_dispute_applies_to_every_event_it_touches() {
    let farewell = deck().event("farewell-parade").unwrap();
    assert_eq!(
        farewell.disputes[0].recorded_on.as_deref(),
        Some("troops-withdrawn")
    );
    for kind in ["date", "event_on_date", "chronology"] {
        assert!(
            tricky().card(&format!("farewell-parade/{kind}")).is_none(),
            "{kind}"
        );
    }
    for seed in 0..40 {
        let q = question("farewell-parade/true_false", seed);
        assert_ne!(q.statement.unwrap().about, "date");
    }
}

#[test]
fn a_disputed_date_is_shown_as_each_article_tells_it() {
    // The fixture words each disputed date: "26 September 1989 by article A, 1990 by B".
    let q = question("troops-withdrawn/flashcard", 0);
    assert!(
        q.answer
            .starts_with("26 September 1989 by article A, 1990 by article B"),
        "{}",
        q.answer
    );
    let q = question("farewell-parade/flashcard", 0);
    assert!(q.answer.contains("contradicts"), "{}", q.answer);
    // Where the date is only context (a place question's prompt), one article's is not shown.
    for seed in 0..10 {
        let q = question("farewell-parade/place", seed);
        assert!(!q.prompt.contains("1989"), "{}", q.prompt);
    }
}

#[test]
fn a_wrong_place_lies_in_the_answers_country() {
    // The fixture puts Big City and the other towns in "blueland", Far City in "redland".
    for seed in 0..40 {
        let q = question("capital-taken/place", seed);
        assert!(
            !q.choices.iter().any(|c| c == "Far City"),
            "{:?}",
            q.choices
        );
    }
}

#[test]
fn a_speaker_is_offered_beside_rivals_of_its_own_sort() {
    // From the fixture: Speaker One to Five are people; the Leaders of the Front, the Council
    // of Elders, the Harbour Guild and the Town Assembly are bodies.
    let bodies = [
        "Leaders of the Front",
        "Council of Elders",
        "Harbour Guild",
        "Town Assembly",
    ];
    for seed in 0..40 {
        for card in [
            "one-speaks/speaker",
            "three-speaks/speaker",
            "five-speaks/speaker",
        ] {
            let q = question(card, seed);
            assert!(
                !q.choices.iter().any(|c| bodies.contains(&c.as_str())),
                "{card}: {:?}",
                q.choices
            );
        }
        let q = question("front-declaration/speaker", seed);
        assert!(
            q.choices.iter().all(|c| bodies.contains(&c.as_str())),
            "{:?}",
            q.choices
        );
    }
}

#[test]
fn a_group_never_stands_beside_its_members() {
    for seed in 0..60 {
        for card in [
            "front-declaration/speaker",
            "one-speaks/speaker",
            "two-speaks/speaker",
        ] {
            let q = question(card, seed);
            let has = |n: &str| q.choices.iter().any(|c| c == n);
            assert!(
                !(has("Leaders of the Front") && (has("Speaker One") || has("Speaker Two"))),
                "{:?}",
                q.choices
            );
        }
    }
}

#[test]
fn figures_keep_their_qualifier_and_singular() {
    // "over 600 km" rules no rival out, so it is no figure card; "nearly 500": nothing from
    // 75 % of it up to it is offered; "1 division", not "1 divisions".
    let ids: Vec<&str> = tricky().cards.iter().map(|c| c.id.as_str()).collect();
    assert!(!ids.contains(&"dry-season-offensives/figure-1"), "{ids:?}");
    assert!(!ids.contains(&"border-raid/figure-1"), "{ids:?}");
    for seed in 0..40 {
        let q = question("capital-taken/figure-1", seed);
        assert!(q.prompt.contains("nearly"), "{}", q.prompt);
        for c in q.choices.iter().filter(|c| **c != q.answer) {
            let x = answer::parse_number(c).unwrap();
            assert!(!(375.0..=500.0).contains(&x), "{c}");
        }
        let q = question("winter-campaign/figure-1", seed);
        assert_eq!(q.answer, "1 division");
    }
}

#[test]
fn typed_answers_accept_the_aliases_the_deck_declares() {
    let q = question("one-speaks/speaker", 0);
    assert!(answer::check_typed(&q.expected, "Comrade One"));
    let q = question("trade-record/cloze", 0);
    assert!(answer::check_typed(&q.expected, "Far Land"));
}

#[test]
fn sources_are_cited_by_title_publisher_and_date() {
    let q = question("capital-taken/date", 0);
    assert_eq!(
        q.sources[0].citation,
        "Article A (The Daily, 7 January 2024)"
    );
    assert!(q.sources[0].quote.contains("January 7, 1979"));
}

/// The generator's random stream is ChaCha8, whose output is fixed by its specification;
/// this pins one question's choices so that a change of stream (an upgrade of `rand`, a
/// return to `StdRng`) fails here instead of grading learners against other choices. The
/// expected list was recorded from the generator when the stream was pinned.
#[test]
fn one_questions_choices_are_pinned() {
    let q = question("capital-taken/figure-1", 7);
    assert_eq!(q.choices, PINNED_CHOICES);
}

const PINNED_CHOICES: [&str; 4] = [
    "500 soldiers",
    "300 soldiers",
    "1,000 soldiers",
    "600 soldiers",
];

// ---- Each lint rule fails on a deck that breaks it. ----

/// Loads tests/fixtures/lint/RULE.toml and returns (findings, suppressed) as printed lines.
fn lint_fixture(rule: &str) -> (Vec<String>, Vec<String>) {
    let path = fixtures().join(format!("lint/{rule}.toml"));
    let text = std::fs::read_to_string(&path).unwrap();
    let deck = parse_deck(Path::new(&format!("{rule}.toml")), &text)
        .unwrap_or_else(|e| panic!("{rule}.toml must load:\n{e}"));
    let (cards, suppressed) = cards_and_suppressed(&deck);
    let findings = lint::lint_with(&deck, &cards, &suppressed);
    (
        findings.iter().map(|f| f.to_string()).collect(),
        suppressed
            .iter()
            .map(|s| format!("{}:{}: {}: {}", rule, s.line, s.why.rule, s.card_id))
            .collect(),
    )
}

/// The line of the `[[event]]` holding `marker` in the fixture.
fn event_line(rule: &str, marker: &str) -> usize {
    let text = std::fs::read_to_string(fixtures().join(format!("lint/{rule}.toml"))).unwrap();
    let at = text.find(marker).unwrap();
    let start = text[..at].rfind("[[event]]").unwrap();
    text[..start].lines().count() + 1
}

fn assert_warns(rule: &str, marker: &str) {
    let (findings, _) = lint_fixture(rule);
    let want = format!("{rule}.toml:{}: {rule}: ", event_line(rule, marker));
    assert!(
        findings.iter().any(|f| f.starts_with(&want)),
        "want {want}, got {findings:#?}"
    );
}

fn assert_suppresses(rule: &str, marker: &str, card: &str) {
    let (_, suppressed) = lint_fixture(rule);
    let want = format!("{rule}:{}: {rule}: {card}", event_line(rule, marker));
    assert!(
        suppressed.contains(&want),
        "want {want}, got {suppressed:#?}"
    );
}

#[test]
fn lint_title_date() {
    assert_warns("title-date", "Harbour shelled (June 1978)");
    assert_suppresses(
        "title-date",
        "Harbour shelled (June 1978)",
        "harbour-shelled/date",
    );
}

#[test]
fn lint_title_anniversary() {
    // Not a warning: the title is the honest one; only the date kinds are not asked.
    let (findings, _) = lint_fixture("title-anniversary");
    assert!(
        !findings.iter().any(|f| f.contains("capital-anniversary")),
        "{findings:#?}"
    );
    for kind in ["date", "event_on_date", "chronology"] {
        assert_suppresses(
            "title-anniversary",
            "Tenth anniversary of the capital taken",
            &format!("capital-anniversary/{kind}"),
        );
    }
}

#[test]
fn lint_answer_in_title() {
    assert_warns("answer-in-title", "Battle of Deep Valley");
    assert_suppresses(
        "answer-in-title",
        "Battle of Deep Valley",
        "valley-battle/place",
    );
}

#[test]
fn lint_answer_in_prompt_flashcard_front_gives_back_away() {
    // A flashcard "Tenth anniversary" whose back is "10 years after the victory".
    assert_warns("answer-in-prompt", "Tenth anniversary of the victory");
}

#[test]
fn lint_place_kind_missing() {
    assert_warns("place-kind-missing", "id = \"border-raid\"");
    assert_suppresses(
        "place-kind-missing",
        "id = \"border-raid\"",
        "border-raid/place",
    );
}

#[test]
fn lint_cloze_grammar() {
    assert_warns("cloze-grammar", "[[Outer Land]]");
    assert_suppresses("cloze-grammar", "[[Outer Land]]", "trade-record/cloze");
}

#[test]
fn lint_quote_lacks_fact() {
    assert_suppresses(
        "quote-lacks-fact",
        "the Blue Army held Lake Shore",
        "lake-district-held/date",
    );
    assert_suppresses(
        "quote-lacks-fact",
        "the Blue Army held Lake Shore",
        "lake-district-held/chronology",
    );
}

#[test]
fn lint_start_only_date() {
    // "From 1 October 1984 ..." with no end, and neither an end_date nor open_ended.
    assert_warns("start-only-date", "Siege of the river fort");
    let (findings, _) = lint_fixture("start-only-date");
    // The raid says open_ended, so its "launched" is answered; its over_by is not quoted.
    let raid = event_line("start-only-date", "Harbour raid");
    assert!(
        !findings
            .iter()
            .any(|f| f.starts_with(&format!("start-only-date.toml:{raid}: start-only-date"))),
        "{findings:#?}"
    );
    assert!(
        findings
            .iter()
            .any(|f| f.starts_with(&format!("start-only-date.toml:{raid}: quote-lacks-fact"))),
        "{findings:#?}"
    );
}

#[test]
fn lint_hedge_mismatch() {
    // An exact 300 where the article writes "nearly 300"; an "about" 12 km written bare.
    assert_warns("hedge-mismatch", "Town shelled");
    assert_warns("hedge-mismatch", "Column marched");
}

#[test]
fn lint_undated_rival_figure() {
    // 184 projects in one undated article, 205 in another; fishing teams have no rival.
    assert_warns("undated-rival-figure", "Investment portfolio");
    let (findings, _) = lint_fixture("undated-rival-figure");
    let teams = event_line("undated-rival-figure", "Fishing teams");
    assert!(
        !findings
            .iter()
            .any(|f| f.starts_with(&format!("undated-rival-figure.toml:{teams}:"))),
        "{findings:#?}"
    );
}

#[test]
fn lint_cloze_distractor_tied() {
    // "Route [[19]]" offered beside "2", which the winter offensive's "Routes 7, 1, and 2" has.
    assert_warns("cloze-distractor-tied", "Summer offensive");
}

/// The line of the `[[quote]]` holding `marker` in the fixture.
fn quote_line(rule: &str, marker: &str) -> usize {
    let text = std::fs::read_to_string(fixtures().join(format!("lint/{rule}.toml"))).unwrap();
    let at = text.find(marker).unwrap();
    let start = text[..at].rfind("[[quote]]").unwrap();
    text[..start].lines().count() + 1
}

#[test]
fn lint_quote_event_untied() {
    // The governor's undated words are tied to the withdrawal by nothing the article says;
    // the mayor speaks of the siege, and the general's passage dates the withdrawal.
    let rule = "quote-event-untied";
    let (findings, _) = lint_fixture(rule);
    let at = |marker: &str| format!("{rule}.toml:{}: {rule}: ", quote_line(rule, marker));
    assert!(
        findings
            .iter()
            .any(|f| f.starts_with(&at("governor-for-sure"))),
        "{findings:#?}"
    );
    for tied in ["mayor-besieged", "general-farewell"] {
        assert!(
            !findings.iter().any(|f| f.starts_with(&at(tied))),
            "{tied}: {findings:#?}"
        );
    }
}

#[test]
fn lint_told_date_must_be_quoted() {
    // The relief column's date_as_told names 1 October 1984; in the fixture no quote has it.
    assert_warns("quote-lacks-fact", "Relief column sent");
    let q = question("relief-column/flashcard", 0);
    assert!(
        q.answer
            .starts_with("After the siege begun on 1 October 1984 (date not stated"),
        "{}",
        q.answer
    );
    assert!(rules_broken(&q).is_empty(), "{:?}", rules_broken(&q));
}

#[test]
fn an_event_only_begun_is_no_wrong_answer_while_it_may_still_run() {
    // From the deck: the siege began on 1 October 1984 with no end told, and was over by June
    // 1985. The winter campaign (November 1984 - March 1985) falls in between; the market
    // fire (March 1987) after it.
    let siege = "Siege of the river fort";
    let mut offered_later = false;
    for seed in 0..60 {
        let q = question("winter-campaign/event_on_date", seed);
        assert!(!q.choices.iter().any(|c| c == siege), "{:?}", q.choices);
        let q = question("winter-campaign/true_false", seed);
        if let Some(st) = &q.statement {
            assert!(
                !(st.about == "date" && !st.truth && st.shown == siege),
                "{st:?}"
            );
        }
        for card in [
            "market-burned/event_on_date",
            "lake-district-held/event_on_date",
        ] {
            if let Some(q) = tricky().question(card, seed) {
                offered_later |= q.choices.iter().any(|c| c == siege);
            }
        }
        // Its own questions ask when it began, and never offer a later date as wrong.
        let q = question("river-siege/date", seed);
        assert!(q.prompt.starts_with("When did this begin?"), "{}", q.prompt);
        for c in q.choices.iter().filter(|c| **c != q.answer) {
            let d = answer::parse_date(c).unwrap();
            assert!(d.first_day() < q_first_day("1984-10-01"), "{c}");
        }
    }
    assert!(
        offered_later,
        "once over (June 1985), the siege is a fair wrong answer again"
    );
    let back = question("river-siege/flashcard", 0).answer;
    assert!(back.contains("the articles give no end"), "{back}");
}

fn q_first_day(iso: &str) -> i64 {
    chronicle::dataset::HistDate::parse_iso(iso)
        .unwrap()
        .first_day()
}

#[test]
fn a_hedged_figure_quotes_the_articles_own_word() {
    // "nearly 500 soldiers": the prompt says the article's "nearly", never a hedge of ours.
    let q = question("capital-taken/figure-1", 0);
    assert!(
        q.prompt.ends_with("(the article says “nearly …”)"),
        "{}",
        q.prompt
    );
    // "took around 500 civilians": "around", the article's word, not our "about".
    let q = question("island-seized/figure-1", 0);
    assert!(
        q.prompt.ends_with("(the article says “around …”)"),
        "{}",
        q.prompt
    );
    let q = question("capital-taken/figure-1", 0);
    let mut tampered = q.clone();
    tampered.prompt = tampered.prompt.replace("“nearly …”", "“about …”");
    assert!(rules_broken(&tampered).contains(&Rule::HedgeMismatch));
    // An exact figure carries no hedge.
    let mut tampered = question("trade-record/figure-1", 0);
    tampered.prompt.push_str(" (the article says “about …”)");
    assert!(rules_broken(&tampered).contains(&Rule::HedgeMismatch));
}

#[test]
fn a_true_false_statement_not_about_the_date_shows_the_stated_date() {
    // From the deck: the winter campaign ran November 1984 - March 1985, as a quote states;
    // "length of the campaign" (5 months) is what those dates measure. Investment-grows'
    // 2023 is inferred; the last troops' date is disputed.
    let mut seen = [false; 3];
    for seed in 0..120 {
        let q = question("winter-campaign/true_false", seed);
        let st = q.statement.clone().unwrap();
        let measures = st.about == "figure" && q.prompt.contains("length of the campaign");
        let bare = "True or false? Winter campaign: ";
        let dated = "True or false? Winter campaign (November 1984 – March 1985): ";
        if st.about == "date" || measures {
            seen[usize::from(measures)] = true;
            assert!(q.prompt.starts_with(bare), "{}", q.prompt);
        } else {
            seen[2] = true;
            assert!(q.prompt.starts_with(dated), "{}", q.prompt);
        }
    }
    assert_eq!(
        seen, [true; 3],
        "date, length and dated statements all drawn"
    );
    for card in ["investment-grows/true_false", "troops-withdrawn/true_false"] {
        let title = deck()
            .event(card.split('/').next().unwrap())
            .unwrap()
            .title
            .clone();
        for seed in 0..40 {
            let Some(q) = tricky().question(card, seed) else {
                break;
            };
            assert!(
                q.prompt.starts_with(&format!("True or false? {title}: ")),
                "{}",
                q.prompt
            );
        }
    }
}

#[test]
fn a_length_of_time_is_not_asked_beside_the_dates_that_measure_it() {
    // From the deck: the winter campaign ran November 1984 - March 1985 and "lasted five
    // months"; its figure prompt must not show the span that gives the answer.
    let q = question("winter-campaign/figure-2", 0);
    assert_eq!(q.answer, "5 months");
    assert!(!q.prompt.contains("1984"), "{}", q.prompt);
    assert!(rules_broken(&q).is_empty(), "{:?}", rules_broken(&q));
    let mut tampered = q.clone();
    tampered.prompt = q.prompt.replacen(
        "Winter campaign",
        "Winter campaign (November 1984 – March 1985)",
        1,
    );
    assert!(rules_broken(&tampered).contains(&Rule::AnswerInPrompt));
}

#[test]
fn a_cloze_cites_the_words_that_hold_its_blank() {
    let mut q = question("trade-record/cloze", 0);
    assert!(rules_broken(&q).is_empty());
    for s in &mut q.sources {
        s.quote = "In 2022 trade grew".into();
    }
    assert!(rules_broken(&q).contains(&Rule::QuoteLacksFact));
}

/// Rules the generator keeps for every deck: shown failing on a generated question of the
/// tricky deck that is tampered with to break each one.
fn rules_broken(q: &Question) -> Vec<Rule> {
    lint::check_question(deck(), q)
        .into_iter()
        .map(|(r, _)| r)
        .collect()
}

fn replace_wrong(q: &mut Question, with: &str) {
    let i = (0..q.choices.len())
        .find(|i| Some(*i) != q.answer_index)
        .unwrap();
    q.choices[i] = with.to_string();
}

#[test]
fn untampered_questions_break_no_rule() {
    for card in &tricky().cards {
        let q = question(&card.id, 3);
        assert!(
            rules_broken(&q).is_empty(),
            "{}: {:?}",
            q.id,
            lint::check_question(deck(), &q)
        );
    }
}

#[test]
fn lint_distractor_in_span() {
    let mut q = question("dry-season-offensives/date", 0);
    replace_wrong(&mut q, "1982");
    assert!(rules_broken(&q).contains(&Rule::DistractorInSpan));
}

#[test]
fn lint_distractor_not_excluded() {
    let mut q = question("capital-taken/figure-1", 0);
    replace_wrong(&mut q, "450 soldiers");
    assert!(rules_broken(&q).contains(&Rule::DistractorNotExcluded));
}

#[test]
fn lint_date_out_of_window() {
    // The deck's own dates begin in 1975: a 1960 date is ruled out by the deck itself.
    let mut q = question("capital-taken/date", 0);
    replace_wrong(&mut q, "7 January 1960");
    assert!(rules_broken(&q).contains(&Rule::DateOutOfWindow));
}

#[test]
fn lint_speaker_quote_must_hold_the_words() {
    let mut q = question("one-speaks/speaker", 0);
    for s in &mut q.sources {
        s.quote = "Speaker One said".into();
    }
    assert!(rules_broken(&q).contains(&Rule::QuoteLacksFact));
}

#[test]
fn lint_speaker_named_in_words() {
    let mut q = question("one-speaks/speaker", 0);
    q.prompt = "Who said this? “We will win against Speaker Five.”".into();
    for s in &mut q.sources {
        s.quote = "Speaker One said: We will win against Speaker Five.".into();
    }
    replace_wrong(&mut q, "Speaker Five");
    assert!(rules_broken(&q).contains(&Rule::SpeakerNamedInWords));
}

#[test]
fn lint_place_kind_mismatch() {
    let mut q = question("capital-taken/place", 0);
    replace_wrong(&mut q, "Far Island");
    assert!(rules_broken(&q).contains(&Rule::PlaceKindMismatch));
}

#[test]
fn lint_place_in_another_country() {
    let mut q = question("capital-taken/place", 0);
    replace_wrong(&mut q, "Far City");
    assert!(rules_broken(&q).contains(&Rule::PlaceKindMismatch));
}

#[test]
fn lint_speaker_sort_mismatch() {
    let mut q = question("three-speaks/speaker", 0);
    replace_wrong(&mut q, "Harbour Guild");
    assert!(rules_broken(&q).contains(&Rule::SpeakerSortMismatch));
}

#[test]
fn lint_group_beside_member() {
    let mut q = question("one-speaks/speaker", 0);
    replace_wrong(&mut q, "Leaders of the Front");
    assert!(rules_broken(&q).contains(&Rule::GroupBesideMember));
}

#[test]
fn lint_chronology_spacing() {
    let mut q = question("capital-taken/chronology", 0);
    q.event_ids[1] = "troops-withdrawn".into();
    q.event_ids[2] = "farewell-parade".into();
    assert!(rules_broken(&q).contains(&Rule::ChronologySpacing));
}

#[test]
fn lint_inferred_date_asked() {
    let mut q = question("capital-taken/event_on_date", 0);
    replace_wrong(&mut q, "Investment grows");
    assert!(rules_broken(&q).contains(&Rule::InferredDateAsked));
    let mut q = question("capital-taken/date", 0);
    q.event_ids = vec!["investment-grows".into()];
    assert!(rules_broken(&q).contains(&Rule::InferredDateAsked));
}

#[test]
fn lint_inferred_date_shown() {
    let mut q = question("investment-grows/flashcard", 0);
    q.answer = format!("2023. {}", q.answer);
    assert!(rules_broken(&q).contains(&Rule::InferredDateShown));
}

#[test]
fn lint_quote_lacks_what_happened() {
    let mut q = question("volunteers-decade/event_on_date", 0);
    q.sources.retain(|s| s.quote.contains("1980"));
    assert!(rules_broken(&q).contains(&Rule::QuoteLacksFact));
}

#[test]
fn lint_place_tied_to_event() {
    let mut q = question("capital-taken/place", 0);
    replace_wrong(&mut q, "River Town");
    assert!(rules_broken(&q).contains(&Rule::PlaceTiedToEvent));
}

#[test]
fn lint_disputed_date_shown() {
    let mut q = question("troops-withdrawn/flashcard", 0);
    q.answer = "26 September 1989. The last troops went home.".into();
    assert!(rules_broken(&q).contains(&Rule::DisputedDateShown));
    let mut q = question("farewell-parade/place", 0);
    q.prompt = format!("{} (25 September 1989)", q.prompt);
    assert!(rules_broken(&q).contains(&Rule::DisputedDateShown));
}

#[test]
fn lint_disputed() {
    let mut q = question("capital-taken/date", 0);
    q.event_ids = vec!["farewell-parade".into()];
    assert!(rules_broken(&q).contains(&Rule::Disputed));
}

#[test]
fn lint_answer_in_prompt() {
    let mut q = question("capital-taken/place", 0);
    q.prompt.push_str(" Big City");
    assert!(rules_broken(&q).contains(&Rule::AnswerInPrompt));
}

#[test]
fn lint_quote_lacks_fact_in_a_question() {
    let mut q = question("capital-taken/figure-1", 0);
    for s in &mut q.sources {
        s.quote = "soldiers entered the city".into();
    }
    assert!(rules_broken(&q).contains(&Rule::QuoteLacksFact));
}

#[test]
fn lint_not_really_false() {
    let q = (0..80)
        .map(|s| question("capital-taken/true_false", s))
        .find(|q| {
            q.statement
                .as_ref()
                .is_some_and(|s| s.truth && s.about == "actor")
        })
        .expect("a true actor statement");
    let mut q = q;
    let st = q.statement.as_mut().unwrap();
    st.truth = false;
    q.answer = "False".into();
    q.answer_index = Some(1);
    assert!(rules_broken(&q).contains(&Rule::NotReallyFalse));
}

#[test]
fn lint_choices_not_distinct() {
    let mut q = question("capital-taken/date", 0);
    let answer = q.answer.clone();
    replace_wrong(&mut q, &answer);
    assert!(rules_broken(&q).contains(&Rule::ChoicesNotDistinct));
}

// ---- `questions check` prints per kind and by rule, and fails on a warning. ----

#[test]
fn questions_check_prints_suppressions_by_rule() {
    let out = Command::new(env!("CARGO_BIN_EXE_chronicle"))
        .args(["questions", "check", "--questions"])
        .arg(fixtures().join("fair"))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("suppressed: 3 inferred-date, 2 disputed"),
        "{text}"
    );
}

#[test]
fn questions_check_fails_with_file_line_rule() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixtures().join("lint/title-date.toml"),
        dir.path().join("deck.toml"),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_chronicle"))
        .args(["questions", "check", "--questions"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!out.status.success(), "{text}");
    let line = event_line("title-date", "Harbour shelled (June 1978)");
    assert!(
        text.contains(&format!("deck.toml:{line}: title-date: ")),
        "{text}"
    );
}

#[test]
fn lint_cloze_rival_rank() {
    // "ranked third" among the fleet's ports, where another article ranks the island second;
    // the harbour's cloze names its source, the school's ranks something else.
    let rule = "cloze-rival-rank";
    assert_warns(rule, "The fleet's ports\"");
    let (findings, _) = lint_fixture(rule);
    for fine in ["The harbour's ports", "The sailing school"] {
        let at = format!("{rule}.toml:{}: {rule}", event_line(rule, fine));
        assert!(
            !findings.iter().any(|f| f.starts_with(&at)),
            "{fine}: {findings:#?}"
        );
    }
}

#[test]
fn date_choices_are_never_near_duplicates_of_each_other() {
    // Two days apart, or two spans sharing four of their five months: one choice twice.
    let mut q = question("capital-taken/date", 0);
    let wrong: Vec<usize> = (0..4).filter(|i| Some(*i) != q.answer_index).collect();
    q.choices[wrong[0]] = "20 January 1979".into();
    q.choices[wrong[1]] = "21 January 1979".into();
    assert!(rules_broken(&q).contains(&Rule::NearDuplicateChoices));
    let mut q = question("winter-campaign/date", 0);
    let wrong: Vec<usize> = (0..4).filter(|i| Some(*i) != q.answer_index).collect();
    q.choices[wrong[0]] = "June 1985 – October 1985".into();
    q.choices[wrong[1]] = "July 1985 – November 1985".into();
    assert!(rules_broken(&q).contains(&Rule::NearDuplicateChoices));
    // And the generator never draws them.
    for card in tricky().cards.iter().filter(|c| c.kind == Kind::Date) {
        for seed in 0..40 {
            let q = question(&card.id, seed);
            assert!(
                !rules_broken(&q).contains(&Rule::NearDuplicateChoices),
                "{} seed {seed}: {:?}",
                q.id,
                q.choices
            );
        }
    }
}

#[test]
fn a_wrong_event_inside_one_of_its_sort_that_ran_then_is_not_offered() {
    // From the fixture: the infiltration (October 1975) lies inside the raids (1975-1976),
    // of the same tags, which ran into February 1976; not into April 1977.
    let path = fixtures().join("lint/distractor-in-span.toml");
    let deck = parse_deck(
        Path::new("distractor-in-span.toml"),
        &std::fs::read_to_string(&path).unwrap(),
    )
    .unwrap();
    let (cards, _) = cards_and_suppressed(&deck);
    let card = |id: &str| cards.iter().find(|c| c.id.as_str() == id).unwrap();
    let vague = "Infiltration of a border area";
    let mut offered_later = false;
    for seed in 0..60 {
        let q = chronicle::questions::generate(&deck, card("posts/event_on_date"), seed).unwrap();
        assert!(!q.choices.iter().any(|c| c == vague), "{:?}", q.choices);
        let later =
            chronicle::questions::generate(&deck, card("exercises/event_on_date"), seed).unwrap();
        offered_later |= later.choices.iter().any(|c| c == vague);
    }
    assert!(
        offered_later,
        "still a wrong answer where the raids did not run"
    );
    // The lint says so of a question that offers it anyway.
    let mut q = chronicle::questions::generate(&deck, card("posts/event_on_date"), 0).unwrap();
    let i = (0..4).find(|i| Some(*i) != q.answer_index).unwrap();
    q.choices[i] = vague.to_string();
    let broken: Vec<Rule> = lint::check_question(&deck, &q)
        .into_iter()
        .map(|(r, _)| r)
        .collect();
    assert!(broken.contains(&Rule::DistractorInSpan), "{broken:?}");
}

#[test]
fn lint_cloze_sort_mismatch() {
    // An armed group among parties; the rally's cloze offers parties only.
    let rule = "cloze-sort-mismatch";
    assert_warns(rule, "Anniversary of the victory");
    let (findings, _) = lint_fixture(rule);
    let at = format!("{rule}.toml:{}: {rule}", event_line(rule, "A rally"));
    assert!(
        !findings.iter().any(|f| f.starts_with(&at)),
        "{findings:#?}"
    );
}

#[test]
fn lint_distractor_out_of_time() {
    // The Old Premier is tied only to 1979, forty years before the border documents; the
    // Middle Premier's 2015 is near enough.
    let rule = "distractor-out-of-time";
    assert_warns(rule, "Border documents signed");
    let (findings, _) = lint_fixture(rule);
    assert!(
        !findings.iter().any(|f| f.contains("Middle Premier")),
        "{findings:#?}"
    );
}
