namespace NginxLite.Config.Formatting;

/// <summary>One token of <see cref="FormatTokenizer"/> with the layout the formatter keeps from around it.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Text">The source text (for a word: with its quotes; for a comment: from <c>#</c>).</param>
/// <param name="NewlinesBefore">Line feeds between the previous token and this one: 0 = same line, 2+ = a blank line.</param>
/// <param name="Glued">No whitespace before it: a word right after a quoted word (nginx allows <c>"b")</c>).</param>
/// <param name="Line">Source line where it starts, for messages.</param>
internal readonly record struct FormatToken(FormatTokenKind Kind, string Text, int NewlinesBefore, bool Glued, int Line);
