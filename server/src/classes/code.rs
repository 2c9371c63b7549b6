//! Join codes: eight characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown
//! as `ABCD-EFGH` and read back whatever the case, spaces or dashes.

use rand::Rng;

const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
pub const LEN: usize = 8;

/// A fresh random code, stored without the dash.
pub fn generate(rng: &mut impl Rng) -> String {
    (0..LEN)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// The stored form of what someone typed, or `None` when it cannot be a code.
pub fn normalize(input: &str) -> Option<String> {
    let code: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == LEN && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
}

/// `ABCDEFGH` as `ABCD-EFGH`, easier to read aloud and copy.
pub fn display(code: &str) -> String {
    if code.len() == LEN && code.is_ascii() {
        format!("{}-{}", &code[..4], &code[4..])
    } else {
        code.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::SeedableRng;

    #[test]
    fn codes_avoid_look_alikes() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for _ in 0..1000 {
            let code = generate(&mut rng);
            assert_eq!(code.len(), LEN);
            assert!(!code.contains(['0', 'O', '1', 'I', 'L']), "{code}");
        }
    }

    #[test]
    fn typed_codes_are_read_leniently() {
        assert_eq!(normalize(" abcd-efgh ").as_deref(), Some("ABCDEFGH"));
        assert_eq!(normalize("ABCD EFGH").as_deref(), Some("ABCDEFGH"));
        assert_eq!(normalize("ABCDEFG"), None);
        assert_eq!(normalize("ABCDEFG0"), None);
        assert_eq!(normalize("ÀBCDEFGH"), None);
        assert_eq!(display("ABCDEFGH"), "ABCD-EFGH");
    }

    proptest! {
        #[test]
        fn displayed_codes_read_back(seed: u64) {
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            let code = generate(&mut rng);
            prop_assert_eq!(normalize(&display(&code)), Some(code.clone()));
            prop_assert_eq!(normalize(&display(&code).to_lowercase()), Some(code));
        }
    }
}
