namespace NginxLite.Handlers.CgiUpstream;

/// <summary>What <see cref="CgiUpstreamHandler"/>'s WriteHead came to; nothing is written unless <see cref="Written"/>.</summary>
internal enum HeadWrite
{
    Written,

    /// <summary>The params do not fit the protocol (uwsgi's 16-bit vars size): nginx's "uwsgi request is too big", 500,
    /// before connecting.</summary>
    TooBig,

    /// <summary>The params fit the protocol but not the peer's buffer (app_pass: the pool's <c>buffer_size</c>): the
    /// worker would close the connection unanswered, so it is not sent; 502 as nginx in front of uWSGI answers.</summary>
    OverPeerBuffer,
}
