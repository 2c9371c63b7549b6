//! The database under test, written straight into SQLite through the `chronicle` library so
//! that schema, migrations, deck import, review storage and FSRS replay are the real ones.

use anyhow::Context;
use chronicle::catalog::Catalog;
use chronicle::db::users::Role;
use chronicle::srs::Scheduler;
use chronicle::sync::IncomingReview;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub const PASSWORD: &str = "quiet-river-lantern-42";
/// The generated deck that gives the sync scenario its 1,000 cards.
pub const SYNC_DECK: &str = "loadbench";

pub struct Learner {
    pub id: chronicle::ids::UserId,
    pub username: String,
}

pub struct Seeded {
    pub catalog: Catalog,
    /// The shipped deck the study scenario asks from.
    pub study_deck: String,
    pub learners: Vec<Learner>,
    /// Learners with no history, one per sync repetition.
    pub sync_learners: Vec<Learner>,
    pub reviews: usize,
    pub took: Duration,
}

pub struct SeedPlan {
    pub learners: usize,
    pub sync_learners: usize,
    pub cards_per_learner: usize,
    pub reviews_per_card: usize,
}

/// Copies the shipped decks and adds the generated one into `dir/questions`.
pub fn questions_dir(shipped: &Path, dir: &Path) -> anyhow::Result<PathBuf> {
    let out = dir.join("questions");
    std::fs::create_dir_all(&out)?;
    for entry in
        std::fs::read_dir(shipped).with_context(|| format!("reading {}", shipped.display()))?
    {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "toml") {
            std::fs::copy(&path, out.join(path.file_name().expect("a file name")))?;
        }
    }
    std::fs::write(out.join(format!("{SYNC_DECK}.toml")), generated_deck())?;
    Ok(out)
}

/// 160 synthetic events, eight kinds of card each: 1,280 cards, enough for a 1,000-card
/// sync batch (the shipped deck has about 600). The same shape as `server/benches/sync.rs`.
fn generated_deck() -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let places = [
        "Hanoi",
        "Phnom Penh",
        "Saigon",
        "Hue",
        "Battambang",
        "Siem Reap",
    ];
    let mut s = format!(
        "[deck]\nid = \"{SYNC_DECK}\"\ntitle = \"Load benchmark\"\ndescription = \"Generated\"\n\
         language = \"en\"\n\n[[document]]\nid = \"a.txt\"\ntitle = \"Article A\"\n\n\
         [[era]]\nid = \"all\"\ntitle = \"All\"\nstart = \"1900\"\n\n"
    );
    for i in 0..160 {
        write!(
            s,
            "[[event]]\nid = \"event-{i}\"\ndate = \"{}-{:02}-{:02}\"\n\
             title = \"Thing number {i} happens\"\nsummary = \"Summary {i}.\"\nplace = \"{}\"\n\
             place_kind = \"city\"\n\
             actors = [\"Actor {i}\"]\nera = \"all\"\n\
             [[event.figure]]\nwhat = \"number of things\"\nvalue = {}\nunit = \"things\"\n\
             [[event.source]]\ndocument = \"a.txt\"\nquote = \"quote {i}: in {} on {} {} {}, {} things\"\n\
             [event.cloze]\ntext = \"The [[word{i}]] did it.\"\n\
             distractors = [\"other{i}a\", \"other{i}b\", \"other{i}c\"]\n\n",
            1900 + i / 2,
            i % 12 + 1,
            i % 27 + 1,
            places[i % places.len()],
            (i + 1) * 100,
            // The quote states the place, date and figure, so every kind is asked.
            places[i % places.len()],
            i % 27 + 1,
            MONTHS[i % 12],
            1900 + i / 2,
            (i + 1) * 100,
        )
        .expect("writing to a String");
    }
    s
}

/// Learners whose histories are written in one transaction: large enough that seeding takes
/// seconds, small enough that the WAL is checkpointed between them (one transaction of ten
/// million reviews would grow a WAL of several GiB).
const LEARNERS_PER_COMMIT: usize = 2_000;

/// Creates the database (real migrations), loads the decks, and writes every learner with a
/// review history through `db::sync::apply`, which stores the reviews and replays them into
/// card states exactly as a sync would. A transaction per 2,000 learners: seconds, not minutes.
pub fn seed(db: &Path, questions: &Path, plan: &SeedPlan) -> anyhow::Result<Seeded> {
    let t0 = Instant::now();
    let catalog = Catalog::load(questions).map_err(|e| anyhow::anyhow!("decks: {e}"))?;
    let study_deck = catalog
        .decks
        .iter()
        .find(|d| d.id != SYNC_DECK)
        .context("no shipped deck in the questions folder")?
        .id
        .to_string();
    let study_cards: Vec<String> = catalog
        .deck_cards(&study_deck)
        .map(|c| c.id.to_string())
        .collect();
    let pool = chronicle::db::open_pool(db)?;
    let mut conn = pool.get()?;
    chronicle::db::decks::import(&mut conn, &catalog)?;
    // One argon2id hash at OWASP parameters costs ~30 ms; 10,000 of them would take five
    // minutes and measure nothing this benchmark is about. Every seeded learner shares this
    // PHC string (each still has its own account, sessions and history).
    let hash = chronicle::auth::password::hash(PASSWORD)?;
    let scheduler = Scheduler::new(0.9);
    let now = chronicle::clock::Instant::now();
    let created = (now - time::Duration::days(120)).secs();
    let tx = conn.transaction()?;
    let mut reviews = 0;
    let create = |name: String| -> anyhow::Result<Learner> {
        let id = chronicle::db::users::create(&tx, &name, &hash, Role::Learner, created)?
            .with_context(|| format!("{name} exists already"))?;
        // Lift the daily limit on new cards (a setting learners have on their account
        // page) so that a learner answering fast never runs out of cards mid-run.
        chronicle::db::users::set_study_settings(&tx, id, 0.9, 10_000)?;
        Ok(Learner { id, username: name })
    };
    let mut learners = Vec::with_capacity(plan.learners);
    for i in 0..plan.learners {
        learners.push(create(format!("learner{i:05}"))?);
    }
    let sync_learners = (0..plan.sync_learners)
        .map(|i| create(format!("syncer{i:03}")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    tx.commit()?;
    for (chunk, group) in learners.chunks(LEARNERS_PER_COMMIT).enumerate() {
        let tx = conn.transaction()?;
        for (j, learner) in group.iter().enumerate() {
            let i = chunk * LEARNERS_PER_COMMIT + j;
            let batch = history(i, &study_cards, plan, now);
            let out = chronicle::db::sync::apply(
                &tx,
                &scheduler,
                learner.id,
                "seed",
                &batch,
                now,
                |c| catalog.card(c).is_some(),
            )?;
            anyhow::ensure!(
                out.rejected.is_empty(),
                "seed review rejected: {:?}",
                out.rejected[0]
            );
            reviews += out.accepted;
        }
        tx.commit()?;
    }
    drop(conn);
    drop(pool);
    Ok(Seeded {
        catalog,
        study_deck,
        learners,
        sync_learners,
        reviews,
        took: t0.elapsed(),
    })
}

/// A learner's past: a few cards of the study deck, each reviewed a few times, 20 days apart
/// (over the last two months for three reviews a card), with a mix of ratings, so some
/// cards are due now and some later.
fn history(
    i: usize,
    cards: &[String],
    plan: &SeedPlan,
    now: chronicle::clock::Instant,
) -> Vec<IncomingReview> {
    let mut out = Vec::new();
    let span = 20 * plan.reviews_per_card.max(3) as i64;
    for k in 0..plan.cards_per_learner.min(cards.len()) {
        let card = &cards[(i * 13 + k * 7) % cards.len()];
        for r in 0..plan.reviews_per_card {
            let days_ago = span - 20 * r as i64 - ((i + k) % 7) as i64;
            out.push(IncomingReview {
                id: uuid::Uuid::new_v4().to_string(),
                card_id: card.clone(),
                rating: 1 + ((i + 3 * k + r) % 4) as i64,
                answered_at: (now - time::Duration::days(days_ago)).ms(),
                duration_ms: 5_000,
                given_answer: "seeded".into(),
            });
        }
    }
    out
}

/// What the seeded file weighs: whole file, and the review log (table and its indexes).
pub struct Size {
    pub file_bytes: u64,
    pub review_bytes: Option<u64>,
}

/// Measured after the seeding connection closed, so the WAL is checkpointed into the file.
pub fn size(db: &Path) -> anyhow::Result<Size> {
    let file_bytes = std::fs::metadata(db)?.len();
    let conn = rusqlite::Connection::open(db)?;
    // dbstat is compiled into the bundled SQLite; if it is not, only the file size is known.
    let review_bytes = conn
        .query_row(
            "SELECT SUM(pgsize) FROM dbstat WHERE name IN
               (SELECT name FROM sqlite_master WHERE tbl_name = 'reviews')",
            [],
            |r| r.get::<_, i64>(0),
        )
        .ok()
        .map(|b| b as u64);
    Ok(Size {
        file_bytes,
        review_bytes,
    })
}
