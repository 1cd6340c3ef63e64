using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// <c>group GROUP;</c> is NginxLite's extension (nginx has no such directive): the group of <c>user</c>, as the
/// uWSGI/CGI guide writes it. It only means something beside a one-argument <c>user</c>.
/// </summary>
public sealed class GroupCheck : IConfigCheck
{
    public void Run(BoundConfig config, BindScope scope)
    {
        foreach (var group in config.Root.ChildrenNamed("group").Where(g => g.Arguments.Count == 1))
        {
            var user = config.Root.ChildrenNamed("user").FirstOrDefault();
            if (user is null)
            {
                scope.Emerg(group, "\"group\" directive needs a \"user\" directive");
            }
            else if (user.Arguments.Count == 2)
            {
                scope.Emerg(group, "\"group\" directive is duplicate, \"user\" directive names a group");
            }
        }
    }
}
