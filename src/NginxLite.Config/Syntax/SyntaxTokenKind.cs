namespace NginxLite.Config.Syntax;

/// <summary>What one call of nginx's <c>ngx_conf_read_token</c> returned.</summary>
internal enum SyntaxTokenKind
{
    /// <summary>Words terminated by <c>;</c> (NGX_OK).</summary>
    Simple,

    /// <summary>Words terminated by <c>{</c> (NGX_CONF_BLOCK_START).</summary>
    BlockStart,

    /// <summary>A <c>}</c> with no words before it (NGX_CONF_BLOCK_DONE).</summary>
    BlockEnd,

    /// <summary>End of the file with nothing pending (NGX_CONF_FILE_DONE).</summary>
    End,

    /// <summary>A lexical error; reading stops (NGX_ERROR).</summary>
    Error,

    /// <summary>Not produced by the lexer: marks a body whose inner block already stopped at an error.</summary>
    Propagated,
}
