using NginxLite.Cli.Apps;
using Xunit;

namespace NginxLite.Cli.Tests.Apps;

/// <summary>The Python literal subset a gunicorn.conf.py uses.</summary>
public sealed class PythonLiteralTests
{
    [Theory]
    [InlineData("'0.0.0.0:8000'", "0.0.0.0:8000")]
    [InlineData("\"a\\tb\"", "a\tb")]
    [InlineData("r'a\\tb'", "a\\tb")]
    [InlineData("'a' \"b\"", "ab")]
    [InlineData("'''x'''", "x")]
    [InlineData("'x'  # comment", "x")]
    public void TryParse_Strings_Value(string text, string expected)
    {
        Assert.True(PythonLiteral.TryParse(text, out var value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void TryParse_NumbersBooleansNoneAndContainers_Values()
    {
        Assert.True(PythonLiteral.TryParse("4", out var four));
        Assert.True(PythonLiteral.TryParse("1_000", out var thousand));
        Assert.True(PythonLiteral.TryParse("-2.5", out var real));
        Assert.True(PythonLiteral.TryParse("True", out var yes));
        Assert.True(PythonLiteral.TryParse("None", out var none));
        Assert.True(PythonLiteral.TryParse("['a', \"b\",\n 'c',]", out var list));
        Assert.True(PythonLiteral.TryParse("('a',)", out var tuple));
        Assert.True(PythonLiteral.TryParse("{'k': 1}", out var dict));

        Assert.Equal((4L, 1000L, -2.5, true), (four, thousand, real, yes));
        Assert.Null(none);
        Assert.Equal(["a", "b", "c"], (List<object?>)list!);
        Assert.Equal(["a"], (List<object?>)tuple!);
        Assert.Equal(1L, ((Dictionary<string, object?>)dict!)["k"]);
    }

    [Theory]
    [InlineData("multiprocessing.cpu_count() * 2 + 1")]
    [InlineData("2 * 2")]
    [InlineData("'a' + 'b'")]
    [InlineData("os.environ['PORT']")]
    [InlineData("'unterminated")]
    [InlineData("[1, 2")]
    public void TryParse_Expressions_Refused(string text) => Assert.False(PythonLiteral.TryParse(text, out _));
}
