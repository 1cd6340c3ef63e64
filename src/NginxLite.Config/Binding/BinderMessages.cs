namespace NginxLite.Config.Binding;

/// <summary>The binder's messages, in nginx's words (src/core/ngx_conf_file.c, ngx_conf_handler) plus NginxLite's own.</summary>
public static class BinderMessages
{
    public static string Unknown(string name) => $"unknown directive \"{name}\"";

    public static string NotAllowedHere(string name) => $"\"{name}\" directive is not allowed here";

    public static string NotTerminated(string name) => $"directive \"{name}\" is not terminated by \";\"";

    public static string NoOpeningBrace(string name) => $"directive \"{name}\" has no opening \"{{\"";

    public static string InvalidArgumentCount(string name) => $"invalid number of arguments in \"{name}\" directive";

    public static string Duplicate(string name) => $"\"{name}\" directive is duplicate";

    /// <summary><c>root</c> after <c>alias</c> or the reverse (ngx_http_core_root).</summary>
    public static string DuplicateOf(string name, string earlier) =>
        $"\"{name}\" directive is duplicate, \"{earlier}\" directive was specified earlier";

    public static string Unsupported(string name, string? note) =>
        note is null ? $"\"{name}\" directive is not supported by NginxLite" : $"\"{name}\" directive is not supported by NginxLite ({note})";

    public static string Ignored(string name, string? note) =>
        note is null ? $"\"{name}\" directive is ignored by NginxLite" : $"\"{name}\" directive is ignored by NginxLite: {note}";
}
