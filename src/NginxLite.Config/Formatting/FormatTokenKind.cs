namespace NginxLite.Config.Formatting;

/// <summary>What <see cref="FormatTokenizer"/> keeps of a config: unlike the parser's lexer it also keeps comments and line breaks.</summary>
internal enum FormatTokenKind
{
    /// <summary>A word exactly as written: bare, <c>"…"</c> or <c>'…'</c>, escapes included.</summary>
    Word,

    /// <summary>The <c>;</c> ending a simple directive.</summary>
    Semicolon,

    /// <summary>The <c>{</c> opening a block.</summary>
    BlockOpen,

    /// <summary>The <c>}</c> closing a block.</summary>
    BlockClose,

    /// <summary>A <c>#</c> comment to the end of its line, trailing blanks removed.</summary>
    Comment,

    /// <summary>
    /// A lua-nginx-module <c>*_by_lua_block { … }</c> body, braces included, kept byte for byte: it is Lua, not
    /// nginx syntax (lua-nginx-module reads it with its own lexer, ngx_http_lua_conf_read_lua_token).
    /// </summary>
    LuaBlock,
}
