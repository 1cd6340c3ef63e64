using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>A location's match type and name: <c>= /x</c>, <c>=/x</c>, <c>^~ /x</c>, <c>~ re</c>, <c>~* re</c>, <c>~re</c>, <c>@name</c>, <c>/x</c>.</summary>
internal readonly record struct LocationName(LocationKind Kind, string Name)
{
    public static LocationName Parse(BoundDirective location)
    {
        var args = location.Arguments.Select(a => a.Value).ToArray();
        if (args.Length == 2)
        {
            return args[0] switch
            {
                "=" => new(LocationKind.Exact, args[1]),
                "^~" => new(LocationKind.PrefixNoRegex, args[1]),
                "~" or "~*" => new(LocationKind.Regex, args[1]),
                _ => new(LocationKind.Prefix, args[1]),
            };
        }

        var name = args.Length > 0 ? args[0] : "";
        return name switch
        {
            ['=', .. var rest] => new(LocationKind.Exact, rest),
            ['^', '~', .. var rest] => new(LocationKind.PrefixNoRegex, rest),
            ['~', '*', .. var rest] => new(LocationKind.Regex, rest),
            ['~', .. var rest] => new(LocationKind.Regex, rest),
            ['@', ..] => new(LocationKind.Named, name),
            _ => new(LocationKind.Prefix, name),
        };
    }
}
