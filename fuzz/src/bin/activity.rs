//! AFL target: `dealscore_fuzz::activity`.

fn main() {
    afl::fuzz!(|data: &[u8]| dealscore_fuzz::activity(data));
}
