namespace NginxLite.Handlers.Privileged;

/// <summary>
/// What the server asks the root helper to start (docs/cgi.md, "Privileged helper"): the program, its arguments and
/// environment, the directory, the identity (uid, gid, supplementary groups) and whether it leads a new session (CGI:
/// yes, so a timeout kills the whole group). <see cref="Script"/> is the CGI script an interpreter runs, re-checked by
/// the helper like the program itself. Stdin, stdout and stderr travel beside it as SCM_RIGHTS fds.
/// </summary>
public sealed record SpawnRequest(string Path, string[] Argv, string[] Env, string? Directory, uint Uid, uint Gid, uint[] Groups,
    bool NewSession, string? Script);
