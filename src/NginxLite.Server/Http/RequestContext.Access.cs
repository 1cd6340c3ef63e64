using System.Text;
using NginxLite.Routing;

namespace NginxLite.Server.Http;

/// <summary>
/// nginx's access phase: ngx_http_access_module (allow/deny) then ngx_http_auth_basic_module, combined by
/// <c>satisfy</c> as ngx_http_core_access_phase does. <c>all</c>: the first handler that refuses decides (403, then
/// 401). <c>any</c>: the first that accepts lets the request in; when none does, 401 wins over 403.
/// </summary>
internal sealed partial class RequestContext
{
    /// <summary>Null when the request may go on to the content phase, else the refusal.</summary>
    private Outcome? AccessPhase()
    {
        var code = 0;
        foreach (var handler in AccessHandlers)
        {
            var rc = handler(this);
            if (rc == AccessDeclined)
            {
                continue;
            }

            if (!Settings.SatisfyAny)
            {
                if (rc == AccessOk)
                {
                    continue;
                }

                return Error(rc);
            }

            if (rc == AccessOk)
            {
                _response.Headers.Remove("WWW-Authenticate");
                return null;
            }

            if (code != 401)
            {
                code = rc;
            }
        }

        return code == 0 ? null : Error(code);
    }

    private const int AccessOk = 0;
    private const int AccessDeclined = -1;

    private static readonly Func<RequestContext, int>[] AccessHandlers = [c => c.AccessRules(), c => c.BasicAuth()];

    /// <summary>ngx_http_access_handler: the first allow/deny rule matching the client decides; none matching declines.</summary>
    private int AccessRules()
    {
        var rules = Settings.Access;
        if (rules.Length == 0)
        {
            return AccessDeclined;
        }

        var address = _connection?.RemoteIpAddress;
        foreach (var rule in rules)
        {
            if (rule.Matches(address))
            {
                if (rule.Allow)
                {
                    return AccessOk;
                }

                if (!Settings.SatisfyAny)
                {
                    Log(ErrorLevel.Error, "access forbidden by rule");
                }

                return 403;
            }
        }

        return AccessDeclined;
    }

    /// <summary>ngx_http_auth_basic_handler: Basic credentials checked against the user file, read per request.</summary>
    private int BasicAuth()
    {
        if (Settings.AuthBasic is not { } realmValue || Settings.AuthBasicUserFile is not { } fileValue)
        {
            return AccessDeclined;
        }

        var realm = realmValue.Evaluate(this);
        if (realm == "off")
        {
            return AccessDeclined;
        }

        if (!TryBasicCredentials(_request.Headers.Authorization.ToString(), out var user, out var password))
        {
            Log(ErrorLevel.Info, "no user/password was provided for basic authentication");
            return Unauthorized(realm);
        }

        var path = fileValue.Evaluate(this);
        byte[] file;
        try
        {
            file = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var missing = e is FileNotFoundException or DirectoryNotFoundException;
            Log(missing ? ErrorLevel.Error : ErrorLevel.Crit,
                $"open() \"{path}\" failed ({(missing ? "2: No such file or directory" : "13: Permission denied")})");
            return missing ? 403 : 500;
        }

        if (HtpasswdFile.Find(file, Encoding.Latin1.GetBytes(user)) is not { } hash)
        {
            Log(ErrorLevel.Error, $"user \"{user}\" was not found in \"{path}\"");
            return Unauthorized(realm);
        }

        if (!NginxCrypt.Verify(Encoding.Latin1.GetBytes(password), hash))
        {
            Log(ErrorLevel.Error, $"user \"{user}\": password mismatch");
            return Unauthorized(realm);
        }

        return AccessOk;
    }

    private int Unauthorized(string realm)
    {
        _response.Headers.WWWAuthenticate = "Basic realm=\"" + realm + "\"";
        return 401;
    }

    /// <summary>ngx_http_auth_basic_user: "Basic" (any case) and a space, spaces, base64 of "user:password".</summary>
    internal static bool TryBasicCredentials(string header, out string user, out string password)
    {
        user = password = "";
        if (header.Length < 6 || !header.AsSpan(0, 6).Equals("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var encoded = header.AsSpan(6).TrimStart(' ');
        if (encoded.IsEmpty)
        {
            return false;
        }

        var bytes = new byte[(encoded.Length * 3 / 4) + 3];
        if (!NginxCrypt.TryDecodeBase64(encoded, bytes, out var n))
        {
            return false;
        }

        var decoded = bytes.AsSpan(0, n);
        var colon = decoded.IndexOf((byte)':');
        if (colon < 0)
        {
            return false;
        }

        user = Encoding.Latin1.GetString(decoded[..colon]);
        password = Encoding.Latin1.GetString(decoded[(colon + 1)..]);
        return true;
    }
}
