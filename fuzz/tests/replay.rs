//! Replays every committed input through its target's checks, on stable Rust
//! (`cargo test --no-default-features`): the hand-written seeds (`seeds/<target>/`), the corpus
//! the fuzzer grew (`corpus/<target>/`), and past crashes (`regressions/<target>/`).
//! `REPLAY_ONLY=t1,t2` replays only those targets (while working on one codec).

use std::path::Path;

#[test]
fn replay_corpora() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut total = 0;
    let only = std::env::var("REPLAY_ONLY").ok();
    for (name, check) in codec_fuzz::TARGETS {
        if only
            .as_deref()
            .is_some_and(|only| !only.split(',').any(|o| o == *name))
        {
            continue;
        }
        let seeds = root.join("seeds").join(name);
        assert!(seeds.is_dir(), "{name} has no seeds in {}", seeds.display());
        let mut count = 0;
        let dirs = ["seeds", "corpus", "regressions"].map(|d| root.join(d).join(name));
        let entries = dirs
            .iter()
            .filter_map(|dir| std::fs::read_dir(dir).ok())
            .flatten();
        for entry in entries {
            let path = entry.expect("corpus entry").path();
            let data = std::fs::read(&path).expect("corpus file");
            let result = std::panic::catch_unwind(|| check(&data));
            assert!(result.is_ok(), "{name}: {} fails", path.display());
            count += 1;
        }
        assert!(count > 0, "{name} has no inputs");
        total += count;
    }
    eprintln!("replayed {total} corpus inputs");
}
