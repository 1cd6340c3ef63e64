namespace NginxLite.Cli.Tests.Corpus;

/// <summary>One row of ../shared/corpus/nginx/MANIFEST.tsv: a real-world config and what nginx 1.22.1 said of it.</summary>
/// <param name="Path">Relative to the corpus folder.</param>
/// <param name="Kind">full, http-snippet, server-snippet, location-snippet, main-snippet (a "(by-trial)" suffix removed).</param>
/// <param name="StubVerdict">ok or fail, once the environment was stubbed.</param>
/// <param name="StubCategory">ok, config-error, unknown-directive(…), dependency:…, env:….</param>
/// <param name="StubError">nginx's first message (with <c>$CORPUS</c>), empty when ok.</param>
/// <param name="Stubs">What had to be faked: <c>empty:PATH</c>, <c>debian-copy:PATH</c>, <c>dep:log_format:NAME</c> ….</param>
public sealed record CorpusEntry(string Path, string Kind, string StubVerdict, string StubCategory, string StubError, IReadOnlyList<string> Stubs)
{
    public override string ToString() => Path;
}
