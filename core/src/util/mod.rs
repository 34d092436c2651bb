//! Small containers and algorithms that know nothing of deals: the short-string interning map
//! and the sorts. Anything in the crate may use them; they use nothing of the crate.

pub(crate) mod shortmap;
pub(crate) mod sort;
