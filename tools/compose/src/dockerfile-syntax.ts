// Facts of Dockerfile syntax that more than one tool reads (the linter rebuilds RUN scripts with them, the image
// test refuses what the legacy builder cannot read): kept here, below both, so there is one definition of each.

/** A heredoc's start (`<<EOF`, `<<-"EOF"`), not a here-string (`<<<`) nor an escaped `\<<`. */
export const HEREDOC = /(?<![<\\])<<(?!<)(-?)\s*(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;
