//! AFL target: `dealscore_fuzz::outcome`.

fn main() {
    afl::fuzz!(|data: &[u8]| dealscore_fuzz::outcome(data));
}
