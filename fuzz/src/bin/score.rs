//! AFL target: `dealscore_fuzz::score`.

fn main() {
    afl::fuzz!(|data: &[u8]| dealscore_fuzz::score(data));
}
