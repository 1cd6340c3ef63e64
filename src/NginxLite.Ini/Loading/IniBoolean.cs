namespace NginxLite.Ini.Loading;

/// <summary>
/// uWSGI's flag values (<c>uwsgi_opt_true</c>): <c>false</c>, <c>off</c>, <c>no</c> (any case) and <c>0</c> are false;
/// anything else, including a bare key or an empty value, is true.
/// </summary>
public static class IniBoolean
{
    public static bool Parse(string value) =>
        !(value.Equals("false", StringComparison.OrdinalIgnoreCase) || value.Equals("off", StringComparison.OrdinalIgnoreCase)
          || value.Equals("no", StringComparison.OrdinalIgnoreCase) || value == "0");
}
