namespace NginxLite.Server.Http;

/// <summary>ngx_http_validate_host: lower case, port and trailing dot removed; "..", '/', '\\' and NUL are invalid.</summary>
public static class HostHeader
{
    public static bool TryValidate(string value, out string host)
    {
        host = "";
        if (value.Length == 0)
        {
            return true;
        }

        var end = value.Length;
        var inBrackets = false;
        var dotPos = -2;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '.':
                    if (dotPos == i - 1)
                    {
                        return false;
                    }

                    dotPos = i;
                    break;
                case ':' when !inBrackets:
                    end = Math.Min(end, i);
                    break;
                case '[' when i == 0:
                    inBrackets = true;
                    break;
                case ']':
                    inBrackets = false;
                    break;
                case '/' or '\\' or '\0':
                    return false;
                default:
                    if (c <= 0x20 || c == 0x7f)
                    {
                        return false;
                    }

                    break;
            }

            if (end != value.Length)
            {
                break;
            }
        }

        if (dotPos == end - 1 && end > 0)
        {
            end--;
        }

        if (end == 0)
        {
            return false;
        }

        host = value[..end].ToLowerInvariant();
        return true;
    }
}
