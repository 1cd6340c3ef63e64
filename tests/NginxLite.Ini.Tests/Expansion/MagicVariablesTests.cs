using NginxLite.Ini.Expansion;

namespace NginxLite.Ini.Tests.Expansion;

public class MagicVariablesTests
{
    private static readonly MagicVariables Magic =
        new("conf/app.ini", "/srv/site/conf/app.ini", "uwsgi", "main.ini", IniFixture.Host("/work"));

    [Theory]
    [InlineData("%d", "/srv/site/conf/")]
    [InlineData("%n", "app")]
    [InlineData("%e", "ini")]
    [InlineData("%p", "/srv/site/conf/app.ini")]
    [InlineData("%s", "app.ini")]
    [InlineData("%c", "conf")]
    [InlineData("%x", "")]
    [InlineData("%D", "/work/")]
    [InlineData("%N", "main")]
    [InlineData("%o", "conf/app.ini")]
    [InlineData("%O", "main.ini")]
    [InlineData("%v", "/work")]
    [InlineData("%h", "testhost")]
    [InlineData("%k", "8")]
    [InlineData("%u", "1000")]
    [InlineData("%U", "alice")]
    [InlineData("%g", "1000")]
    [InlineData("%G", "staff")]
    [InlineData("%V", "2.0.21")]
    [InlineData("%0", "srv")]
    [InlineData("%2", "conf")]
    [InlineData("%%", "%")]
    public void Substitute_EachMagicVariable_HasUwsgisValue(string text, string expected) =>
        Assert.Equal(expected, Magic.Substitute(text));

    [Fact]
    public void Substitute_PlaceholdersAreLeftAlone_UnknownLettersRemovedAsInUwsgi()
    {
        Assert.Equal("%(foo)  %", Magic.Substitute("%(foo) %y %"));
    }

    [Fact]
    public void Substitute_DoublePercentThenLetter_GivesALiteralPercent()
    {
        // %%n is "%" then "n": one pass, the inserted "%" is not read again.
        Assert.Equal("%n and app", Magic.Substitute("%%n and %n"));
    }

    [Fact]
    public void Substitute_DirectoryUsedAsPrefix_KeepsItsSlash()
    {
        Assert.Equal("/srv/site/conf/wsgi.py", Magic.Substitute("%dwsgi.py"));
    }
}
