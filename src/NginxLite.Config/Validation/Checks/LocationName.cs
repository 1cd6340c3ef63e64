using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>A location's match type and name: <c>= /x</c>, <c>=/x</c>, <c>^~ /x</c>, <c>~ re</c>, <c>~* re</c>, <c>~re</c>, <c>@name</c>, <c>/x</c>.</summary>
internal readonly record struct LocationName(LocationKind Kind, string Name)
{
    public static LocationName Parse(BoundDirective location)
    {
        var args = location.Arguments;
        if (args.Count == 2)
        {
            return args[0].Value switch
            {
                "=" => new(LocationKind.Exact, args[1].Value),
                "^~" => new(LocationKind.PrefixNoRegex, args[1].Value),
                "~" or "~*" => new(LocationKind.Regex, args[1].Value),
                _ => new(LocationKind.Prefix, args[1].Value),
            };
        }

        var name = args.Count > 0 ? args[0].Value : "";
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
