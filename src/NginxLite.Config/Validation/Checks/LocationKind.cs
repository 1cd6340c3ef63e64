namespace NginxLite.Config.Validation.Checks;

/// <summary>The match types of <c>location</c> (ngx_http_core_location).</summary>
internal enum LocationKind
{
    Prefix,
    PrefixNoRegex,
    Exact,
    Regex,
    Named,
}
