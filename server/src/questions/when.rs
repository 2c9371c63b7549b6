//! How an event's time is written for learners: the whole span when it has an end date
//! ("1981–1982", "7 January 1979 – 15 February 1979"), marked when no article states it.

use crate::dataset::Event;

/// The event's date, or its span from start to end, marked when no article gives the date
/// (as questions/README.md says flashcards show it).
pub fn when(event: &Event) -> String {
    let written = span(event);
    if event.date_inferred {
        format!("{written} (date not stated in the sources)")
    } else {
        written
    }
}

fn span(event: &Event) -> String {
    super::fair::when(&event.date, event.end_date.as_ref())
}
#[cfg(test)]
mod tests {
    use super::when;
    use crate::dataset::parse_deck;

    #[test]
    fn spans_are_written_whole_and_inferred_dates_marked() {
        let deck = parse_deck(
            std::path::Path::new("t.toml"),
            r#"
[deck]
id = "t"
title = "T"
description = "T"
language = "en"

[[document]]
id = "a.txt"
title = "A"

[[era]]
id = "x"
title = "X"
start = "1975"

[[event]]
id = "offensives"
date = "1981"
end_date = "1982"
title = "Dry-season offensives"
summary = "S."
era = "x"
[[event.source]]
document = "a.txt"
quote = "q"

[[event]]
id = "campaign"
date = "1979-01-07"
end_date = "1979-02-15"
title = "A campaign"
summary = "S."
era = "x"
[[event.source]]
document = "a.txt"
quote = "q"

[[event]]
id = "growth"
date = "2019"
date_inferred = true
title = "Growth"
summary = "S."
era = "x"
[[event.source]]
document = "a.txt"
quote = "q"
"#,
        )
        .unwrap();
        let w = |id: &str| when(deck.event(id).unwrap());
        assert_eq!(w("offensives"), "1981–1982");
        assert_eq!(w("campaign"), "7 January 1979 – 15 February 1979");
        assert_eq!(w("growth"), "2019 (date not stated in the sources)");
    }
}
