using NginxLite.Routing.Settings;

namespace NginxLite.Routing.Rewrite;

/// <summary>What a rewrite program decided.</summary>
public enum RewriteAction
{
    /// <summary>Ran to the end: go on with this location.</summary>
    Continue,

    /// <summary><c>break</c> or <c>rewrite … break</c>: stop rewriting, stay in this location.</summary>
    Break,

    /// <summary><c>rewrite … last</c>: search the location again with the new URI.</summary>
    Last,

    /// <summary><c>return</c>, or a redirecting <c>rewrite</c>: answer with <see cref="RewriteResult.Status"/>.</summary>
    Return,
}

/// <summary>The outcome of <see cref="RewriteProgram.Run"/>. For <see cref="RewriteAction.Return"/>, <see cref="Text"/>
/// is the body (or, for 301/302/303/307/308, the redirect URL); null when <c>return</c> gave only a code.</summary>
/// <param name="Settings">The settings of the last <c>if</c> block that matched (nginx switches the location
/// configuration to it), else null.</param>
public readonly record struct RewriteResult(RewriteAction Action, int Status, string? Text, LocationSettings? Settings);
