//! AFL target: `dealscore_fuzz::qa`.

fn main() {
    afl::fuzz!(|data: &[u8]| dealscore_fuzz::qa(data));
}
