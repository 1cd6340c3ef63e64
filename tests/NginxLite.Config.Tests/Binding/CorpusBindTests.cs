using NginxLite.Config.Tests.TestSupport;
using Xunit.Abstractions;

namespace NginxLite.Config.Tests.Binding;

/// <summary>Every corpus file real nginx accepted (stub_verdict=ok) binds without an error, wrapped as its kind says.</summary>
public class CorpusBindTests(ITestOutputHelper output)
{
    // Files that use modules NginxLite refuses on purpose (geoip, ssi, dav, memcached, mail): reported, not bound.
    private static readonly string[] KnownUnsupported = ["\"geoip_", "\"ssi\"", "\"dav_", "\"memcached_", "\"create_full_put_path\"", "\"mail\""];

    [Fact]
    public void Bind_EveryOkCorpusFile_HasNoErrorsButKnownUnsupportedOnes()
    {
        var failures = new List<string>();
        var count = 0;
        foreach (var line in File.ReadLines(Corpus.Path("nginx/MANIFEST.tsv")).Skip(1))
        {
            var f = line.Split('\t');
            if (f[5] != "ok")
            {
                continue;
            }

            var text = File.ReadAllText(Corpus.Path("nginx/" + f[0]));
            var kind = f[1].Split('(')[0];
            var wrapped = kind switch
            {
                "http-snippet" => $"events {{}}\nhttp {{\n{text}\n}}",
                "server-snippet" => $"events {{}}\nhttp {{ server {{\n{text}\n}} }}",
                "location-snippet" => $"events {{}}\nhttp {{ server {{ location / {{\n{text}\n}} }} }}",
                _ => text,
            };
            string? error;
            try
            {
                error = Bind.FirstError(wrapped);
            }
            catch (FormatException e)
            {
                output.WriteLine($"{f[0]}: test tokenizer: {e.Message}");
                continue;
            }

            count++;
            if (error is not null)
            {
                output.WriteLine($"{f[0]}: {error}");
                if (!KnownUnsupported.Any(k => error.Contains(k, StringComparison.Ordinal)))
                {
                    failures.Add($"{f[0]}: {error}");
                }
            }
        }

        Assert.True(count > 300, $"only {count} corpus files were bound");
        Assert.Empty(failures);
    }
}
