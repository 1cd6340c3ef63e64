using NginxLite.Routing.Locations;
using NginxLite.Routing.Rewrite;
using NginxLite.Routing.Settings;
using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Servers;

/// <summary>One <c>server_name</c> entry: plain text (lower case) or a regex.</summary>
public sealed record ServerName(string Text, CompiledRegex? Regex);

/// <summary>One compiled <c>server {}</c>.</summary>
public sealed class VirtualServer
{
    internal VirtualServer(int ordinal, IReadOnlyList<ServerName> names, LocationSettings settings)
    {
        Ordinal = ordinal;
        Names = names;
        Settings = settings;
    }

    /// <summary>The server's position among the config's servers (0-based), for messages and tests.</summary>
    public int Ordinal { get; }

    public IReadOnlyList<ServerName> Names { get; }

    /// <summary>The first name (<c>$server_name</c>), "" when none.</summary>
    public string PrimaryName => Names.Count > 0 ? Names[0].Text : "";

    /// <summary>The server level's settings: used when no location matches.</summary>
    public LocationSettings Settings { get; }

    /// <summary>The server-level rewrite directives (nginx's SERVER_REWRITE phase).</summary>
    public RewriteProgram Program { get; internal set; } = RewriteProgram.Empty;

    public LocationMatcher Locations { get; internal set; } = new([]);

    public IReadOnlyDictionary<string, Location> NamedLocations { get; internal set; } = new Dictionary<string, Location>();

    /// <summary><c>merge_slashes</c> (on by default).</summary>
    public bool MergeSlashes { get; internal set; } = true;

    public bool UnderscoresInHeaders { get; internal set; }

    public bool IgnoreInvalidHeaders { get; internal set; } = true;

    /// <summary>The longest request line or header line: large_client_header_buffers size (or a larger
    /// client_header_buffer_size, which a head never leaves when it fits).</summary>
    public int HeaderLineLimit { get; internal set; } = 8192;

    /// <summary>The largest request head: large_client_header_buffers number × size (or client_header_buffer_size).</summary>
    public int HeaderTotalLimit { get; internal set; } = 4 * 8192;

    /// <summary>ssl_certificate, ssl_certificate_key and ssl_protocols (used when a listen of this server has <c>ssl</c>).</summary>
    public ServerTls Tls { get; internal set; } = new(null, null, ServerTls.DefaultProtocols);

    public override string ToString() => $"server #{Ordinal} {PrimaryName}";
}
