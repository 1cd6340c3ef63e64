using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// <c>user NAME [GROUP];</c> — ngx_set_user looks both up while reading the directive; without a group it looks up
/// a group of the user's own name (so <c>user nobody;</c> fails on Debian, whose group is <c>nogroup</c>).
/// nginx only does this when the master runs as root; NginxLite checks whenever the environment is checked.
/// </summary>
public sealed class UserCheck : IConfigCheck
{
    public void Run(BoundConfig config, BindScope scope)
    {
        if (!scope.Options.CheckEnvironment)
        {
            return;
        }

        foreach (var user in config.Root.ChildrenNamed("user"))
        {
            if (user.Arguments.Count is < 1 or > 2)
            {
                continue;
            }

            var name = user.Arg(0);
            if (!SystemAccounts.UserExists(name))
            {
                scope.Emerg(user, $"getpwnam(\"{name}\") failed");
                continue;
            }

            // NginxLite's "group G;" (the guide's worker-user.conf) names the group when "user" does not.
            var groupDirective = config.Root.ChildrenNamed("group").FirstOrDefault(g => g.Arguments.Count == 1);
            var group = user.Arguments.Count == 2 ? user.Arg(1) : groupDirective?.Arg(0) ?? name;
            if (!SystemAccounts.GroupExists(group))
            {
                scope.Emerg(user, $"getgrnam(\"{group}\") failed");
            }
        }
    }
}
