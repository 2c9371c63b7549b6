//! How an event's time is written for learners: the whole span when it has an end date
//! ("1981–1982", "7 January 1979 – 15 February 1979"); for a date no article states, the
//! words the articles allow ("reported by January 2020"), never the inferred date itself;
//! for a date the articles disagree on, the deck's words for how each dates it.

use crate::dataset::Event;

/// What every inferred date is marked with, so a learner never takes it for a stated date.
pub const NOT_STATED: &str = "date not stated in the sources";

/// The event's date, or its span from start to end; for an inferred date, how the articles
/// place it in time (questions/README.md, `date_as_told`) and that no article dates it; for
/// a disputed date with `date_as_told`, those words alone (one article's date is not the
/// answer when another dates it differently).
pub fn when(event: &Event) -> String {
    if event.date_inferred {
        match &event.date_as_told {
            Some(told) => format!("{told} ({NOT_STATED})"),
            None => NOT_STATED.to_string(),
        }
    } else if let Some(told) = &event.date_as_told {
        told.clone()
    } else {
        super::fair::when(&event.date, event.end_date.as_ref())
    }
}
#[cfg(test)]
mod tests {
    use super::when;
    use crate::dataset::parse_deck;

    #[test]
    fn spans_are_written_whole_and_inferred_dates_never_stated() {
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
published = "2020-01-08"

[[document]]
id = "b.txt"
title = "B"

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
document = "b.txt"
quote = "q"
[[event.source]]
document = "a.txt"
quote = "q"

[[event]]
id = "teams"
date = "1979"
end_date = "1989"
date_inferred = true
date_as_told = "during the decade 1979–1989"
title = "Teams"
summary = "S."
era = "x"
[[event.source]]
document = "a.txt"
quote = "q"

[[event]]
id = "undated"
date = "2019"
date_inferred = true
title = "Undated"
summary = "S."
era = "x"
[[event.source]]
document = "b.txt"
quote = "q"

[[event]]
id = "editorial"
date = "1989-06-29"
date_as_told = "29 June 1989 in one article, 26 September 1989 in another"
title = "Editorial"
summary = "S."
era = "x"
[[event.source]]
document = "a.txt"
quote = "q"
[[event.dispute]]
about = "date"
note = "They differ."
[[event.dispute.source]]
document = "a.txt"
quote = "x"
[[event.dispute.source]]
document = "b.txt"
quote = "y"
"#,
        )
        .unwrap();
        let w = |id: &str| when(deck.event(id).unwrap());
        assert_eq!(w("offensives"), "1981–1982");
        assert_eq!(w("campaign"), "7 January 1979 – 15 February 1979");
        // Never the inferred 2019: the earliest dated article citing it, or the author's words.
        assert_eq!(
            w("growth"),
            "reported by January 2020 (date not stated in the sources)"
        );
        assert_eq!(
            w("teams"),
            "during the decade 1979–1989 (date not stated in the sources)"
        );
        assert_eq!(w("undated"), "date not stated in the sources");
        // A disputed date is written as the deck tells each article's, not as one of them.
        assert_eq!(
            w("editorial"),
            "29 June 1989 in one article, 26 September 1989 in another"
        );
    }
}
